from django.core.management.base import BaseCommand

from outbox import delivery


class Command(BaseCommand):
    help = "Send the e-mail notices that are due; failed ones are retried later with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many mails.")

    def handle(self, *args, limit, **options):
        sent, failed = delivery.send_pending(limit=limit)
        self.stdout.write(f"Sent {sent}, failed {failed}.")
