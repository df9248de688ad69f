from django.apps import AppConfig


class CommonConfig(AppConfig):
    # An app only so that its template tags load; it has no models.
    name = "common"
