"""Generated data at scale, on top of the demo data: see `tickets/seeding/`."""

import time
from datetime import UTC, datetime
from datetime import time as day_start

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from accounts.models import User
from tickets.management.commands import seed_demo
from tickets.models import Ticket
from tickets.seeding import bulk, clocks, directory
from tickets.seeding.loader import LoadError
from tickets.seeding.progress import Progress


class Command(BaseCommand):
    help = (
        "Fill the database with generated organisations, members, teams and tickets over "
        "three years, up to --tickets in all (the demo data included)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets", type=int, required=True, help="How many tickets the database should hold."
        )
        parser.add_argument(
            "--organisations",
            type=int,
            help="How many chambers (default: one for 300 tickets, 10 to 3,000).",
        )
        parser.add_argument("--seed", default="1", help="The same seed makes the same data.")
        parser.add_argument(
            "--until",
            help="The end of the generated period, YYYY-MM-DD or an ISO date and time "
            "(default: now); with the same seed, the same data.",
        )
        parser.add_argument(
            "--password", default="demo12345", help="Password of the new users, demo or not."
        )
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, tickets, organisations, seed, until, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed anyway."
            )
        if tickets < 0 or (organisations is not None and organisations < 1):
            raise CommandError("--tickets must be 0 or more, --organisations 1 or more.")
        until = self.parse_until(until)
        # The service levels first, so that the demo's tickets start their clocks too.
        levels = clocks.Clocks()
        demo = ["admin"] + [username for username, *_ in seed_demo.USERS]
        if User.objects.filter(username__in=demo).count() < len(demo):
            call_command("seed_demo", password=password, force=force, stdout=self.stdout)
        held = Ticket.objects.count()
        if held >= tickets:
            self.stdout.write(
                f"The database holds {held:,} tickets already (asked for {tickets:,}): "
                "nothing added."
            )
            return
        started = time.monotonic()
        chambers = organisations or directory.default_chambers(tickets)
        builder = directory.Builder(seed=seed, password=password, joined=until)
        cast = builder.build(chambers)
        filler = bulk.Filler(cast=cast, seed=seed, until=until, levels=levels)
        missing = tickets - filler.existing
        # The raw stream: the bar redraws its own line, uncoloured.
        progress = Progress(self.stderr._out, missing, unit="tickets")
        try:
            counts = filler.fill(missing, progress)
        except (LoadError, DatabaseError) as error:
            progress.finish()
            raise CommandError(
                f"Loading stopped after {filler.counts.tickets:,} new tickets, each whole; "
                f"run again to add the rest.\n{error}"
            ) from error
        progress.finish()
        if apps.is_installed("dashboard"):
            # Written behind the services: the dashboard's kept counts are counted afresh.
            call_command("refresh_dashboard", counts=True, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {counts.tickets:,} tickets, {counts.events:,} events and "
                f"{counts.documents:,} documents in {time.monotonic() - started:.0f} s, with "
                f"{len(cast.members):,} members in {chambers:,} chambers; the database "
                f"holds {Ticket.objects.count():,} tickets."
            )
        )

    @staticmethod
    def parse_until(value):
        now = timezone.now()
        if not value:
            return now.astimezone(UTC)
        try:
            moment = parse_datetime(value)
            if moment is None and (day := parse_date(value)) is not None:
                moment = datetime.combine(day, day_start())
        except ValueError:  # well formed, but no such day or time
            moment = None
        if moment is None:
            raise CommandError(f"--until: {value!r} is not a date (YYYY-MM-DD) or date and time.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment > now:
            raise CommandError("--until cannot be in the future.")
        return moment.astimezone(UTC)
