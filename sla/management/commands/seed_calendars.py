from django.core.management.base import BaseCommand

from sla import clocks, seeding


class Command(BaseCommand):
    help = (
        "Create the working calendars (Turkey's, the default, with its public holidays; "
        "an Iranian and a Russian example) and the default service level targets, if missing; "
        "then starts the clocks of the open tickets that have none."
    )

    def handle(self, *args, **options):
        made = seeding.seed()
        self.stdout.write(", ".join(made) if made else "Nothing to create.")
        started = clocks.start_missing()
        self.stdout.write(f"Clocks started on {started} tickets.")
