"""The detail page's merge, link and follow forms (relations.py does the work).

The ticket the form is posted from is looked up through `visible_to` (404 when hidden);
the other ticket a form names gets the same "not found" whether it does not exist or
the user may not see it, so that ids cannot be probed.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.storage import StoreUnavailable

from . import permissions, relations, selectors
from .models import Status, Ticket
from .workflow import TicketStateError

# A ticket number as people type it: "6" or "#6".
MAX_ID = 2**63 - 1


def _visible_ticket(request, pk) -> Ticket:
    try:
        return selectors.ticket_for_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _number(text: str) -> int | None:
    text = (text or "").strip().removeprefix("#").strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def _other(request, name: str) -> Ticket | None:
    """The ticket named by the form's `name` field among those the user sees, or None
    with the message said."""
    raw = request.POST.get(name, "")
    number = _number(raw)
    if number is None:
        messages.error(request, _("Enter a ticket number, such as 6 or #6."))
        return None
    try:
        return selectors.ticket_for_detail(request.user, number)
    except Ticket.DoesNotExist:
        messages.error(request, relations.not_found(number))
        return None


def detail_context(user, ticket) -> dict:
    """What the detail page's relation partials show (a fixed few queries)."""
    # A closed ticket is read-only: no forms, nobody to tell of changes that cannot come.
    open_ = ticket.status != Status.CLOSED
    handler = open_ and permissions.is_handler(user, ticket)
    if handler:
        people, colleagues = relations.followers_and_colleagues(ticket)
    else:
        people = relations.followers(ticket)
    context = {
        "related_tickets": relations.related(ticket, user),
        "followers": people,
        "following": open_ and any(person.pk == user.pk for person in people),
        "can_follow": open_ and permissions.may_follow(user, ticket),
        "can_link": handler,
        "can_merge": permissions.can("merge", user, ticket),
    }
    if handler:
        # Oneself follows with the button; a colleague already following is not offered.
        followed = {person.pk for person in people} | {user.pk}
        context["follower_candidates"] = [c for c in colleagues if c.pk not in followed]
        context["colleagues"] = colleagues  # the assign form's options, read once
    return context


@require_POST
def ticket_merge(request, pk):
    ticket = _visible_ticket(request, pk)
    if permissions.acting_side("merge", request.user, ticket) is None:
        raise PermissionDenied
    target = _other(request, "into")
    if target is None:
        return redirect(ticket)
    try:
        relations.merge(ticket, by=request.user, into=target)
    except TicketStateError as error:
        messages.error(request, str(error))
        return redirect(ticket)
    except StoreUnavailable:
        messages.error(
            request, _("The documents could not be copied just now: nothing was merged.")
        )
        return redirect(ticket)
    messages.success(
        request,
        _("Ticket #%(id)s was merged into this one.") % {"id": ticket.pk},
    )
    return redirect(target)


@require_POST
def ticket_link(request, pk):
    ticket = _visible_ticket(request, pk)
    if not permissions.is_handler(request.user, ticket):
        raise PermissionDenied
    other = _other(request, "ticket")
    if other is not None:
        try:
            relations.link(ticket, by=request.user, other=other)
        except TicketStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Related to #%(id)s.") % {"id": other.pk})
    return redirect(ticket)


@require_POST
def ticket_unlink(request, pk, other):
    ticket = _visible_ticket(request, pk)
    if not permissions.is_handler(request.user, ticket):
        raise PermissionDenied
    try:
        relations.unlink(ticket, by=request.user, other_id=other)
    except TicketStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("No longer related to #%(id)s.") % {"id": other})
    return redirect(ticket)


@require_POST
def ticket_follow(request, pk):
    ticket = _visible_ticket(request, pk)
    relations.follow(ticket, by=request.user)
    messages.success(request, _("You follow this ticket: you get its notices."))
    return redirect(ticket)


@require_POST
def ticket_unfollow(request, pk):
    ticket = _visible_ticket(request, pk)
    relations.unfollow(ticket, by=request.user)
    messages.success(request, _("You no longer follow this ticket."))
    return redirect(ticket)


@require_POST
def ticket_add_follower(request, pk):
    ticket = _visible_ticket(request, pk)
    if not permissions.is_handler(request.user, ticket):
        raise PermissionDenied
    raw = request.POST.get("user", "")
    person = None
    if raw.isascii() and raw.isdigit():
        person = get_user_model().objects.filter(pk=int(raw), is_active=True).first()
    if person is None or not permissions.is_handler(person, ticket):
        # The same answer for nobody and for someone outside the ticket: ids reveal no one.
        messages.error(request, _("Choose a colleague who handles this ticket."))
        return redirect(ticket)
    try:
        added = relations.follow(ticket, by=request.user, user=person)
    except TicketStateError as error:
        messages.error(request, str(error))
    else:
        if added:
            messages.success(
                request, _("%(name)s now follows this ticket.") % {"name": person.display_name()}
            )
    return redirect(ticket)
