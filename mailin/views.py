"""The supervisors' page of mail from unknown addresses: assign each to a user (it is
filed as theirs) or discard it. Anyone else gets 404: the page does not exist for them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tickets.workflow import TicketStateError

from . import services
from .forms import AssignForm
from .models import HeldMessage

PAGE = 50


def _supervisor(request):
    if not request.user.is_supervisor:
        raise Http404


def _held(pk) -> HeldMessage:
    held = HeldMessage.objects.filter(pk=pk, state=HeldMessage.State.HELD).defer("raw").first()
    if held is None:
        raise Http404
    return held


@require_GET
def held_list(request):
    _supervisor(request)
    return _page(request)


def _page(request, form=None, bound_pk=None):
    rows = list(
        HeldMessage.objects.filter(state=HeldMessage.State.HELD)
        .defer("raw")
        .order_by("-received_at", "-id")[:PAGE]
    )
    return render(
        request,
        "mailin/held.html",
        {
            "rows": rows,
            "form": form or AssignForm(),
            "bound_pk": bound_pk,
            # Once for the page, not once a row.
            "categories": list(AssignForm.base_fields["category"].queryset),
        },
    )


@require_POST
def held_assign(request, pk):
    _supervisor(request)
    held = _held(pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, bound_pk=held.pk)
    try:
        ticket = services.assign_held(
            held,
            by=request.user,
            user=form.cleaned_data["user"],
            category=form.cleaned_data["category"],
        )
    except TicketStateError as error:
        messages.error(request, str(error))
    except ValidationError as error:  # the contract's kinds, a required custom field
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message was filed as ticket #%(id)s.") % {"id": ticket.pk})
    return redirect("mailin:held")


@require_POST
def held_discard(request, pk):
    _supervisor(request)
    try:
        services.discard_held(_held(pk), by=request.user)
    except TicketStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message was discarded."))
    return redirect("mailin:held")
