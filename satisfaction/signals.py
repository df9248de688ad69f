"""Two hooks into tickets, which know nothing of surveys: the close that sends one
(`status_changed`), and the ticket page's panel for handlers (`detail_panels`)."""

from django.dispatch import receiver
from django.template.loader import render_to_string

from tickets.models import Status, Ticket
from tickets.panels import detail_panels
from tickets.permissions import is_handler
from tickets.workflow import status_changed

from . import selectors, services


@receiver(status_changed, sender=Ticket, dispatch_uid="satisfaction_closed")
def ticket_closed(sender, ticket, old, new, by, **kwargs):
    if new == Status.CLOSED:
        services.send_survey(ticket)


@receiver(detail_panels, dispatch_uid="satisfaction_panel")
def rating_panel(sender, request, ticket, **kwargs):
    """The requester's rating, for the ticket's handlers only (one query, closed ones)."""
    if ticket.status != Status.CLOSED or not is_handler(request.user, ticket):
        return ""
    survey = selectors.for_ticket(ticket)
    return render_to_string(
        "satisfaction/_panel.html", {"survey": survey, "ticket": ticket}, request=request
    )
