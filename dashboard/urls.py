from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("summary/", views.summary_subscription, name="summary"),
    path("<slug:slug>.<str:fmt>", views.table_download, name="table"),
]
