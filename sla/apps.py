from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from tickets import configuration, signals, workflow
        from tickets.models import Ticket

        from . import clocks, recomputing, rules, schedules, seeding

        # The schedules and the rules each process keeps ride on the configuration's token.
        for model in (*schedules.MODELS, *rules.MODELS):
            post_save.connect(configuration.changed, sender=model, dispatch_uid=f"sla-{model}")
            post_delete.connect(configuration.changed, sender=model, dispatch_uid=f"sla-{model}")

        # tickets/ knows nothing of service levels: the clocks follow its signals,
        # inside the transaction of the change that sent them.
        workflow.status_changed.connect(clocks.status_changed, sender=Ticket, dispatch_uid="sla")
        workflow.handler_responded.connect(
            clocks.handler_responded, sender=Ticket, dispatch_uid="sla"
        )
        workflow.field_changed.connect(clocks.field_changed, sender=Ticket, dispatch_uid="sla")
        # The vendor's demo contract gets its service levels when seed_demo seeds it.
        signals.demo_seeded.connect(seeding.demo_seeded, dispatch_uid="sla")
        # A recompute the admin recorded runs after the response (recomputing.py).
        recomputing.handover.connect("sla-recompute")

    def generated_clocks(self):
        """What `seed_bulk` (tickets/seeding) gives its generated tickets their clocks
        with (see sla/bulk.py): tickets/ imports no capability app."""
        from .bulk import GeneratedClocks

        return GeneratedClocks()
