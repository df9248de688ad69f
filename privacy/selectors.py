"""Reads: what the site holds about a person, as a viewer may see it. Tickets are read
through `Ticket.objects.visible_to`."""

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from tickets import permissions
from tickets.models import Attachment, EventKind, Ticket, TicketEvent

# Events whose note is a message the person wrote; an `attached` event's note is a
# document's name, listed with the documents.
MESSAGE_KINDS = (
    EventKind.REPLIED,
    EventKind.NOTE,
    EventKind.INFO_REQUESTED,
    EventKind.REDIRECTED,
    EventKind.RESOLVED,
    EventKind.REOPENED,
)
# What a message or a document needs of its ticket for the visibility rule.
TICKET_RULE_FIELDS = ("ticket__id", "ticket__assignee_id", "ticket__category_id")


def filed_tickets(person: User, viewer: User):
    """The tickets `person` filed (or that were filed for them) that `viewer` sees."""
    return (
        Ticket.objects.visible_to(viewer)
        .filter(requester=person)
        .select_related("category", "kind", "organisation")
        .order_by("pk")
    )


def _seen_by(viewer: User, rows):
    """Internal ones only for whoever handles their ticket, as on the ticket's page."""
    return (row for row in rows if not row.internal or permissions.is_handler(viewer, row.ticket))


def messages(person: User, viewer: User):
    """What `person` wrote on tickets `viewer` sees, oldest first (an iterator)."""
    rows = (
        TicketEvent.objects.filter(
            actor=person,
            kind__in=MESSAGE_KINDS,
            ticket__in=Ticket.objects.visible_to(viewer),
        )
        .select_related("ticket")
        .only("kind", "note", "internal", "redacted", "created_at", *TICKET_RULE_FIELDS)
        .order_by("created_at", "pk")
    )
    return _seen_by(viewer, rows.iterator(chunk_size=500))


def documents(person: User, viewer: User):
    """The documents `person` uploaded to tickets `viewer` sees (an iterator)."""
    rows = (
        Attachment.objects.filter(uploaded_by=person, ticket__in=Ticket.objects.visible_to(viewer))
        .select_related("ticket")
        .only(
            "file",
            "original_name",
            "size",
            "content_type",
            "internal",
            "redacted",
            "created_at",
            *TICKET_RULE_FIELDS,
        )
        .order_by("pk")
    )
    return _seen_by(viewer, rows.iterator(chunk_size=500))


@dataclass(frozen=True)
class Summary:
    tickets: int
    messages: int
    documents: int


def summary(person: User, viewer: User) -> Summary:
    """How much the site holds of what `person` wrote, as `viewer` may see it."""
    return Summary(
        tickets=filed_tickets(person, viewer).count(),
        messages=sum(1 for _ in messages(person, viewer)),
        documents=sum(1 for _ in documents(person, viewer)),
    )


def people(query: str, limit: int = 50):
    """Accounts whose name, username or address contains `query` (for supervisors)."""
    query = query.strip()
    if not query:
        return User.objects.none()
    words = Q()
    for word in query.split():
        words &= (
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return User.objects.filter(words).select_related("organisation").order_by("username")[:limit]
