"""The workflow in one table: who may take each action, from which statuses, and where
it leads; and `transition`, the one place where a ticket's status changes.

`permissions.can` reads the table for the detail page's buttons and the views; the
services call `permissions.check` on the locked row and `transition` to move. A new
rule is one line here, never a branch in a service or a template.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import django.dispatch
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import OPEN_STATUSES, Status, Ticket


class Side(enum.Enum):
    """Who acts on a ticket (`permissions.sides` tells which a user is on)."""

    REQUESTER = "requester"  # the requester and members of their own organisation
    HANDLER = "handler"  # the category's team, the assignee, a supervisor
    SYSTEM = "system"  # periodic work, no person (`by=None`)


class TicketStateError(Exception):
    """The action does not fit the ticket's status; the message is for the user."""


def reopen_window() -> timedelta:
    """How long after the resolution the requester's side may reopen a ticket."""
    return timedelta(days=settings.HELPDESK_REOPEN_DAYS)


def reopen_deadline(ticket):
    """Until when the requester's side may reopen a resolved ticket."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + reopen_window()


def within_reopen_window(ticket, now=None) -> bool:
    deadline = reopen_deadline(ticket)
    return deadline is not None and (now or timezone.now()) < deadline


@dataclass(frozen=True)
class Guard:
    """A condition beyond the status, and what the user is told when it fails."""

    test: Callable[[Ticket], bool]
    refusal: Promise


@dataclass(frozen=True)
class Action:
    sides: frozenset[Side]  # who may take it
    allowed_from: frozenset[str]  # the statuses it may be taken from
    refusal: Promise  # what the user is told when the status does not allow it
    to: str | None = None  # the status it leads to, from any allowed status
    # Or, per acting side, a move from some statuses (the others stay as they are).
    moves: Mapping[Side, Mapping[str, str]] = field(default_factory=dict)
    guards: Mapping[Side, Guard] = field(default_factory=dict)  # beyond the status

    def leads_to(self, side: Side, status: str) -> str:
        if self.to is not None:
            return self.to
        return self.moves.get(side, {}).get(status, status)


REQUESTER, HANDLER, SYSTEM = Side.REQUESTER, Side.HANDLER, Side.SYSTEM
HANDLERS = frozenset({HANDLER})
EITHER = frozenset({REQUESTER, HANDLER})
OPEN = frozenset(OPEN_STATUSES)
NOT_CLOSED = frozenset(Status) - {Status.CLOSED}
RESOLVED = frozenset({Status.RESOLVED})
# A handler's first answer or an assignment takes an untaken ticket into work.
TAKES_INTO_WORK = {Status.WAITING: Status.IN_PROGRESS, Status.REDIRECTED: Status.IN_PROGRESS}
ALREADY_RESOLVED = _("This ticket is already resolved.")
CLOSED = _("This ticket is closed.")

ACTIONS: dict[str, Action] = {
    # Public; the requester's answer to an information request gives it back.
    "reply": Action(
        EITHER,
        OPEN,
        _("This ticket is not open for replies."),
        moves={HANDLER: TAKES_INTO_WORK, REQUESTER: {Status.INFO_REQUESTED: Status.IN_PROGRESS}},
    ),
    "note": Action(HANDLERS, NOT_CLOSED, _("This ticket is not open for replies.")),
    "attach": Action(EITHER, NOT_CLOSED, CLOSED),
    "request_info": Action(HANDLERS, OPEN, ALREADY_RESOLVED, to=Status.INFO_REQUESTED),
    "redirect": Action(HANDLERS, OPEN, ALREADY_RESOLVED, to=Status.REDIRECTED),
    "assign": Action(HANDLERS, OPEN, ALREADY_RESOLVED, moves={HANDLER: TAKES_INTO_WORK}),
    "priority": Action(HANDLERS, NOT_CLOSED, CLOSED),
    "resolve": Action(HANDLERS, OPEN, ALREADY_RESOLVED, to=Status.RESOLVED),
    # A duplicate is closed into the ticket that carries on (relations.merge).
    "merge": Action(HANDLERS, NOT_CLOSED, CLOSED, to=Status.CLOSED),
    "reopen": Action(
        frozenset({REQUESTER}),
        RESOLVED,
        _("Only a resolved ticket can be reopened."),
        to=Status.IN_PROGRESS,
        guards={
            REQUESTER: Guard(within_reopen_window, _("The time to reopen this ticket has passed."))
        },
    ),
    # The requester's side confirms the resolution, or (SYSTEM) the reopen window passed.
    "close": Action(
        frozenset({REQUESTER, SYSTEM}),
        RESOLVED,
        _("Only a resolved ticket can be closed."),
        to=Status.CLOSED,
        guards={
            SYSTEM: Guard(
                lambda ticket: not within_reopen_window(ticket),
                _("The reopen window of this ticket is still open."),
            )
        },
    ),
}
# Filing for someone else (a phone call, a visit) has no ticket yet: handlers only.
FILE_ON_BEHALF = frozenset({HANDLER})

# Sent inside the transaction of every status change, a new ticket's included: the
# hook for service levels, webhooks and metrics. Arguments: ticket, old (None for a
# new ticket), new, by (None for periodic work).
status_changed = django.dispatch.Signal()
# Sent inside the transaction when a handler answers the requester's side: a public
# reply, an information request or a resolution (a read receipt is not an answer).
# Arguments: ticket (locked), by, kind (the event kind of the answer).
handler_responded = django.dispatch.Signal()
# Sent inside the transaction when the terms of a ticket's service level change.
# Arguments: ticket (locked), field ("priority" or "category"), old, new (codes or
# ids), by.
field_changed = django.dispatch.Signal()


def transition(ticket: Ticket, to: str, *, by: User | None, also: Iterable[str] = ()) -> bool:
    """Move a locked ticket to status `to`, with the dates that go with it, saving the
    fields in `also` that the caller changed in the same UPDATE.

    The one place a status changes. Returns whether it changed; the caller writes
    the event that says why.
    """
    old = ticket.status
    fields = list(also)
    if to == old:
        if fields:
            ticket.save(update_fields=fields)
        return False
    now = timezone.now()
    ticket.status = to
    fields.append("status")
    if to == Status.RESOLVED:
        ticket.resolved_at = now
        fields.append("resolved_at")
    elif old == Status.RESOLVED and to != Status.CLOSED:
        ticket.resolved_at = None  # reopened: the member sees it unresolved again
        fields.append("resolved_at")
    if to == Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    ticket.save(update_fields=fields)
    status_changed.send(sender=Ticket, ticket=ticket, old=old, new=to, by=by)
    return True


def filed(ticket: Ticket, *, by: User) -> None:
    """A new ticket enters the workflow in its first status: the hook hears old=None."""
    status_changed.send(sender=Ticket, ticket=ticket, old=None, new=ticket.status, by=by)
