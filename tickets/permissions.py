"""Who may do what to a ticket they can see. Pure functions; no queries but one cached.

Seeing is `Ticket.objects.visible_to(user)`; these decide acting. Acting on the
requester's side stays with the requester's own organisation: a union reads its
chambers' tickets but does not act on them.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from categories.selectors import handles_tickets, team_category_ids

from .models import Status


def is_handler(user, ticket) -> bool:
    """A supervisor, a member of the category's team, or the assignee."""
    return user.is_active and (
        user.is_supervisor
        or ticket.assignee_id == user.pk
        or ticket.category_id in team_category_ids(user)
    )


def is_requester_side(user, ticket) -> bool:
    """The requester, or a member of the requester's organisation (not the staff who
    handle tickets and happen to share it)."""
    return user.is_active and (
        ticket.requester_id == user.pk
        or (
            user.organisation_id is not None
            and user.organisation_id == ticket.organisation_id
            and not handles_tickets(user)
        )
    )


def marks_read(user, ticket) -> bool:
    """Opening the ticket counts as reading it: a handler who is not the requester's side."""
    return is_handler(user, ticket) and not is_requester_side(user, ticket)


def can_attach(user, ticket) -> bool:
    return ticket.status != Status.CLOSED and (
        is_handler(user, ticket) or is_requester_side(user, ticket)
    )


def can_resolve(user, ticket) -> bool:
    return _open(ticket) and is_handler(user, ticket)


def can_file_on_behalf(user) -> bool:
    """Responsibles and supervisors file for a member (phone call, e-mail, visit)."""
    return handles_tickets(user)


def _open(ticket) -> bool:
    return ticket.status not in (Status.RESOLVED, Status.CLOSED)


def can_reply(user, ticket) -> bool:
    """A public reply: both sides, while the ticket is open."""
    return _open(ticket) and (is_handler(user, ticket) or is_requester_side(user, ticket))


def can_note(user, ticket) -> bool:
    """An internal note: handlers only, until the ticket is closed."""
    return ticket.status != Status.CLOSED and is_handler(user, ticket)


def can_handle(user, ticket) -> bool:
    """Request information, redirect, assign: a handler, while the ticket is open."""
    return _open(ticket) and is_handler(user, ticket)


def can_change_priority(user, ticket) -> bool:
    return ticket.status != Status.CLOSED and is_handler(user, ticket)


def reopen_deadline(ticket):
    """Until when the requester's side may reopen a resolved ticket."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + timedelta(days=settings.HELPDESK_REOPEN_DAYS)


def within_reopen_window(ticket, now=None) -> bool:
    deadline = reopen_deadline(ticket)
    return deadline is not None and (now or timezone.now()) < deadline


def can_reopen(user, ticket) -> bool:
    return (
        ticket.status == Status.RESOLVED
        and within_reopen_window(ticket)
        and is_requester_side(user, ticket)
    )


def can_confirm(user, ticket) -> bool:
    """The requester's side confirms the resolution, which closes the ticket."""
    return ticket.status == Status.RESOLVED and is_requester_side(user, ticket)
