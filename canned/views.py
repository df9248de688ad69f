"""Canned replies: kept by their team in the site, picked in a ticket's reply form.

tickets/ knows nothing of this app: its reply form's script asks `for_ticket` (JSON)
and puts the chosen text into the form whose service sets the status (reply, request
information, resolve); without JavaScript, `pick` shows the same texts as forms that
post to those very actions.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from categories.selectors import handles_tickets
from tickets import permissions as ticket_permissions
from tickets.models import Ticket

from . import permissions, placeholders
from .forms import CannedReplyForm
from .models import Action

# Where each action's text goes on the ticket's page: the form's id and its field.
TARGETS = {
    Action.REPLY: ("reply", "body", "tickets:reply", "reply"),
    Action.REQUEST_INFO: ("request-info", "body", "tickets:request_info", "request_info"),
    Action.RESOLVE: ("resolve", "explanation", "tickets:resolve", "resolve"),
}


def _handler_only(request):
    if not handles_tickets(request.user):
        raise Http404


def _ticket(request, ticket_pk):
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("requester", "organisation"),
        pk=ticket_pk,
    )
    if not ticket_permissions.is_handler(request.user, ticket):
        raise Http404
    return ticket


def _choices(request, ticket):
    """The replies for `ticket`, filled, those in the requester's (else the page's)
    language first; only those whose action the ticket's status allows now."""
    language = ticket.requester.language or get_language()
    found = []
    for canned in permissions.for_ticket(request.user, ticket).select_related("category"):
        form_id, field, url_name, action = TARGETS[canned.action]
        if not ticket_permissions.can(action, request.user, ticket):
            continue
        found.append(
            {
                "id": canned.pk,
                "title": canned.title,
                "language": canned.language,
                "language_name": canned.get_language_display(),
                "action": canned.action,
                "action_name": canned.get_action_display(),
                "form": form_id,
                "field": field,
                "url_name": url_name,
                "body": placeholders.fill(canned.body, ticket),
            }
        )
    found.sort(key=lambda choice: (choice["language"] != language, choice["title"].casefold()))
    return found


@require_GET
def for_ticket(request, ticket_pk):
    """JSON for the reply form's picker (canned-picker.js)."""
    ticket = _ticket(request, ticket_pk)
    choices = _choices(request, ticket)
    for choice in choices:
        del choice["url_name"]
    return JsonResponse({"results": choices})


@require_GET
def pick(request, ticket_pk):
    """The picker without JavaScript: each text as a form posting to its action."""
    ticket = _ticket(request, ticket_pk)
    return render(
        request, "canned/pick.html", {"ticket": ticket, "choices": _choices(request, ticket)}
    )


@require_GET
def canned_index(request):
    _handler_only(request)
    replies = permissions.usable(request.user).select_related("category")
    editable = set(permissions.editable(request.user).values_list("pk", flat=True))
    return render(request, "canned/index.html", {"replies": replies, "editable": editable})


def _edit_page(request, form, canned=None):
    return render(request, "canned/form.html", {"form": form, "canned": canned})


@require_http_methods(["GET", "POST"])
def canned_create(request):
    _handler_only(request)
    form = CannedReplyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        canned = form.save(commit=False)
        canned.created_by = request.user
        canned.save()
        messages.success(request, _("The canned reply was saved."))
        return redirect("canned:index")
    return _edit_page(request, form)


@require_http_methods(["GET", "POST"])
def canned_edit(request, pk):
    canned = get_object_or_404(permissions.editable(request.user), pk=pk)
    form = CannedReplyForm(request.POST or None, instance=canned, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The canned reply was saved."))
        return redirect("canned:index")
    return _edit_page(request, form, canned)


@require_POST
def canned_delete(request, pk):
    canned = get_object_or_404(permissions.editable(request.user), pk=pk)
    canned.delete()
    messages.success(request, _("The canned reply was deleted."))
    return redirect("canned:index")
