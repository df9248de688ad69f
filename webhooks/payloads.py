"""What a delivery's body holds, built as the hook's owner would see the ticket then."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tickets import permissions, selectors
from tickets.models import Ticket, TicketEvent

from .models import Delivery


def _date(value):
    return value.isoformat() if value else None


def _person(user):
    return None if user is None else {"id": user.pk, "name": user.display_name()}


def _ticket(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "kind": ticket.kind.code,
        "category": {"id": ticket.category_id, "name": str(ticket.category)},
        "organisation": {"id": ticket.organisation_id, "name": ticket.organisation.name},
        "requester": _person(ticket.requester),
        "assignee": _person(ticket.assignee),
        "channel": ticket.channel,
        "created_at": _date(ticket.created_at),
        "read_at": _date(ticket.read_at),
        "resolved_at": _date(ticket.resolved_at),
        "closed_at": _date(ticket.closed_at),
        "url": settings.SITE_URL.rstrip("/") + ticket.get_absolute_url(),
    }


def _documents(ticket: Ticket, owner) -> list[dict]:
    """The ticket's documents the owner may download (internal ones only for a handler),
    with the API's address of each."""
    site = settings.SITE_URL.rstrip("/")
    return [
        {
            "id": document.pk,
            "name": document.original_name,
            "size": document.size,
            "content_type": document.content_type,
            "internal": document.internal,
            "event": document.event_id,
            "url": site + reverse("api:attachment", args=[document.pk]),
        }
        for document in selectors.documents(ticket, owner)
        if not document.redacted
    ]


def _action(event: TicketEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "internal": event.internal,
        "text": event.note,
        "by": _person(event.actor),
        "data": event.data,
        "created_at": _date(event.created_at),
    }


def build(delivery: Delivery) -> str | None:
    """The JSON body, or None when the owner no longer may see what it is about (the
    ticket was redirected out of their sight, the owner deactivated, ...)."""
    owner = delivery.webhook.owner
    ticket = (
        Ticket.objects.visible_to(owner)
        .select_related("category", "organisation", "kind", "requester", "assignee")
        .filter(pk=delivery.ticket_id)
        .first()
    )
    if ticket is None:
        return None
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        body = {
            "id": str(delivery.uid),
            "event": delivery.event,
            "created_at": _date(delivery.created_at),
            "ticket": _ticket(ticket),
            "documents": _documents(ticket, owner),
        }
        if delivery.ticket_event_id is not None:
            event = (
                TicketEvent.objects.select_related("actor")
                .filter(pk=delivery.ticket_event_id, ticket=ticket)
                .first()
            )
            if event is None or (event.internal and not permissions.is_handler(owner, ticket)):
                return None
            body["action"] = _action(event)
        if delivery.data:
            body["change"] = delivery.data
    return json.dumps(body, ensure_ascii=False)
