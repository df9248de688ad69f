from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("export.csv", views.ticket_export, name="export"),
    path("new/", views.ticket_create, name="create"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/documents/", views.ticket_documents, name="documents"),
    path("<int:pk>/resolve/", views.ticket_resolve, name="resolve"),
]
