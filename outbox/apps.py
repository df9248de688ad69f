from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        from . import delivery

        # Mail committed during a request leaves once its response is with the server.
        delivery.handover.connect("outbox")
