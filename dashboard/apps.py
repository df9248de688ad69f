from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from tickets import workflow
        from tickets.models import Ticket

        from . import counts

        # The kept counts follow each change inside its transaction (counts.py).
        workflow.status_changed.connect(
            counts.status_changed, sender=Ticket, dispatch_uid="dashboard"
        )
        workflow.field_changed.connect(
            counts.field_changed, sender=Ticket, dispatch_uid="dashboard"
        )
