from django.urls import path

from . import views

app_name = "mailin"

urlpatterns = [
    path("held/", views.held_list, name="held"),
    path("held/<int:pk>/assign/", views.held_assign, name="assign"),
    path("held/<int:pk>/discard/", views.held_discard, name="discard"),
]
