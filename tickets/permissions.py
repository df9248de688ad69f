"""Who may do what to a ticket they can see. Pure functions; no queries but one cached.

Seeing is `Ticket.objects.visible_to(user)`; these decide acting. Acting on the
requester's side stays with the requester's own organisation: a union reads its
chambers' tickets but does not act on them.
"""

from categories.selectors import team_category_ids

from .models import Status


def is_handler(user, ticket) -> bool:
    """A supervisor, a member of the category's team, or the assignee."""
    return user.is_active and (
        user.is_supervisor
        or ticket.assignee_id == user.pk
        or ticket.category_id in team_category_ids(user)
    )


def is_requester_side(user, ticket) -> bool:
    return user.is_active and (
        ticket.requester_id == user.pk
        or (user.organisation_id is not None and user.organisation_id == ticket.organisation_id)
    )


def marks_read(user, ticket) -> bool:
    """Opening the ticket counts as reading it: a handler who is not the requester's side."""
    return is_handler(user, ticket) and not is_requester_side(user, ticket)


def can_attach(user, ticket) -> bool:
    return ticket.status != Status.CLOSED and (
        is_handler(user, ticket) or is_requester_side(user, ticket)
    )


def can_resolve(user, ticket) -> bool:
    return is_handler(user, ticket) and ticket.status not in (Status.RESOLVED, Status.CLOSED)


def can_file_on_behalf(user) -> bool:
    """Responsibles and supervisors file for a member (phone call, e-mail, visit)."""
    return user.is_supervisor or bool(team_category_ids(user))
