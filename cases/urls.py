from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.record_index, name="index"),
    path("<int:pk>/", views.record_detail, name="detail"),
]
