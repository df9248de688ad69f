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
from django.http import FileResponse, Http404, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from categories.selectors import handles_tickets
from common import storage
from common.replica import reads_from_replica

from . import (
    bulk,
    columns,
    conversation,
    customvalues,
    export,
    filing,
    paging,
    panels,
    permissions,
    presence,
    references,
    saved_searches,
    selectors,
    services,
    uploads,
    workflow,
    worklists,
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
from .models import Attachment, Priority, SavedSearch, Ticket
from .relation_views import detail_context as relation_context

logger = logging.getLogger(__name__)


def _visible_ticket(request, pk) -> Ticket:
    try:
        return selectors.ticket_for_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _list_query(request) -> str | None:
    """The query string of the list the user came from (`list`), carried from the list
    through the ticket's page and its forms, for next/previous and the way back."""
    value = request.POST.get("list") if request.method == "POST" else request.GET.get("list")
    return None if value is None else value[:2000]


def _after_change(request, ticket, url_name="tickets:detail"):
    """Back to the ticket, or to the list when the change took it out of the user's
    sight (filed on behalf in another team's category, redirected to another team).

    The change is committed by now: whatever fails here is logged and the user still
    lands on the ticket, never on an error page that hides what was saved.
    """
    try:
        visible = selectors.still_shown(request.user, ticket.pk)
    except DatabaseError:
        logger.exception("Ticket #%s is saved, but choosing the page after it failed.", ticket.pk)
        visible = True  # the ticket's own page decides who sees it
    if visible:
        list_query = _list_query(request)
        if url_name == "tickets:detail" and list_query is not None:
            url = reverse(url_name, args=[ticket.pk])
            return redirect(f"{url}?{QueryDict.fromkeys(['list'], list_query).urlencode()}")
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
    user = request.user
    ticket_filter, page = selectors.ticket_list(user, request.GET)
    handles = handles_tickets(user)
    current_view = worklists.find(user, request.GET.get("view"))
    shown = columns.named_for(filing.category_label(filing.viewer_organisation(user)))
    # Why an empty list is empty: nothing filed at all, or the criteria hide what there is.
    empty = not page.object_list and not page.missing
    views, visible = worklists.counts(user, also=[Ticket.objects.visible_to(user)] if empty else [])
    context = {
        "filter": ticket_filter,
        "page": page,
        "headers": columns.sort_headers(shown, ticket_filter.data.get("sort", ""), request.GET),
        "rows": columns.list_rows(
            page.object_list, shown, worklists.updated_ids(user, page.object_list), pick=handles
        ),
        "current_sort": ticket_filter.data.get("sort", ""),
        "current_view": current_view.name if current_view else "",
        "handles_tickets": handles,
        "worklists": views,
        "saved_searches": saved_searches.shown_to(user),
        "save_search_form": saved_searches.SavedSearchForm(
            user=user, initial={"query": saved_searches.clean_query(request.GET.urlencode())}
        ),
        "can_save_search": bool(saved_searches.clean_query(request.GET.urlencode())),
    }
    if handles:
        # Asked for an empty page too: the page's number of queries stays the same.
        colleagues = selectors.colleagues(user)
        if page.object_list:
            context["bulk"] = {
                "assignees": colleagues,
                "priorities": Priority.choices,
                "next": request.get_full_path(),
            }
    if empty:
        context["nothing_filed"] = not visible[0]
    return render(request, "tickets/list.html", context)


def _back_to_list(request):
    """To the list the form was sent from (a same-site path under it), else the list."""
    target = request.POST.get("next", "")
    list_url = reverse("tickets:list")
    if target.startswith(list_url) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(list_url)


@require_POST
def ticket_bulk(request):
    """One action on the tickets ticked in the list (handlers)."""
    if not handles_tickets(request.user):
        raise PermissionDenied
    ids, bad = bulk.parse_ids(request.POST.getlist("ids"))
    form = bulk.BulkForm(request.POST, user=request.user)
    if not ids and not bad:
        messages.error(request, _("Tick the tickets to act on first."))
        return _back_to_list(request)
    if len(ids) + len(bad) > bulk.MAX_TICKETS:
        messages.error(
            request,
            _("At most %(count)d tickets can be changed at once; nothing was changed.")
            % {"count": bulk.MAX_TICKETS},
        )
        return _back_to_list(request)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request)
    outcome = bulk.run(request.user, ids, form.cleaned_data)
    if outcome.done:
        messages.success(
            request,
            ngettext(
                "%(count)d ticket was changed: %(numbers)s.",
                "%(count)d tickets were changed: %(numbers)s.",
                len(outcome.done),
            )
            % {"count": len(outcome.done), "numbers": bulk.numbers(outcome.done)},
        )
    for message, refused in outcome.refused.items():
        messages.warning(
            request,
            _("Not changed: %(numbers)s. %(reason)s")
            % {"numbers": bulk.numbers(refused), "reason": message},
        )
    if outcome.not_found or bad:
        messages.warning(
            request,
            _("Not found: %(numbers)s.")
            % {"numbers": ", ".join([bulk.numbers(outcome.not_found), *bad]).strip(", ")},
        )
    return _back_to_list(request)


@require_POST
def saved_search_create(request):
    form = saved_searches.SavedSearchForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request)
    data = form.cleaned_data
    saved = saved_searches.save(
        by=request.user, name=data["name"], query=data["query"], team=data["team"]
    )
    messages.success(request, _("The search “%(name)s” was saved.") % {"name": saved.name})
    return redirect(saved)


def _saved_search(request, pk):
    try:
        return saved_searches.visible_to(request.user).get(pk=pk)
    except SavedSearch.DoesNotExist:
        raise Http404 from None


@require_GET
def saved_search_open(request, pk):
    saved = _saved_search(request, pk)
    return redirect(f"{reverse('tickets:list')}?{saved.query}")


@require_POST
def saved_search_delete(request, pk):
    saved = _saved_search(request, pk)
    try:
        saved_searches.delete(saved, by=request.user)
    except SavedSearch.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The search “%(name)s” was removed.") % {"name": saved.name})
    return redirect("tickets:list")


@require_GET
@reads_from_replica
def organisation_suggestions(request):
    """The list's organisation field asks here as the user types (JSON)."""
    text = request.GET.get("q", "")[:200]
    return JsonResponse({"results": selectors.organisation_suggestions(request.user, text)})


def _exported_tickets(request):
    """The filtered list to export, or, when it is too large for one request, the
    redirect to the page that offers it to the worker."""
    tickets = paging.as_listed(selectors.filtered_tickets(request.user, request.GET).qs)
    # The rows are read after the view returns: keep them on the database chosen here.
    tickets = tickets.using(tickets.db)
    if not export.too_large(tickets):
        return tickets, None
    # Too long for one request: offered to the worker (exports/), with this query.
    params = request.GET.copy()
    for name in (paging.PAGE, paging.AFTER, paging.BEFORE):
        params.pop(name, None)
    query = params.urlencode()
    return None, redirect(reverse("exports:new") + (f"?{query}" if query else ""))


@require_GET
@reads_from_replica
def ticket_export(request):
    tickets, refusal = _exported_tickets(request)
    if refusal:
        return refusal
    response = StreamingHttpResponse(
        export.rows(tickets, get_language(), export.columns_for(request.user)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tickets.csv"'
    return response


@require_GET
@reads_from_replica
def ticket_export_xlsx(request):
    tickets, refusal = _exported_tickets(request)
    if refusal:
        return refusal
    return FileResponse(
        export.xlsx(tickets, get_language(), export.columns_for(request.user)),
        as_attachment=True,
        filename="tickets.xlsx",
        content_type=export.XLSX_TYPE,
    )


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
    # (user, ticket, data, files, team=None) -> the form; `team`: the category's active
    # responsibles when the page has read them already.
    build: Callable


def _reply_form(user, ticket, data, files, team=None):
    return ReplyForm(data, files, can_note=permissions.can("note", user, ticket))


# The detail page's forms, by context name. Who may post each and when the page
# offers it come from the workflow table (`workflow.ACTIONS`), through permissions.
ACTIONS = {
    "reply_form": DetailAction(("reply", "note"), _reply_form),
    "request_info_form": DetailAction(
        ("request_info",), lambda u, t, d, f, team=None: RequestInfoForm(d, ticket=t)
    ),
    "assign_form": DetailAction(
        ("assign",), lambda u, t, d, f, team=None: AssignForm(d, ticket=t, user=u, team=team)
    ),
    "redirect_form": DetailAction(
        ("redirect",), lambda u, t, d, f, team=None: RedirectForm(d, ticket=t)
    ),
    "priority_form": DetailAction(
        ("priority",),
        lambda u, t, d, f, team=None: PriorityForm(d, initial={"priority": t.priority}),
    ),
    "resolve_form": DetailAction(("resolve",), lambda u, t, d, f, team=None: ResolveForm(d)),
    "reopen_form": DetailAction(("reopen",), lambda u, t, d, f, team=None: ReopenForm(d)),
    "confirm_form": DetailAction(("close",), lambda u, t, d, f, team=None: ConfirmForm(d)),
}


# The forms that answer what the requester's side is asked, by the kind of the question.
AWAITED_FORMS = {
    "info_requested": {"reply_form"},
    "resolved": {"reopen_form", "confirm_form"},
}


def _list_nav(request, ticket) -> dict | None:
    """Next and previous in the list the user came from; after a form, only the way back."""
    list_query = _list_query(request)
    if list_query is None:
        return None
    if request.method != "GET":
        return {"query": list_query}
    return selectors.list_neighbours(request.user, ticket, list_query)


def _render_detail(request, ticket, *, bound=None, status=200, viewers=()):
    user = request.user
    related = relation_context(user, ticket)
    team = related.pop("colleagues", None)
    forms = {
        name: form.build(user, ticket, None, None, team=team)
        for name, form in ACTIONS.items()
        if any(permissions.can(action, user, ticket) for action in form.actions)
    }
    if bound:
        forms.update(bound)
    documents = selectors.documents(ticket, user)
    events = selectors.timeline(ticket, user, documents=documents)
    order = conversation.order_for(request)
    handler = permissions.is_handler(user, ticket)
    # The requester's side answers an information request or a resolution first thing.
    answers = permissions.acting_side("reply", user, ticket) == workflow.Side.REQUESTER and any(
        name in forms for name in ("reply_form", "reopen_form", "confirm_form")
    )
    awaited = conversation.awaited(ticket, events, answers=answers)
    # The forms the awaited box holds are not offered again beside the page.
    beside = set(forms) - (AWAITED_FORMS.get(awaited.kind, set()) if awaited else set())
    context = {
        "ticket": ticket,
        "events": events,
        "conversation": conversation.messages(ticket, events, order=order),
        "conversation_order": order,
        "awaited": awaited,
        # The optimistic check: the forms carry the newest event the page showed.
        "last_event_id": events[-1].pk if events else 0,
        "linkable": references.visible_numbers(
            user, [ticket.description, *(event.note for event in events)]
        ),
        "documents": documents,
        "can_attach": permissions.can("attach", user, ticket),
        "reopen_deadline": workflow.reopen_deadline(ticket),
        "upload_form": UploadForm(),
        "has_actions": bool(beside),
        # Shortcuts, presence and the service levels' card are the handlers' business.
        "is_handler": handler,
        "viewers": viewers,
        "list_nav": _list_nav(request, ticket),
        "panels": panels.for_ticket(ticket, user),
        "custom_values": customvalues.for_ticket(ticket),
        **forms,
        **related,
    }
    return render(request, "tickets/detail.html", context, status=status)


@require_GET
def ticket_detail(request, pk):
    ticket = services.mark_read(_visible_ticket(request, pk), by=request.user)
    services.mark_seen(ticket, by=request.user)
    viewers = ()
    if permissions.is_handler(request.user, ticket):
        viewers = presence.opened(ticket.pk, request.user)
    return _render_detail(request, ticket, viewers=viewers)


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
    # Someone else is on it: what changed since the page was shown comes back with the
    # form, and nothing is saved until the user confirms (posts it again).
    seen = request.POST.get("seen_event", "")
    if seen.isascii() and seen.isdigit() and not request.POST.get("confirm_changes"):
        changes = selectors.changes_since(ticket, request.user, int(seen))
        if changes:
            form.changes = changes
            return _render_detail(request, ticket, bound={form_name: form}, status=409)
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
