"""Two hooks into tickets, which know nothing of surveys: the close that sends one
(`status_changed`), and the ticket page's panel for handlers (tickets/panels.py,
registered in apps.py)."""

from django.dispatch import receiver

from tickets.models import EventKind, Status, Ticket
from tickets.permissions import is_handler
from tickets.workflow import status_changed

from . import selectors, services


@receiver(status_changed, sender=Ticket, dispatch_uid="satisfaction_closed")
def ticket_closed(sender, ticket, old, new, by, **kwargs):
    if new != Status.CLOSED:
        return
    # A duplicate closed by a merge was answered in the ticket it went into.
    if not ticket.events.filter(kind=EventKind.MERGED, data__has_key="into").exists():
        services.send_survey(ticket)


def rating_panel(ticket, user) -> dict | None:
    """The requester's rating, for the ticket's handlers only (one query, closed ones)."""
    if ticket.status != Status.CLOSED or not is_handler(user, ticket):
        return None
    return {"survey": selectors.for_ticket(ticket)}
