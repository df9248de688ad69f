from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("<int:pk>/", views.webhook_detail, name="detail"),
    path("<int:pk>/enable/", views.webhook_enable, name="enable"),
    path("<int:pk>/disable/", views.webhook_disable, name="disable"),
    path("<int:pk>/delete/", views.webhook_delete, name="delete"),
    path("<int:pk>/secret/", views.webhook_new_secret, name="new_secret"),
]
