from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from common.personal_data import collect
        from tickets.signals import event_logged, sla_breached
        from tickets.workflow import status_changed

        from . import delivery, personal_data, queueing

        event_logged.connect(queueing.on_event_logged, dispatch_uid="webhooks")
        status_changed.connect(queueing.on_status_changed, dispatch_uid="webhooks")
        sla_breached.connect(queueing.on_sla_breached, dispatch_uid="webhooks")
        collect.connect(personal_data.hooks, dispatch_uid="webhooks")
        delivery.handover.connect("webhooks")
