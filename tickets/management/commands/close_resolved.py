from django.core.management.base import BaseCommand

from tickets import services


class Command(BaseCommand):
    help = "Close resolved tickets whose reopen window has passed (safe to run every minute)."

    def handle(self, *args, **options):
        closed = services.close_expired()
        self.stdout.write(f"Closed {closed} ticket(s).")
