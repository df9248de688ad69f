"""The text that ticket search matches, built in one place."""

from common.text import normalise

from .models import EventKind, Ticket


def ticket_text(subject: str, description: str, replies=()) -> str:
    """What search matches for a ticket: its subject, description and public replies,
    folded. The one builder of `Ticket.search_text`; internal notes never go in."""
    return normalise("\n".join([subject, description, *replies]))


def refresh(ticket) -> None:
    """Rebuild a ticket's search text from what it holds now (after a reply)."""
    replies = ticket.events.filter(kind=EventKind.REPLIED, internal=False).values_list(
        "note", flat=True
    )
    ticket.search_text = ticket_text(ticket.subject, ticket.description, replies)
    Ticket.objects.filter(pk=ticket.pk).update(search_text=ticket.search_text)
