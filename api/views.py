"""The API's views: parse, call one selector or service of tickets/, answer JSON.

Every read goes through `Ticket.objects.visible_to` (tickets/selectors.py), every
change through tickets/services.py, which checks the permission on the locked row:
the API adds no rule of its own. A ticket the caller may not see is a 404.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from categories.models import Category
from categories.selectors import handles_tickets
from common import storage
from tickets import paging, permissions, selectors, services
from tickets import views as ticket_pages
from tickets.filters import organisations_for
from tickets.models import Channel, Ticket, TicketKind
from tickets.workflow import ACTIONS

from . import serializers as s
from .errors import error_body
from .models import ApiToken, IdempotencyKey

ERRORS = {
    code: OpenApiResponse(response=s.ErrorSerializer, description=text)
    for code, text in (
        (400, "Invalid fields (`fields` says which)"),
        (401, "No token, or one that is unknown, expired or revoked"),
        (403, "Not allowed (e.g. a read-only token writing)"),
        (404, "No such ticket, or not visible to the caller"),
        (409, "The ticket's status does not allow the action now"),
        (429, "Too many requests; see Retry-After"),
    )
}


def _visible(user, pk) -> Ticket:
    try:
        return selectors.ticket_for_detail(user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _detail(request, ticket) -> dict:
    user = request.user
    ticket.api_events = selectors.timeline(ticket, user)
    ticket.api_documents = selectors.documents(ticket, user)
    ticket.api_actions = [name for name in ACTIONS if permissions.can(name, user, ticket)]
    if permissions.can("attach", user, ticket):
        ticket.api_actions.append("attach")
    return s.TicketDetailSerializer(ticket, context={"request": request}).data


def _detail_response(request, pk, code=status.HTTP_200_OK, headers=None) -> Response:
    """The ticket as the caller now sees it; 204 when the change took it out of sight."""
    try:
        ticket = selectors.ticket_for_detail(request.user, pk)
    except Ticket.DoesNotExist:
        return Response(status=status.HTTP_204_NO_CONTENT, headers=headers)
    return Response(_detail(request, ticket), status=code, headers=headers)


def _page_size(request) -> int:
    try:
        size = int(request.query_params.get("page_size", settings.HELPDESK_PAGE_SIZE))
    except ValueError:
        size = settings.HELPDESK_PAGE_SIZE
    return max(1, min(size, settings.HELPDESK_API_MAX_PAGE_SIZE))


def _link(request, name, token) -> str | None:
    if not token:
        return None
    params = request.query_params.copy()
    for key in (paging.AFTER, paging.BEFORE, paging.PAGE):
        params.pop(key, None)
    params[name] = token
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


LIST_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=text)
    for name, text in (
        (
            "q",
            "Words in the subject, description and public replies (listed in the `sort` "
            "order, newest first by default, not by relevance)",
        ),
        ("status", "A status code, or `open`"),
        ("priority", "low, medium or high"),
        ("category", "A category id"),
        ("organisation", "An organisation id, or (part of) its name"),
        ("kind", "A ticket kind's code"),
        ("team", "`mine`: the categories of the caller's teams"),
        ("assignee", "`me`, `none` or a user id"),
        ("created_from", "YYYY-MM-DD"),
        ("created_to", "YYYY-MM-DD"),
        (
            "sort",
            "id, organisation, subject, priority, category, assignee, created, read, "
            "resolved, status; `-` first for descending",
        ),
        ("updated_since", "ISO 8601 date and time: tickets with an event since then"),
        ("after", "The `next` link's cursor"),
        ("before", "The `previous` link's cursor"),
        ("page_size", f"Tickets a page (at most {settings.HELPDESK_API_MAX_PAGE_SIZE})"),
    )
]


def _fingerprint(request) -> str:
    if not hasattr(request.data, "items"):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("The body must be an object of fields.")]}
        )
    fields = {
        key: request.data.getlist(key) if hasattr(request.data, "getlist") else value
        for key, value in request.data.items()
    }
    files = sorted((f.name, f.size) for f in request.FILES.getlist("attachments"))
    text = json.dumps({"fields": fields, "files": files}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class TicketList(APIView):
    @extend_schema(
        operation_id="tickets_list",
        parameters=LIST_PARAMETERS,
        responses={200: s.TicketPageSerializer, **ERRORS},
    )
    def get(self, request):
        params = request.query_params
        tickets = selectors.filtered_tickets(request.user, params, default_view=False).qs
        since = params.get("updated_since")
        if since:
            when = parse_datetime(since)
            if when is None:
                raise exceptions.ValidationError(
                    {"updated_since": [_("Give a date and time as 2026-01-31T08:00:00+03:00.")]}
                )
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            tickets = selectors.updated_since(tickets, request.user, when)
        # No count: the page says none, and its order never hangs on one (a search's
        # matches in the model's order, not ranked), so a cursor holds however many
        # match by the next page.
        page = paging.get_page(tickets, params, _page_size(request), counted=False)
        if page.missing and (params.get(paging.AFTER) or params.get(paging.BEFORE)):
            raise exceptions.ValidationError(
                {"after": [_("This cursor is not valid for this list (any more).")]}
            )
        return Response(
            {
                "results": s.TicketSerializer(page.object_list, many=True).data,
                "next": _link(request, paging.AFTER, page.next_token),
                "previous": _link(request, paging.BEFORE, page.previous_token),
            }
        )

    @extend_schema(
        operation_id="tickets_create",
        request={
            "application/json": s.TicketCreateSerializer,
            "multipart/form-data": s.TicketCreateSerializer,
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A retried create with the same key files one ticket",
            )
        ],
        responses={201: s.TicketDetailSerializer, 200: s.TicketDetailSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        key = request.headers.get("Idempotency-Key", "")
        if len(key) > 255:
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("An idempotency key has at most 255 characters.")]}
            )
        fingerprint = _fingerprint(request) if key else ""
        if key and (replay := self._replay(request, key, fingerprint)):
            return replay
        on_behalf = permissions.can_file_on_behalf(user)
        serializer = s.TicketCreateSerializer(data=request.data, on_behalf=on_behalf, user=user)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requester = data.get("requester")
        filing_for_other = requester is not None and requester != user
        try:
            # Files stored by the filing go again if the key's row then fails.
            with storage.kept_only_on_success(), transaction.atomic():
                result = services.file_ticket(
                    by=user,
                    category=data["category"],
                    kind=data["kind"],
                    priority=data["priority"],
                    subject=data["subject"],
                    description=data["description"],
                    requester=requester if filing_for_other else None,
                    channel=data.get("channel", Channel.API) if filing_for_other else Channel.API,
                    files=data.get("attachments", []),
                    parent=data.get("parent"),
                    product=data.get("product"),
                    component=data.get("component"),
                    custom=data.get("custom"),
                )
                if key:
                    IdempotencyKey.objects.create(
                        user=user, key=key, fingerprint=fingerprint, ticket=result.ticket
                    )
        except IntegrityError:
            # The same key, sent twice at once: the first one filed the ticket.
            if key and (replay := self._replay(request, key, fingerprint)):
                return replay
            raise
        headers = {"Location": f"/api/v1/tickets/{result.ticket.pk}/"}
        return _detail_response(request, result.ticket.pk, status.HTTP_201_CREATED, headers)

    def _replay(self, request, key, fingerprint):
        earlier = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if earlier is None:
            return None
        if earlier.fingerprint != fingerprint:
            return Response(
                error_body(
                    "idempotency_key_reused",
                    _("This idempotency key was used for a different request."),
                ),
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return _detail_response(request, earlier.ticket_id, headers={"Idempotent-Replayed": "true"})


class TicketDetail(APIView):
    @extend_schema(
        operation_id="tickets_detail", responses={200: s.TicketDetailSerializer, **ERRORS}
    )
    def get(self, request, pk):
        # Opening the ticket reads it, as on the page: the first handler's look is logged.
        ticket = services.mark_read(_visible(request.user, pk), by=request.user)
        return Response(_detail(request, ticket))


class TicketAction(APIView):
    """One action of the workflow, as a POST; the subclass names it and its service."""

    actions: tuple[str, ...] = ()
    serializer_class = s.EmptySerializer

    def act(self, ticket, data):
        raise NotImplementedError

    def post(self, request, pk):
        ticket = _visible(request.user, pk)
        if not any(permissions.acting_side(a, request.user, ticket) for a in self.actions):
            raise PermissionDenied
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.act(ticket, serializer.validated_data)
        return _detail_response(request, ticket.pk)


def action_view(name, actions, serializer, act, summary):
    request_body = (
        {"application/json": serializer, "multipart/form-data": serializer}
        if "attachments" in serializer().fields
        else serializer
    )

    @extend_schema(
        operation_id=f"tickets_{name.replace('-', '_')}",
        summary=summary,
        request=request_body if serializer is not s.EmptySerializer else None,
        responses={200: s.TicketDetailSerializer, 204: None, **ERRORS},
    )
    def post(self, request, pk):
        return TicketAction.post(self, request, pk)

    return type(
        f"Ticket{name.title().replace('-', '')}",
        (TicketAction,),
        {
            "actions": actions,
            "serializer_class": serializer,
            "act": lambda self, ticket, data: act(self.request.user, ticket, data),
            "post": post,
        },
    )


TICKET_ACTIONS = {
    "reply": action_view(
        "reply",
        ("reply", "note"),
        s.ReplySerializer,
        lambda by, t, d: services.reply(
            t, by=by, body=d["body"], internal=d["internal"], files=d.get("attachments", [])
        ),
        "A public reply (or, with internal, a handler's note)",
    ),
    "note": action_view(
        "note",
        ("note",),
        s.NoteSerializer,
        lambda by, t, d: services.reply(
            t, by=by, body=d["body"], internal=True, files=d.get("attachments", [])
        ),
        "An internal note (handlers); never shown to members",
    ),
    "request-info": action_view(
        "request-info",
        ("request_info",),
        s.BodySerializer,
        lambda by, t, d: services.request_info(t, by=by, body=d["body"]),
        "Ask the member for information",
    ),
    "redirect": action_view(
        "redirect",
        ("redirect",),
        s.RedirectSerializer,
        lambda by, t, d: services.redirect_to_category(
            t, by=by, category=d["category"], body=d["body"]
        ),
        "Hand the ticket to another category",
    ),
    "assign": action_view(
        "assign",
        ("assign",),
        s.AssignSerializer,
        lambda by, t, d: services.assign(t, by=by, assignee=d["assignee"]),
        "Assign to a responsible of the ticket's category",
    ),
    "priority": action_view(
        "priority",
        ("priority",),
        s.PrioritySerializer,
        lambda by, t, d: services.change_priority(t, by=by, priority=d["priority"]),
        "Change the priority",
    ),
    "resolve": action_view(
        "resolve",
        ("resolve",),
        s.ResolveSerializer,
        lambda by, t, d: services.resolve(t, by=by, explanation=d["explanation"]),
        "Resolve with an explanation",
    ),
    "reopen": action_view(
        "reopen",
        ("reopen",),
        s.BodySerializer,
        lambda by, t, d: services.reopen(t, by=by, body=d["body"]),
        "Reopen a resolved ticket within the window (the member's side)",
    ),
    "close": action_view(
        "close",
        ("close",),
        s.EmptySerializer,
        lambda by, t, d: services.close(t, by=by),
        "Confirm the resolution (the member's side)",
    ),
}


class TicketDocuments(APIView):
    @extend_schema(
        operation_id="tickets_documents_upload",
        request={"multipart/form-data": s.UploadSerializer},
        responses={201: s.DocumentSerializer(many=True), **ERRORS},
    )
    def post(self, request, pk):
        ticket = _visible(request.user, pk)
        if not permissions.acting_side("attach", request.user, ticket):
            raise PermissionDenied
        serializer = s.UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.attach(
            ticket, by=request.user, files=data["attachments"], internal=data["internal"]
        )
        return Response(
            s.DocumentSerializer(result.saved, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AttachmentDownload(APIView):
    @extend_schema(
        operation_id="attachments_download",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request, pk):
        # The site's own download, with its checks and headers: DRF has put the
        # authenticated user on the request. Its page for a store that is down becomes
        # the API's JSON answer.
        response = ticket_pages.attachment_download(request._request, pk)
        if response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
            return Response(
                error_body(
                    "store_unavailable",
                    _("The document cannot be fetched just now. Try again in a few minutes."),
                ),
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return response


class CategoryList(ListAPIView):
    serializer_class = s.CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return Category.objects.filter(is_active=True).order_by("name")


class CategoryTeam(ListAPIView):
    """The active responsibles of a category: whom its tickets may be assigned to."""

    serializer_class = s.PersonSerializer
    pagination_class = None

    def get_queryset(self):
        if not handles_tickets(self.request.user):
            raise PermissionDenied
        try:
            category = Category.objects.get(pk=self.kwargs["pk"], is_active=True)
        except Category.DoesNotExist:
            raise Http404 from None
        return category.responsibles.filter(is_active=True).order_by("first_name", "username")


class KindList(ListAPIView):
    serializer_class = s.KindSerializer
    pagination_class = None

    def get_queryset(self):
        return TicketKind.objects.filter(is_active=True)


class OrganisationPages(CursorPagination):
    ordering = "id"
    page_size_query_param = "page_size"

    def __init__(self):
        self.page_size = settings.HELPDESK_PAGE_SIZE
        self.max_page_size = settings.HELPDESK_API_MAX_PAGE_SIZE


class OrganisationList(ListAPIView):
    """The organisations the caller may filter by: their subtree, or all for handlers."""

    serializer_class = s.OrganisationSerializer
    pagination_class = OrganisationPages

    def get_queryset(self):
        return organisations_for(self.request.user).only("pk", "name", "kind", "parent_id")


class Me(APIView):
    @extend_schema(operation_id="me", responses={200: s.MeSerializer, **ERRORS})
    def get(self, request):
        user = request.user
        user.handles_tickets = handles_tickets(user)
        user.token_scope = request.auth.scope if isinstance(request.auth, ApiToken) else None
        return Response(s.MeSerializer(user).data)
