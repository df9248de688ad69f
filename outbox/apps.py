from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        from . import delivery

        # Mail committed during a request leaves once its response is with the server.
        request_started.connect(delivery.hold_during_request, dispatch_uid="outbox-hold")
        request_finished.connect(delivery.send_after_response, dispatch_uid="outbox-send")
