"""Whose canned replies a user may use and edit: their teams' and the shared ones.

Another team's reply is a 404, like a ticket one may not see.
"""

from django.db.models import Q

from categories.selectors import handles_tickets, team_category_ids
from tickets import permissions as ticket_permissions

from .models import CannedReply


def usable(user):
    """The replies `user` may pick: their teams' and the shared ones (supervisors: all)."""
    if not handles_tickets(user):
        return CannedReply.objects.none()
    if user.is_supervisor:
        return CannedReply.objects.all()
    return CannedReply.objects.filter(
        Q(category_id__in=team_category_ids(user)) | Q(category__isnull=True)
    )


def editable(user):
    """The replies `user` may change: their teams'; the shared ones are supervisors'."""
    if not handles_tickets(user):
        return CannedReply.objects.none()
    if user.is_supervisor:
        return CannedReply.objects.all()
    return CannedReply.objects.filter(category_id__in=team_category_ids(user))


def for_ticket(user, ticket):
    """The replies `user` may send on `ticket`: its category's and the shared ones, for
    the ticket's handlers only."""
    if not ticket_permissions.is_handler(user, ticket):
        return CannedReply.objects.none()
    return usable(user).filter(Q(category_id=ticket.category_id) | Q(category__isnull=True))
