"""Deliveries written in the transaction of the change they report, from the signals
tickets/ sends; handed to `delivery` after the commit (a rolled-back change sends
nothing). Only hooks whose owner sees the ticket, within the hook's scope, get a row."""

from common.prepared import Prepared
from tickets import permissions
from tickets.models import EventKind, Ticket

from . import delivery
from .models import Delivery, EventType, Webhook

# Action log entries that a hook may hear of, by the kind it registers.
FROM_EVENTS = {
    EventKind.CREATED: EventType.FILED,
    EventKind.REPLIED: EventType.REPLIED,
    EventKind.NOTE: EventType.REPLIED,
    EventKind.ASSIGNED: EventType.ASSIGNED,
    EventKind.RESOLVED: EventType.RESOLVED,
}


def on_event_logged(sender, *, ticket, event, **kwargs) -> None:
    if kind := FROM_EVENTS.get(event.kind):
        queue(ticket, kind, ticket_event=event)


def on_status_changed(sender, *, ticket, old, new, **kwargs) -> None:
    if old is not None:  # a new ticket is `ticket.filed`, not a change
        queue(ticket, EventType.STATUS_CHANGED, data={"from": old, "to": new})


def on_sla_breached(sender, *, ticket, kind, due_at, **kwargs) -> None:
    queue(ticket, EventType.SLA_BREACHED, data={"target": kind, "due_at": due_at.isoformat()})


def in_scope(hook: Webhook, ticket: Ticket) -> bool:
    categories = {category.pk for category in hook.categories.all()}
    if categories and ticket.category_id not in categories:
        return False
    if hook.organisation is not None:
        return ticket.organisation.path.startswith(hook.organisation.path)
    return True


def may_see(owner, ticket: Ticket, ticket_event=None) -> bool:
    """As the ticket's page would show it to the owner: the ticket through visible_to,
    an internal entry only to whoever handles the ticket."""
    if not Ticket.objects.visible_to(owner).filter(pk=ticket.pk).exists():
        return False
    internal = ticket_event is not None and ticket_event.internal
    return not internal or permissions.is_handler(owner, ticket)


def _active_hooks():
    return (
        Webhook.objects.filter(is_active=True)
        .select_related("owner", "organisation")
        .prefetch_related("categories")
    )


# Asked at every event a hook may hear of, most often of a site without any: compiled
# once a process, prepared once a session.
_ACTIVE_HOOKS = Prepared(_active_hooks)


def queue(ticket: Ticket, kind: str, *, ticket_event=None, data=None) -> list[Delivery]:
    hooks = _ACTIVE_HOOKS.rows()
    rows = [
        Delivery(
            webhook=hook,
            event=kind,
            ticket_id=ticket.pk,
            ticket_event_id=ticket_event.pk if ticket_event else None,
            data=data or {},
        )
        for hook in hooks
        if kind in hook.events
        and in_scope(hook, ticket)
        and may_see(hook.owner, ticket, ticket_event)
    ]
    if not rows:
        return []
    rows = Delivery.objects.bulk_create(rows)
    delivery.handover.after_commit([row.pk for row in rows])
    return rows
