from django.core.management.base import BaseCommand, CommandError

from tickets import logchain
from tickets.models import Ticket, TicketEvent

FIELDS = [
    "id", "ticket_id", "actor_id", "kind", "note", "internal", "data", "submission",
    "created_at", "note_digest", "previous_hash", "hash", "redacted",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Check the action log's hash chain: report every ticket whose events were "
        "changed, removed, inserted or cut short since they were written."
    )

    def add_arguments(self, parser):
        parser.add_argument("tickets", nargs="*", type=int, help="only these tickets")

    def handle(self, *args, tickets, **options):
        ticket_rows = Ticket.objects.order_by("pk").values_list("pk", "log_seal")
        events = TicketEvent.objects.order_by("ticket_id", "id").only(*FIELDS)
        if tickets:
            ticket_rows = ticket_rows.filter(pk__in=tickets)
            events = events.filter(ticket_id__in=tickets)
        problems = 0
        for problem in logchain.verify(
            ticket_rows.iterator(chunk_size=2000), events.iterator(chunk_size=2000)
        ):
            problems += 1
            self.stdout.write(str(problem))
        checked = ticket_rows.count()
        if problems:
            raise CommandError(f"{problems} problem(s) in the action log of {checked} ticket(s).")
        self.stdout.write(f"The action log of {checked} ticket(s) is intact.")
