from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tickets import logchain, logmanifest
from tickets.models import Ticket, TicketEvent

FIELDS = [
    "id", "ticket_id", "actor_id", "kind", "note", "internal", "data", "submission",
    "created_at", "note_digest", "previous_hash", "hash", "redacted",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Check the action log's hash chain: report every ticket whose events were "
        "changed, removed, inserted or cut short since they were written. With "
        "--manifest, also every log rolled back since the last clean check."
    )

    def add_arguments(self, parser):
        parser.add_argument("tickets", nargs="*", type=int, help="only these tickets")
        parser.add_argument(
            "--manifest",
            type=Path,
            help="a file kept outside the database: compared with, and renewed after a clean check",
        )

    def handle(self, *args, tickets, manifest, **options):
        if tickets and manifest:
            raise CommandError("A manifest covers every ticket: name no tickets with it.")
        ticket_rows = Ticket.objects.order_by("pk").values_list("pk", "log_seal")
        events = TicketEvent.objects.order_by("ticket_id", "id").only(*FIELDS)
        if tickets:
            ticket_rows = ticket_rows.filter(pk__in=tickets)
            events = events.filter(ticket_id__in=tickets)
        before, writer = (), None
        if manifest:
            try:
                before = logmanifest.read(manifest) if manifest.exists() else ()
            except logmanifest.ManifestError as error:
                raise CommandError(str(error)) from None
            writer = logmanifest.Writer(manifest)
        problems = 0
        try:
            for problem in logchain.verify(
                ticket_rows.iterator(chunk_size=2000),
                events.iterator(chunk_size=2000),
                before=before,
                record=writer,
            ):
                problems += 1
                self.stdout.write(str(problem))
        finally:
            # Only a clean check becomes the next one's reference.
            if writer is not None and not problems:
                writer.commit()
            elif writer is not None:
                writer.discard()
        checked = ticket_rows.count()
        if problems:
            raise CommandError(f"{problems} problem(s) in the action log of {checked} ticket(s).")
        self.stdout.write(f"The action log of {checked} ticket(s) is intact.")
