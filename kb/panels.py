"""The knowledge base's panel on a ticket's page (tickets/panels.py): the articles drafted
from the ticket that this reader may see, and for its category's writers, once the ticket
is resolved, the way to draft one."""

from django.db.models import Exists, OuterRef

from tickets.models import Status

from .models import Article
from .permissions import can_write
from .selectors import _with_text, readable

SHOWN = 10
# The ticket page's fact (tickets/panels.py): whether any article was drafted from it.
DRAFTED = "kb_drafted_from"


def drafted():
    return Exists(Article.objects.filter(from_ticket=OuterRef("pk")))


def ticket_articles(ticket, user) -> dict | None:
    can_draft = ticket.status in (Status.RESOLVED, Status.CLOSED) and can_write(
        user, ticket.category
    )
    articles = []
    # Most tickets have no article: the page's row says so, and nothing is asked.
    if getattr(ticket, DRAFTED, True):
        articles = _with_text(readable(user).filter(from_ticket=ticket).order_by("-id")[:SHOWN])
    if not articles and not can_draft:
        return None
    return {"articles": articles, "can_draft": can_draft}
