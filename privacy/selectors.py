"""Reads: what the site holds about a person, as a viewer may see it, and what the
retention rule finds due. Tickets are read through `Ticket.objects.visible_to`."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from accounts.models import Role, User
from tickets import permissions
from tickets.models import Attachment, EventKind, Status, Ticket, TicketEvent

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


def due_for_anonymisation(cutoff):
    """Closed tickets whose closing is older than `cutoff`, not yet anonymised."""
    # Tickets closed before closing was dated count from their resolution or filing.
    closed_on = Coalesce("closed_at", "resolved_at", "created_at")
    return (
        Ticket.objects.alias(closed_on=closed_on)
        .filter(status=Status.CLOSED, closed_on__lte=cutoff, anonymisation__isnull=True)
        .order_by("pk")
    )


def dormant_members(cutoff):
    """Members (not staff, handlers or admins) with no sign-in since `cutoff`, joined
    before it, not yet erased, whose every ticket and message was anonymised."""
    kept_ticket = Ticket.objects.filter(requester=OuterRef("pk"), anonymisation__isnull=True)
    kept_message = TicketEvent.objects.filter(
        actor=OuterRef("pk"), ticket__anonymisation__isnull=True
    )
    return (
        User.objects.filter(
            Q(last_login__lte=cutoff) | Q(last_login__isnull=True),
            role=Role.MEMBER,
            is_staff=False,
            is_superuser=False,
            date_joined__lte=cutoff,
            erasure__isnull=True,
            team_categories__isnull=True,
        )
        .exclude(Exists(kept_ticket))
        .exclude(Exists(kept_message))
        .order_by("pk")
    )
