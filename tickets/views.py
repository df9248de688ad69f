"""Views parse the request, call one selector or service, and render or redirect.

Every lookup goes through `Ticket.objects.visible_to`, so a ticket the user may
not see is a 404, whatever the view.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import export, permissions, selectors, services
from .forms import ResolveForm, TicketForm, UploadForm
from .models import Attachment, Ticket


def _visible_ticket(request, pk) -> Ticket:
    try:
        return selectors.ticket_for_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _report_refused(request, result) -> None:
    for message in result.refused:
        messages.error(request, message)


@require_GET
def ticket_list(request):
    ticket_filter, page = selectors.ticket_list(request.user, request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "tickets/list.html",
        {
            "filter": ticket_filter,
            "page": page,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "current_sort": request.GET.get("sort", ""),
        },
    )


@require_GET
def ticket_export(request):
    tickets = selectors.filtered_tickets(request.user, request.GET).qs
    response = StreamingHttpResponse(
        export.rows(tickets, get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="tickets.csv"'
    return response


@require_http_methods(["GET", "POST"])
def ticket_create(request):
    on_behalf = permissions.can_file_on_behalf(request.user)
    form = TicketForm(request.POST or None, request.FILES or None, on_behalf=on_behalf)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.file_ticket(
                by=request.user,
                category=data["category"],
                kind=data["kind"],
                priority=data["priority"],
                subject=data["subject"],
                description=data["description"],
                requester=data.get("requester"),
                channel=data.get("channel", ""),
            )
        except services.TicketStateError as error:
            messages.error(request, str(error))
        else:
            _report_refused(
                request, services.attach(ticket, by=request.user, files=data["attachments"])
            )
            messages.success(request, _("The problem was recorded!"))
            return redirect("tickets:documents", pk=ticket.pk)
    return render(request, "tickets/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def ticket_documents(request, pk):
    """The step after filing: upload more documents, or finish with "OK"."""
    ticket = _visible_ticket(request, pk)
    if not permissions.can_attach(request.user, ticket):
        return redirect(ticket)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = services.attach(ticket, by=request.user, files=form.cleaned_data["attachments"])
        _report_refused(request, result)
        if result.saved:
            messages.success(
                request, _("%(count)d document(s) uploaded.") % {"count": len(result.saved)}
            )
        return redirect("tickets:documents", pk=ticket.pk)
    return render(
        request,
        "tickets/documents.html",
        {"ticket": ticket, "form": form, "documents": selectors.documents(ticket, request.user)},
    )


def _render_detail(request, ticket, status=200, **forms):
    user = request.user
    context = {
        "ticket": ticket,
        "events": selectors.timeline(ticket, user),
        "documents": selectors.documents(ticket, user),
        "can_resolve": permissions.can_resolve(user, ticket),
        "can_attach": permissions.can_attach(user, ticket),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "upload_form": UploadForm(),
    }
    return render(request, "tickets/detail.html", context, status=status)


@require_GET
def ticket_detail(request, pk):
    ticket = services.mark_read(_visible_ticket(request, pk), by=request.user)
    return _render_detail(request, ticket)


@require_POST
def ticket_resolve(request, pk):
    ticket = _visible_ticket(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, ticket, resolve_form=form)
    try:
        services.resolve(ticket, by=request.user, explanation=form.cleaned_data["explanation"])
    except services.TicketStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The ticket is resolved."))
    return redirect(ticket)


@require_GET
def attachment_download(request, pk):
    try:
        attachment = selectors.attachment_for_download(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if attachment.is_image:
        # Shown inline, but never allowed to run anything.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
