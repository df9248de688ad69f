"""Reads: what the list, the detail page and the export show. No writes here."""

from collections import defaultdict
from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, When, prefetch_related_objects
from django.http import QueryDict

from accounts.models import Organisation, User
from categories.selectors import team_categories_of, team_category_ids
from common.prepared import Prepared

from . import configuration, facts, filing, paging, panels, permissions, worklists
from .filters import (
    MINE,
    TicketFilter,
    chosen_categories,
    organisations_for,
    with_default_view,
)
from .models import Attachment, EventKind, Ticket, TicketEvent, TicketLink
from .querysets import sees_all, shows, subtree_keys, visibility_parts


def filtered_tickets(user, params, *, default_view: bool = True) -> TicketFilter:
    """The tickets `user` sees, narrowed and sorted by the list's GET parameters
    (or, with `default_view`, by the user's default view when there are none)."""
    if default_view:
        params = with_default_view(user, params)
    worklist = worklists.find(user, params.get("view"))
    categories = chosen_categories(params)
    if worklist is not None:
        visible = worklist.tickets(user, categories=categories)
    else:
        teams_only = params.get("team") == MINE
        visible = Ticket.objects.visible_to(user, teams_only=teams_only, categories=categories)
    return TicketFilter(params, queryset=visible.with_relations(), user=user)


def ticket_list(user, params):
    """The filter (for its form) and the requested page of tickets (tickets/paging.py),
    each row with when `user` last opened it (`seen_at`, for the "updated" marks)."""
    ticket_filter = filtered_tickets(user, params)
    page = paging.get_page(
        ticket_filter.qs.for_list(),
        params,
        settings.HELPDESK_PAGE_SIZE,
        annotations={"seen_at": worklists.seen_at(user)},
        keep_count=worklists.count_keeper(user),
        parts=_sort_parts(user, ticket_filter),
        floor=_count_floor(user, ticket_filter),
    )
    configuration.attach(page.object_list)
    return ticket_filter, page


def _sort_parts(user, ticket_filter: TicketFilter) -> list | None:
    """The list as parts, each read in the sort's order from an index of its own (for
    paging.get_page), where the rows it shows sit together in the sort's index, past
    those of everyone else: seconds at a million. None for any other list.

    - A member's list by organisation: their organisations' tickets (read from the
      organisation's index at their names), what they filed (from the requester's
      index: a member may have filed thousands) and what they were given (few).
    - A handler's whole list by category: their teams' tickets (read from the category
      index at their names), what they were given (from the assignee's index) and
      what they filed. (Their teams' list alone is read at the names by the filter.)
    - A team's list by subject, when the team has several categories: each category's
      tickets (from ticket_cat_subject; one category reads it without parts)."""
    sort = ticket_filter.sorted_by
    if sort not in ("organisation", "category", "subject") or ticket_filter.data.get("view"):
        return None
    if not connection.features.supports_slicing_ordering_in_compound:
        return None
    teams_only = ticket_filter.data.get("team") == MINE
    if sort == "subject":
        kept = ticket_filter.kept_categories()
        if not teams_only or kept is None or len(kept) < 2:
            return None
        parts = {pk: Q(category_id=pk) for pk in kept}
    elif sort == "category":
        kept = ticket_filter.kept_categories()
        parts = {} if kept is not None or user.is_supervisor else visibility_parts(user)
        if "category" not in parts:
            return None
        names = configuration.category_keys(team_category_ids(user))
        parts["category"] &= Q(category_key__in=names)
    else:
        parts = {} if teams_only or user.is_supervisor else visibility_parts(user)
        if "organisation" not in parts:
            return None
        parts["organisation"] &= Q(organisation_key__in=subtree_keys(user))
    return [ticket_filter.filter_queryset(Ticket.objects.filter(part)) for part in parts.values()]


def _count_floor(user, ticket_filter: TicketFilter):
    """For the list's count (paging.get_page's `floor`): the tickets the visibility rule
    shows a member by their organisations, or a handler by their teams. Only for the
    list as the rule gives it, sorted but not narrowed (no view, no filter): these
    tickets are then all in it, and the most of it. A chamber's member counted 1,021 of
    its 20,000 tickets in 7.5 ms at a million, PostgreSQL reading every one of them
    for the rule's OR; counted by their organisations' first, 1.0 ms. A narrowed list
    is left as it is: where the floor fell short, the count would be made twice."""
    ticket_filter.form.is_valid()  # its cleaned data, whether or not `qs` came first
    chosen = ticket_filter.form.cleaned_data.items()
    if ticket_filter.data.get("view") or any(
        value not in (None, "") for name, value in chosen if name != "sort"
    ):
        return None
    if sees_all(user) is not None:
        return None
    parts = visibility_parts(user)
    widest = parts.get("organisation") or parts.get("category")
    if widest is None:
        return None
    return ticket_filter.filter_queryset(Ticket.objects.filter(widest))


def _team_colleagues(user_id):
    """The active responsibles of the categories on whose teams user `user_id` is."""
    teams = team_categories_of(user_id)
    people = User.objects.filter(team_categories__in=teams, is_active=True).distinct()
    return people.order_by("first_name", "username")[:200]


_TEAM_COLLEAGUES = Prepared(_team_colleagues)  # a handler's every list reads them


def colleagues(user) -> list:
    """Whom a handler may assign tickets to from the list: the active responsibles of
    their teams' categories (everyone's for a supervisor), themselves first."""
    from categories.selectors import ticket_handlers

    if user.is_supervisor:
        people = list(ticket_handlers().order_by("first_name", "username")[:200])
    elif team_category_ids(user):
        people = _TEAM_COLLEAGUES.rows(user.pk)
    else:
        people = []
    return sorted(people, key=lambda person: person.pk != user.pk)


SUGGESTIONS = 20


def organisation_suggestions(user, text: str) -> list[dict]:
    """Up to SUGGESTIONS organisations `user` may filter by whose name holds `text`,
    those starting with it first."""
    key = Organisation.key_for(text)
    if not key:
        return []
    matches = (
        organisations_for(user)
        .filter(name_key__contains=key)
        .annotate(rank=Case(When(name_key__startswith=key, then=0), default=1))
        .order_by("rank", "name_key")
    )
    return [{"id": o.pk, "name": o.name} for o in matches[:SUGGESTIONS]]


def updated_since(tickets, user, since):
    """Those of `tickets` with an event at or after `since` that `user` may see: an
    internal note counts only on the tickets `user` handles (permissions.is_handler)."""
    events = TicketEvent.objects.filter(ticket=OuterRef("pk"), created_at__gte=since)
    if not user.is_supervisor:
        handled = Q(ticket__assignee=user) | Q(ticket__category_id__in=team_category_ids(user))
        events = events.filter(Q(internal=False) | handled)
    return tickets.filter(Exists(events))


# What a ticket's header shows that few tickets have: read only when the ticket has it.
_RARELY_SET = ("parent", "product", "component")


def _ticket_for_detail(pk, user_id):
    """Ticket `pk` with what its header shows, and when user `user_id` last opened it."""
    # The category and the kind come from the kept configuration, and the rarely set
    # relations from queries of their own: each join costs PostgreSQL more to plan than
    # to run (seven tables took 0.97 ms to plan, four 0.28 ms, at a million tickets).
    tickets = (
        Ticket.objects.filter(pk=pk)
        .order_by()
        .select_related("organisation", "assignee", "requester")
    )
    return tickets.annotate(
        seen_at=worklists.seen_at(user_id),
        # The forms' word for a category ("Unit" at the agency), asked of the same row.
        organisation_says_unit=filing.says_unit_fact(),
        # Most tickets have no related ticket: then the page asks nothing more of them.
        has_links=Exists(TicketLink.objects.filter(low_id=OuterRef("pk")))
        | Exists(TicketLink.objects.filter(high_id=OuterRef("pk"))),
        # What the capability apps' panels ask of the ticket (tickets/panels.py).
        **panels.facts(),
    )


# Compiled once a process; who may see the ticket is asked apart (querysets.shows).
_TICKET_FOR_DETAIL = Prepared(_ticket_for_detail)


def ticket_for_detail(user, pk):
    """One visible ticket with what its header shows, and when `user` last opened it
    (`seen_at`); raises Ticket.DoesNotExist.

    The row is read by SQL compiled once; whether `user` may see it is decided from its
    columns by the visibility rule's parts (`shows`). Compiling the rule into the row's
    query cost a member's or a handler's page some 2 ms of its 12, and a query of its
    own 1 ms more and a plan in PostgreSQL."""
    ticket = _shown_row(user, pk)
    if ticket is None:
        raise Ticket.DoesNotExist
    ticket.organisation._says_unit = ticket.organisation_says_unit
    configuration.attach([ticket])
    prefetch_related_objects(
        [ticket], *(name for name in _RARELY_SET if getattr(ticket, f"{name}_id"))
    )
    return ticket


def still_shown(user, pk) -> bool:
    """Whether `user` sees ticket `pk` now, after a change (which may take it out of
    their sight): as its page decides, rather than by a query of the rule built,
    compiled and planned."""
    return _shown_row(user, pk) is not None


def _shown_row(user, pk) -> Ticket | None:
    """Ticket `pk`'s row by the compiled query, if `user` may see it (`shows`)."""
    if not user.is_authenticated:
        return None
    found = _TICKET_FOR_DETAIL.rows(pk, user.pk)
    return found[0] if found and shows(user, found[0]) else None


def _ticket_events(ticket_id, *, public: bool):
    events = TicketEvent.objects.filter(ticket_id=ticket_id)
    events = events.select_related("actor", "actor__organisation")
    return events.filter(internal=False) if public else events


def _ticket_documents(ticket_id, *, public: bool):
    attachments = Attachment.objects.filter(ticket_id=ticket_id).select_related("uploaded_by")
    return attachments.filter(internal=False) if public else attachments


# A ticket's events and documents as its handlers see them, and as everyone else does
# (public: no internal ones), each compiled once a process (common/prepared.py).
_EVENTS = {public: Prepared(partial(_ticket_events, public=public)) for public in (False, True)}
_DOCUMENTS = {
    public: Prepared(partial(_ticket_documents, public=public)) for public in (False, True)
}


def timeline(ticket: Ticket, user, *, documents=None):
    """The action log as `user` may see it, oldest first, with each entry's documents:
    taken from `documents` (the page's own list of them, selectors.documents) when given,
    so that the page reads the ticket's documents once."""
    events = _EVENTS[not permissions.is_handler(user, ticket)].rows(ticket.pk)
    for event in events:
        event.ticket = ticket
    if documents is None:
        prefetch_related_objects(
            events, Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
        )
    else:
        by_event = defaultdict(list)
        for document in sorted(documents, key=lambda document: document.pk):
            by_event[document.event_id].append(document)
        for event in events:
            # What prefetch_related would leave: `event.attachments.all()` asks nothing.
            event._prefetched_objects_cache = {"attachments": by_event[event.pk]}
    facts.describe(events)
    return events


def documents(ticket: Ticket, user):
    attachments = _DOCUMENTS[not permissions.is_handler(user, ticket)].rows(ticket.pk)
    for attachment in attachments:
        attachment.ticket = ticket
    return attachments


def attachment_for_download(user, pk) -> Attachment:
    """An attachment of a ticket `user` sees; internal ones for handlers only; a
    redacted one for nobody (its file is gone)."""
    attachment = Attachment.objects.select_related("ticket").get(
        pk=pk, ticket__in=Ticket.objects.visible_to(user), redacted=False
    )
    if attachment.internal and not permissions.is_handler(user, attachment.ticket):
        raise Attachment.DoesNotExist
    return attachment


def changes_since(ticket: Ticket, user, event_id: int) -> list:
    """What others did to the ticket after event `event_id`, as `user` may see it (the
    optimistic check of the page's forms); `read` events are not changes."""
    events = (
        ticket.events.filter(pk__gt=event_id)
        .exclude(kind=EventKind.READ)
        .exclude(actor=user)
        .select_related("actor")
    )
    if not permissions.is_handler(user, ticket):
        events = events.filter(internal=False)
    events = list(events)
    facts.describe(events)
    return events


def list_neighbours(user, ticket: Ticket, list_query: str) -> dict:
    """The tickets before and after `ticket` in the list the user came from (its query
    string, carried in `?list=`), with the links back to it; empty without one."""
    params = QueryDict(list_query)
    ticket_filter = filtered_tickets(user, params)
    parts = _sort_parts(user, ticket_filter)
    previous, following = paging.neighbours(ticket_filter.qs, ticket.pk, row=ticket, parts=parts)
    return {"previous": previous, "next": following, "query": list_query}
