from django.core.management.base import BaseCommand

from sla import escalation


class Command(BaseCommand):
    help = (
        "Mail the category's team about tickets about to breach their service level and "
        "the supervisors about breached ones, once each, in the calendar's working hours."
    )

    def handle(self, *args, **options):
        sent = escalation.escalate()
        self.stdout.write(f"{sent} escalations.")
