"""The ticket page's conversation: what people wrote, as messages, out of the action log.

The log (`selectors.timeline`) stays whole below it; the conversation keeps the events
that carry words for the other side (and a handler's internal notes), each with its
documents, and starts with the description and the documents filed with it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .models import EventKind, Status, Ticket

# The events that are messages; the rest (read, assigned, priority ...) are log lines.
MESSAGE_KINDS = {
    EventKind.REPLIED,
    EventKind.NOTE,
    EventKind.INFO_REQUESTED,
    EventKind.RESOLVED,
    EventKind.REOPENED,
}
NEWEST_FIRST, OLDEST_FIRST = "newest", "oldest"
ORDERS = (OLDEST_FIRST, NEWEST_FIRST)
SESSION_KEY = "conversation_order"


@dataclass
class Message:
    kind: str  # an EventKind, or "description"
    label: str
    actor: object
    created_at: datetime
    text: str
    internal: bool = False
    redacted: bool = False
    documents: list = field(default_factory=list)
    event_id: int | None = None


def messages(ticket: Ticket, events: list, *, order: str = OLDEST_FIRST) -> list[Message]:
    """The description and the message events of `events` (already cut to what the
    reader may see), each with its documents; documents uploaded on their own are
    messages too, except those filed with the ticket, which go with the description."""
    description = Message(
        kind="description",
        label="",
        actor=ticket.requester,
        created_at=ticket.created_at,
        text=ticket.description,
    )
    found = [description]
    with_filing = True  # `attached` events straight after `created` belong to the filing
    for event in events:
        if event.kind == EventKind.CREATED:
            description.actor = event.actor or ticket.requester
            continue
        if event.kind == EventKind.ATTACHED:
            documents = list(event.attachments.all())
            if with_filing:
                description.documents.extend(documents)
            else:
                found.append(_message(event, text="", documents=documents))
            continue
        with_filing = False
        if event.kind in MESSAGE_KINDS:
            found.append(_message(event, text=event.note, documents=list(event.attachments.all())))
    if order == NEWEST_FIRST:
        found.reverse()
    return found


def _message(event, *, text, documents) -> Message:
    return Message(
        kind=event.kind,
        label=event.get_kind_display(),
        actor=event.actor,
        created_at=event.created_at,
        text=text,
        internal=event.internal,
        redacted=event.redacted,
        documents=documents,
        event_id=event.pk,
    )


def awaited(ticket: Ticket, events: list, *, answers: bool) -> Message | None:
    """What the requester's side must answer (`answers`: the reader may act on it):
    the latest information request while one is open, the resolution while the ticket
    waits for a confirmation or a reopen."""
    kind = {
        Status.INFO_REQUESTED: EventKind.INFO_REQUESTED,
        Status.RESOLVED: EventKind.RESOLVED,
    }.get(ticket.status)
    if not answers or kind is None:
        return None
    latest = next((event for event in reversed(events) if event.kind == kind), None)
    if latest is None:
        return None
    return _message(latest, text=latest.note, documents=list(latest.attachments.all()))


def order_for(request) -> str:
    """The reader's order: `?order=` changes it for good (kept in the session)."""
    asked = request.GET.get("order")
    if asked in ORDERS:
        if request.session.get(SESSION_KEY) != asked:
            request.session[SESSION_KEY] = asked
        return asked
    kept = request.session.get(SESSION_KEY)
    return kept if kept in ORDERS else OLDEST_FIRST
