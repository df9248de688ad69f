"""Reads: what the list, the detail page and the export show. No writes here."""

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, When

from accounts.models import Organisation
from categories.selectors import team_category_ids

from . import facts, paging, permissions
from .filters import MINE, TicketFilter, organisations_for, with_default_view
from .models import Attachment, Ticket, TicketEvent


def filtered_tickets(user, params, *, default_view: bool = True) -> TicketFilter:
    """The tickets `user` sees, narrowed and sorted by the list's GET parameters
    (or, with `default_view`, by the user's default view when there are none)."""
    if default_view:
        params = with_default_view(user, params)
    visible = Ticket.objects.visible_to(user, teams_only=params.get("team") == MINE)
    return TicketFilter(params, queryset=visible.with_relations(), user=user)


def ticket_list(user, params):
    """The filter (for its form) and the requested page of tickets (tickets/paging.py)."""
    ticket_filter = filtered_tickets(user, params)
    return ticket_filter, paging.get_page(ticket_filter.qs, params, settings.HELPDESK_PAGE_SIZE)


SUGGESTIONS = 20


def organisation_suggestions(user, text: str) -> list[dict]:
    """Up to SUGGESTIONS organisations `user` may filter by whose name holds `text`,
    those starting with it first."""
    key = Organisation.key_for(text)
    if not key:
        return []
    matches = (
        organisations_for(user)
        .filter(name_key__contains=key)
        .annotate(rank=Case(When(name_key__startswith=key, then=0), default=1))
        .order_by("rank", "name_key")
    )
    return [{"id": o.pk, "name": o.name} for o in matches[:SUGGESTIONS]]


def updated_since(tickets, user, since):
    """Those of `tickets` with an event at or after `since` that `user` may see: an
    internal note counts only on the tickets `user` handles (permissions.is_handler)."""
    events = TicketEvent.objects.filter(ticket=OuterRef("pk"), created_at__gte=since)
    if not user.is_supervisor:
        handled = Q(ticket__assignee=user) | Q(ticket__category_id__in=team_category_ids(user))
        events = events.filter(Q(internal=False) | handled)
    return tickets.filter(Exists(events))


def ticket_for_detail(user, pk):
    """One visible ticket with what its header shows; raises Ticket.DoesNotExist."""
    return (
        Ticket.objects.visible_to(user)
        .select_related(
            "organisation",
            "category",
            "kind",
            "assignee",
            "requester",
            "parent",
            "product",
            "component",
        )
        .get(pk=pk)
    )


def timeline(ticket: Ticket, user):
    """The action log as `user` may see it, oldest first, with each entry's documents."""
    events = ticket.events.select_related("actor", "actor__organisation").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    if not permissions.is_handler(user, ticket):
        events = events.filter(internal=False)
    events = list(events)
    facts.describe(events)
    return events


def documents(ticket: Ticket, user):
    attachments = ticket.attachments.select_related("uploaded_by")
    if not permissions.is_handler(user, ticket):
        attachments = attachments.filter(internal=False)
    return list(attachments)


def attachment_for_download(user, pk) -> Attachment:
    """An attachment of a ticket `user` sees; internal ones for handlers only; a
    redacted one for nobody (its file is gone)."""
    attachment = Attachment.objects.select_related("ticket").get(
        pk=pk, ticket__in=Ticket.objects.visible_to(user), redacted=False
    )
    if attachment.internal and not permissions.is_handler(user, attachment.ticket):
        raise Attachment.DoesNotExist
    return attachment
