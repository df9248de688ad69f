from django.core.management.base import BaseCommand

from dashboard import counts, snapshots


class Command(BaseCommand):
    help = (
        "Take the dashboard's snapshot of the medians and the shares within the targets "
        "(the periodic job dashboard_snapshots does too); with --counts, first count the "
        "kept daily and open counts afresh from the tickets (after a bulk load; safe while "
        "tickets change, which wait for it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--counts", action="store_true", help="Recount the kept counts too.")

    def handle(self, *args, **options):
        if options["counts"]:
            days, opened = counts.fill()
            self.stdout.write(f"{days} daily rows, {opened} open rows counted.")
        taken = snapshots.refresh()
        self.stdout.write(f"{taken} categories' snapshot taken.")
