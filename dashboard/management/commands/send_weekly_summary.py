from django.core.management.base import BaseCommand

from dashboard.summary import send_weekly


class Command(BaseCommand):
    help = (
        "Mail this week's summary to the supervisors who asked for it on the dashboard; "
        "once a week each, however often it runs (the periodic job weekly_summary does too)."
    )

    def handle(self, *args, **options):
        sent = send_weekly()
        self.stdout.write(f"{sent} summaries queued.")
