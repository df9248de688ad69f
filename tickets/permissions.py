"""Who may do what to a ticket they can see. Pure functions; no queries but one cached.

Seeing is `Ticket.objects.visible_to(user)`; these decide acting, by reading the
workflow table (`workflow.ACTIONS`). Acting on the requester's side stays with the
requester's own organisation: a union reads its chambers' tickets but does not act
on them.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Role
from categories.selectors import handles_tickets, team_category_ids

from .querysets import referred_parent_ids
from .workflow import ACTIONS, FILE_ON_BEHALF, Side, TicketStateError


def is_handler(user, ticket) -> bool:
    """A supervisor, a member of the category's team, the assignee, or the reviewer of
    the case the ticket was filed about."""
    return user.is_active and (
        user.is_supervisor
        or ticket.assignee_id == user.pk
        or ticket.category_id in team_category_ids(user)
        or (ticket.parent_id is not None and ticket.parent_id in referred_parent_ids(user))
    )


def is_requester_side(user, ticket) -> bool:
    """The requester, or a member of the requester's organisation (not staff who share it)."""
    return user.is_active and (
        ticket.requester_id == user.pk
        or (
            user.role == Role.MEMBER
            and user.organisation_id is not None
            and user.organisation_id == ticket.organisation_id
        )
    )


def sides(user, ticket) -> list[Side]:
    """The sides `user` is on for this ticket; the handler's first when on both."""
    if user is None:
        return [Side.SYSTEM]
    found = []
    if is_handler(user, ticket):
        found.append(Side.HANDLER)
    if is_requester_side(user, ticket):
        found.append(Side.REQUESTER)
    return found


def acting_side(action: str, user, ticket) -> Side | None:
    """The side on which `user` may take `action` at all, whatever the status."""
    allowed = ACTIONS[action].sides
    return next((side for side in sides(user, ticket) if side in allowed), None)


def check(action: str, user, ticket) -> Side:
    """Raise unless `user` may take `action` on the (locked) ticket now; returns their side.

    PermissionDenied when they are on no side that may take it; TicketStateError,
    with the message for the user, when the status (or a guard) does not allow it.
    """
    side = acting_side(action, user, ticket)
    if side is None:
        raise PermissionDenied
    rule = ACTIONS[action]
    if ticket.status not in rule.allowed_from:
        raise TicketStateError(str(rule.refusal))
    guard = rule.guards.get(side)
    if guard and not guard.test(ticket):
        raise TicketStateError(str(guard.refusal))
    return side


def can(action: str, user, ticket) -> bool:
    """Whether the detail page offers `action` to `user` now."""
    try:
        check(action, user, ticket)
    except (PermissionDenied, TicketStateError):
        return False
    return True


def may_follow(user, ticket) -> bool:
    """Members of the requester's organisation and the ticket's handlers follow it."""
    return is_handler(user, ticket) or is_requester_side(user, ticket)


def marks_read(user, ticket) -> bool:
    """Opening the ticket counts as reading it for the category's team, the assignee or
    the reviewer of the case it is about (not the requester's side). A supervisor's look
    is not the team's read receipt."""
    on_it = (
        ticket.assignee_id == user.pk
        or ticket.category_id in team_category_ids(user)
        or (ticket.parent_id is not None and ticket.parent_id in referred_parent_ids(user))
    )
    return user.is_active and on_it and not is_requester_side(user, ticket)


def can_file_on_behalf(user) -> bool:
    """Responsibles and supervisors file for a member (phone call, e-mail, visit)."""
    # No ticket yet: the side is the user's standing, not a relation to a ticket.
    side = Side.HANDLER if handles_tickets(user) else Side.REQUESTER
    return side in FILE_ON_BEHALF
