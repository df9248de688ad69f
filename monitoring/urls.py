from django.urls import path

from . import views

# No namespace: "healthz" is the name other apps know (twofactor lets it through).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics_page, name="metrics"),
]
