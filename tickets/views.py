"""Views parse the request, call one selector or service, and render or redirect.

Every lookup goes through `Ticket.objects.visible_to`, so a ticket the user may
not see is a 404, whatever the view.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, TooManyFilesSent, ValidationError
from django.db import DatabaseError
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from categories.selectors import handles_tickets, team_category_ids
from common import storage
from common.replica import reads_from_replica

from . import (
    columns,
    customvalues,
    export,
    paging,
    permissions,
    selectors,
    services,
    uploads,
    workflow,
)
from .forms import (
    AssignForm,
    ConfirmForm,
    PriorityForm,
    RedirectForm,
    ReopenForm,
    ReplyForm,
    RequestInfoForm,
    ResolveForm,
    TicketForm,
    UploadForm,
)
from .models import Attachment, Status, Ticket

logger = logging.getLogger(__name__)


def _visible_ticket(request, pk) -> Ticket:
    try:
        return selectors.ticket_for_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _after_change(request, ticket, url_name="tickets:detail"):
    """Back to the ticket, or to the list when the change took it out of the user's
    sight (filed on behalf in another team's category, redirected to another team).

    The change is committed by now: whatever fails here is logged and the user still
    lands on the ticket, never on an error page that hides what was saved.
    """
    try:
        visible = Ticket.objects.visible_to(request.user).filter(pk=ticket.pk).exists()
    except DatabaseError:
        logger.exception("Ticket #%s is saved, but choosing the page after it failed.", ticket.pk)
        visible = True  # the ticket's own page decides who sees it
    if visible:
        return redirect(url_name, pk=ticket.pk)
    return redirect("tickets:list")


def _store_failed(request) -> None:
    """The documents could not be stored: the change was undone, the form comes back."""
    messages.error(
        request,
        _(
            "Your documents could not be stored just now, so nothing was saved. Please "
            "try again in a few minutes; if it keeps failing, tell the administrators."
        ),
    )


def _report_refused(request, result) -> None:
    for message in result.refused:
        messages.error(request, message)


def _takes_documents(page: Callable):
    """For a view that takes documents: a request over the upload limits (their total,
    or Django's hard stop on their number) gets `page(request, *args, status=...)`, the
    page it was sent from, again with the reason, and changes nothing.

    The body is parsed here, before the CSRF check (which parses it too, for its token),
    because a body refused unread holds no token to check; the refusal only shows a
    page. The view itself keeps the check.
    """

    def decorate(view):
        checked = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def take_documents(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    request.POST  # noqa: B018 - reading it runs the upload handlers
                except uploads.RequestTooLarge as refused:
                    messages.error(request, refused.message)
                    return page(request, *args, status=413, **kwargs)
                except TooManyFilesSent:
                    messages.error(request, uploads.too_many_files())
                    return page(request, *args, status=400, **kwargs)
            return checked(request, *args, **kwargs)

        return take_documents

    return decorate


@require_GET
@reads_from_replica
def ticket_list(request):
    ticket_filter, page = selectors.ticket_list(request.user, request.GET)
    return render(
        request,
        "tickets/list.html",
        {
            "filter": ticket_filter,
            "page": page,
            "columns": columns.LIST_COLUMNS,
            "rows": columns.list_rows(page.object_list),
            "current_sort": ticket_filter.data.get("sort", ""),
            "handles_tickets": handles_tickets(request.user),
        },
    )


@require_GET
@reads_from_replica
def organisation_suggestions(request):
    """The list's organisation field asks here as the user types (JSON)."""
    text = request.GET.get("q", "")[:200]
    return JsonResponse({"results": selectors.organisation_suggestions(request.user, text)})


@require_GET
@reads_from_replica
def ticket_export(request):
    tickets = selectors.filtered_tickets(request.user, request.GET).qs
    # The rows stream after the view returns: keep them on the database chosen here.
    tickets = tickets.using(tickets.db)
    if export.too_large(tickets):
        messages.error(
            request,
            _(
                "More than %(limit)s tickets match these criteria, more than one export "
                "may hold. Narrow the filters (dates, status, category) and export again."
            )
            % {"limit": number_format(settings.HELPDESK_EXPORT_MAX_ROWS, force_grouping=True)},
        )
        params = request.GET.copy()
        for name in (paging.PAGE, paging.AFTER, paging.BEFORE):
            params.pop(name, None)
        query = params.urlencode()
        return redirect(reverse("tickets:list") + (f"?{query}" if query else ""))
    response = StreamingHttpResponse(
        export.rows(tickets, get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="tickets.csv"'
    return response


def _ticket_form(request, data=None, files=None) -> TicketForm:
    on_behalf = permissions.can_file_on_behalf(request.user)
    form = TicketForm(data, files, user=request.user, on_behalf=on_behalf)
    # A link such as the knowledge base's "file a request" names the category to start on.
    category = request.GET.get("category", "")
    linked = data is None and category.isascii() and category.isdigit()
    if linked and form.fields["category"].queryset.filter(pk=category).exists():
        form.initial["category"] = int(category)
    # A case's "add a support request" names the case it is about.
    parent = request.GET.get("parent", "")
    named = data is None and "parent" in form.fields and parent.isascii() and parent.isdigit()
    if named and form.fields["parent"].queryset.filter(pk=parent).exists():
        form.initial["parent"] = int(parent)
    return form


def _new_ticket_page(request, form=None, *, status=200):
    if form is None:
        form = _ticket_form(request)
    return render(request, "tickets/form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@_takes_documents(_new_ticket_page)
def ticket_create(request):
    form = _ticket_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.file_ticket(
                by=request.user,
                category=data["category"],
                kind=data["kind"],
                priority=data["priority"],
                subject=data["subject"],
                description=data["description"],
                requester=data["requester"],
                channel=data["channel"],
                submission=data["submission"],
                files=data["attachments"],
                parent=data.get("parent"),
                product=data.get("product"),
                component=data.get("component"),
                custom=data.get("custom"),
            )
        except services.TicketStateError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            # What the form checked, changed since (a contract ended): nothing saved.
            for message in error.messages:
                messages.error(request, message)
        except services.StoreUnavailable:
            _store_failed(request)
        except services.DuplicateSubmission as duplicate:
            return _after_change(request, duplicate.ticket, "tickets:documents")
        else:
            _report_refused(request, result)
            messages.success(request, _("The problem was recorded!"))
            # The applicant is told the number the request is filed under.
            messages.info(request, _("Its number is %(number)s.") % {"number": result.ticket.pk})
            return _after_change(request, result.ticket, "tickets:documents")
    return _new_ticket_page(request, form)


def _documents_page(request, ticket, form, *, status=200):
    return render(
        request,
        "tickets/documents.html",
        {"ticket": ticket, "form": form, "documents": selectors.documents(ticket, request.user)},
        status=status,
    )


def _documents_again(request, pk, *, status):
    ticket = _visible_ticket(request, pk)
    if not permissions.can("attach", request.user, ticket):
        return _render_detail(request, ticket, status=status)
    return _documents_page(request, ticket, UploadForm(), status=status)


@require_http_methods(["GET", "POST"])
@_takes_documents(_documents_again)
def ticket_documents(request, pk):
    """The step after filing: upload more documents, or finish with "OK"."""
    ticket = _visible_ticket(request, pk)
    if not permissions.can("attach", request.user, ticket):
        return redirect(ticket)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attach(
                ticket, by=request.user, files=form.cleaned_data["attachments"]
            )
        except services.TicketStateError as error:  # closed meanwhile
            messages.error(request, str(error))
            return redirect(ticket)
        except services.StoreUnavailable:
            _store_failed(request)
            return _documents_page(request, ticket, form)
        _report_refused(request, result)
        if result.saved:
            messages.success(
                request, _("%(count)d document(s) uploaded.") % {"count": len(result.saved)}
            )
        return redirect("tickets:documents", pk=ticket.pk)
    return _documents_page(request, ticket, form)


@dataclass(frozen=True)
class DetailAction:
    """One form of the detail page and the workflow actions it posts."""

    actions: tuple[str, ...]  # offered when the workflow allows any of these
    build: Callable  # (user, ticket, data, files) -> the form


def _reply_form(user, ticket, data, files):
    return ReplyForm(data, files, can_note=permissions.can("note", user, ticket))


# The detail page's forms, by context name. Who may post each and when the page
# offers it come from the workflow table (`workflow.ACTIONS`), through permissions.
ACTIONS = {
    "reply_form": DetailAction(("reply", "note"), _reply_form),
    "request_info_form": DetailAction(
        ("request_info",), lambda u, t, d, f: RequestInfoForm(d, ticket=t)
    ),
    "assign_form": DetailAction(("assign",), lambda u, t, d, f: AssignForm(d, ticket=t, user=u)),
    "redirect_form": DetailAction(("redirect",), lambda u, t, d, f: RedirectForm(d, ticket=t)),
    "priority_form": DetailAction(
        ("priority",), lambda u, t, d, f: PriorityForm(d, initial={"priority": t.priority})
    ),
    "resolve_form": DetailAction(("resolve",), lambda u, t, d, f: ResolveForm(d)),
    "reopen_form": DetailAction(("reopen",), lambda u, t, d, f: ReopenForm(d)),
    "confirm_form": DetailAction(("close",), lambda u, t, d, f: ConfirmForm(d)),
}


def _render_detail(request, ticket, *, bound=None, status=200):
    user = request.user
    forms = {
        name: form.build(user, ticket, None, None)
        for name, form in ACTIONS.items()
        if any(permissions.can(action, user, ticket) for action in form.actions)
    }
    if bound:
        forms.update(bound)
    context = {
        "ticket": ticket,
        "events": selectors.timeline(ticket, user),
        "documents": selectors.documents(ticket, user),
        "can_attach": permissions.can("attach", user, ticket),
        "reopen_deadline": workflow.reopen_deadline(ticket),
        "upload_form": UploadForm(),
        "has_actions": bool(forms),
        "custom_values": customvalues.for_ticket(ticket),
        # The knowledge base's "from ticket to article" (kb/), for its category's writers.
        "can_draft_article": ticket.status in (Status.RESOLVED, Status.CLOSED)
        and (user.is_supervisor or ticket.category_id in team_category_ids(user)),
        **forms,
    }
    return render(request, "tickets/detail.html", context, status=status)


@require_GET
def ticket_detail(request, pk):
    ticket = services.mark_read(_visible_ticket(request, pk), by=request.user)
    return _render_detail(request, ticket)


def _act(request, pk, form_name, action, success):
    """Run one action from the detail page: validate its form, call its service.

    An invalid form shows the page again with the messages; an action the status
    does not allow changes nothing and says why.
    """
    ticket = _visible_ticket(request, pk)
    detail_action = ACTIONS[form_name]
    if not any(permissions.acting_side(a, request.user, ticket) for a in detail_action.actions):
        raise PermissionDenied
    form = detail_action.build(request.user, ticket, request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, ticket, bound={form_name: form})
    try:
        result = action(ticket, form.cleaned_data)
    except services.TicketStateError as error:
        messages.error(request, str(error))
    except services.StoreUnavailable:
        _store_failed(request)
        return _render_detail(request, ticket, bound={form_name: form})
    except services.DuplicateSubmission:
        pass
    else:
        if isinstance(result, services.Result):
            _report_refused(request, result)
        messages.success(request, success)
    return _after_change(request, ticket)


def _ticket_again(request, pk, *, status):
    return _render_detail(request, _visible_ticket(request, pk), status=status)


@require_POST
@_takes_documents(_ticket_again)
def ticket_reply(request, pk):
    def action(ticket, data):
        return services.reply(
            ticket,
            by=request.user,
            body=data["body"],
            internal=data.get("internal", False),
            files=data["attachments"],
            submission=data["submission"],
        )

    return _act(request, pk, "reply_form", action, _("Your message was added."))


@require_POST
def ticket_request_info(request, pk):
    def action(ticket, data):
        return services.request_info(ticket, by=request.user, body=data["body"])

    return _act(request, pk, "request_info_form", action, _("Information was requested."))


@require_POST
def ticket_redirect(request, pk):
    def action(ticket, data):
        return services.redirect_to_category(
            ticket, by=request.user, category=data["category"], body=data["body"]
        )

    return _act(request, pk, "redirect_form", action, _("The ticket was redirected."))


@require_POST
def ticket_assign(request, pk):
    def action(ticket, data):
        return services.assign(ticket, by=request.user, assignee=data["assignee"])

    return _act(request, pk, "assign_form", action, _("The ticket was assigned."))


@require_POST
def ticket_priority(request, pk):
    def action(ticket, data):
        return services.change_priority(ticket, by=request.user, priority=data["priority"])

    return _act(request, pk, "priority_form", action, _("The priority was changed."))


@require_POST
def ticket_resolve(request, pk):
    def action(ticket, data):
        return services.resolve(ticket, by=request.user, explanation=data["explanation"])

    return _act(request, pk, "resolve_form", action, _("The ticket is resolved."))


@require_POST
def ticket_reopen(request, pk):
    def action(ticket, data):
        return services.reopen(ticket, by=request.user, body=data["body"])

    return _act(request, pk, "reopen_form", action, _("The ticket was reopened."))


@require_POST
def ticket_confirm(request, pk):
    def action(ticket, data):
        return services.close(ticket, by=request.user)

    return _act(request, pk, "confirm_form", action, _("Thank you: the ticket is closed."))


def _store_down(request):
    return render(
        request,
        "503.html",
        {"message": _("The document cannot be fetched just now. Try again in a few minutes.")},
        status=503,
    )


@require_GET
def attachment_download(request, pk):
    """The one way to a document: after the visibility check, streamed through the
    site, or (HELPDESK_ATTACHMENT_URL_SECONDS, on a store that signs links) a redirect
    to a link that works for that many seconds and answers with the same headers."""
    try:
        attachment = selectors.attachment_for_download(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    as_attachment = not attachment.is_image
    file = attachment.file
    seconds = settings.HELPDESK_ATTACHMENT_URL_SECONDS
    try:
        if seconds > 0 and storage.signs_links(file.storage):
            if not file.storage.exists(file.name):
                raise Http404
            return redirect(
                storage.signed_link(
                    file.storage,
                    file.name,
                    seconds=seconds,
                    disposition=content_disposition_header(as_attachment, attachment.download_name),
                    content_type=attachment.content_type,
                )
            )
        handle = file.open("rb")
        # Fetch now (an object store hands over the whole object on the first read), so
        # that a store failing here gets the page below, not a download cut short.
        handle.read(0)
    except FileNotFoundError:
        raise Http404 from None
    except storage.STORE_ERRORS:
        logger.exception("The document store did not give back attachment #%s.", attachment.pk)
        file.close()
        return _store_down(request)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if attachment.is_image:
        # Shown inline, but never allowed to run anything.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
