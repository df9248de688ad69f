from django.urls import path

from . import views

app_name = "canned"

urlpatterns = [
    path("", views.canned_index, name="index"),
    path("new/", views.canned_create, name="create"),
    path("<int:pk>/edit/", views.canned_edit, name="edit"),
    path("<int:pk>/delete/", views.canned_delete, name="delete"),
    path("ticket/<int:ticket_pk>/", views.for_ticket, name="for_ticket"),
    path("ticket/<int:ticket_pk>/pick/", views.pick, name="pick"),
]
