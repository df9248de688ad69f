from django.conf import settings
from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = (
        "Remove the personal text of closed tickets older than HELPDESK_RETENTION_DAYS "
        "(safe to run every night; each ticket is done once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dormant-accounts",
            action="store_true",
            help="also erase members with no sign-in and no ticket within the period",
        )

    def handle(self, *args, dormant_accounts, **options):
        days = settings.HELPDESK_RETENTION_DAYS
        if days <= 0:
            self.stdout.write("Retention is off (HELPDESK_RETENTION_DAYS=0): nothing to do.")
            return
        done = services.anonymise_closed()
        self.stdout.write(f"Anonymised {done} ticket(s) closed more than {days} day(s) ago.")
        if dormant_accounts:
            erased = services.erase_dormant()
            self.stdout.write(f"Erased {erased} dormant account(s).")
