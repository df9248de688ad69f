"""The knowledge base's panel on a ticket's page (tickets/panels.py): the articles drafted
from the ticket that this reader may see, and for its category's writers, once the ticket
is resolved, the way to draft one."""

from tickets.models import Status

from .permissions import can_write
from .selectors import _with_text, readable

SHOWN = 10


def ticket_articles(ticket, user) -> dict | None:
    articles = _with_text(readable(user).filter(from_ticket=ticket).order_by("-id")[:SHOWN])
    can_draft = ticket.status in (Status.RESOLVED, Status.CLOSED) and can_write(
        user, ticket.category
    )
    if not articles and not can_draft:
        return None
    return {"articles": articles, "can_draft": can_draft}
