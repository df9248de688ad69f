"""The list's views ("worklists"): named sets of tickets with live counts, one table.

`/tickets/?view=<name>` narrows the list to a view; the sidebar shows each view the
user has, with its count. A view is a row of `WORKLISTS`: its name in the URL, its
label for each audience, and the condition it adds to what the user sees. Adding a
view (the service levels' `overdue`, `due_today`) is adding a row.

Counts stop at COUNT_CAP ("99+"): one bounded, indexed COUNT per view, all of them in
one query, so the page's number of queries is fixed whatever the number of tickets and
views. With Redis they are kept for a user HELPDESK_VIEW_COUNTS_SECONDS (as the big
service desks keep theirs): the user's own changes forget them at once, other people's
show within those seconds; the rows themselves are never kept. So is the list's own
count of its pages (`count_keeper`), for the same query.
"""

import datetime
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Exists, Expression, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import loading
from categories.models import Category
from categories.selectors import IdsText, handles_tickets, team_category_ids
from common.replica import replica_allowed

from .models import OPEN_STATUSES, ActivitySide, Status, Ticket, TicketSeen

MEMBER, HANDLER, SUPERVISOR = "member", "handler", "supervisor"
COUNT_CAP = 99


def audience(user) -> str:
    if user.is_supervisor:
        return SUPERVISOR
    return HANDLER if handles_tickets(user) else MEMBER


def _handled(user) -> Q:
    """The tickets a responsible handles: their teams' and those assigned to them."""
    if user.is_supervisor:
        return Q()
    return Q(assignee=user) | Q(category_id__in=team_category_ids(user))


def _ours(user) -> Q:
    """The tickets a member acts on: their own organisation's (not those below it)."""
    return Q(organisation_id=user.organisation_id) | Q(requester=user)


def other_side(user) -> str:
    return ActivitySide.HANDLER if audience(user) == MEMBER else ActivitySide.REQUESTER


def _updated(user) -> Q:
    """Changed by the other side after the user last opened it (never opened: new, not
    updated). One indexed probe of TicketSeen (user, ticket) per ticket."""
    seen_before = TicketSeen.objects.filter(
        user=user, ticket=OuterRef("pk"), seen_at__lt=OuterRef("last_activity_at")
    )
    scope = _ours(user) if audience(user) == MEMBER else _handled(user)
    return scope & Q(last_activity_side=other_side(user)) & Q(Exists(seen_before))


def _unrouted() -> QuerySet:
    """Categories with no team: nobody is notified of their tickets."""
    return Category.objects.filter(responsibles__isnull=True)


def unrouted_ids_text() -> Expression:
    """Their ids as one text ("3,7"), loaded with the user (accounts/loading.py)."""
    ids = _unrouted().order_by().annotate(all=Value(1)).values("all").annotate(ids=IdsText("pk"))
    return Coalesce(Subquery(ids.values("ids")), Value(""))


def unrouted_category_ids(user) -> list[int]:
    """The unrouted categories' ids, as loaded with the user (else asked): literal ids for
    the view's count, because given a subquery that finds none PostgreSQL walked every
    open ticket looking for the first of its 100 (0.7 s at a million tickets), where no
    ids is no SQL at all and a few read the category index."""
    loaded = loading.fact(user, "unrouted_category_ids")
    if loaded is None:
        return list(_unrouted().values_list("pk", flat=True))
    return [int(pk) for pk in loaded.split(",") if pk]


OPEN = Q(status__in=OPEN_STATUSES)


# The two due views are `teams_only`: a responsible's are their teams' categories, a
# supervisor's all, so they add no condition of who handles the ticket. Repeating the
# teams' condition made PostgreSQL square its estimate of how many tickets match, and
# count a team's overdue tickets by a bitmap of all of its tickets (68 ms at a million).


def _overdue(user) -> Q:
    """A running service-level clock past its due (sla/ keeps `due_at`; NULL when
    paused or met)."""
    return Q(due_at__lte=timezone.now())


def _due_today(user) -> Q:
    """A running clock that falls due before the end of today, in the site's time zone."""
    now = timezone.now()
    midnight = datetime.datetime.combine(
        timezone.localdate(now) + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    return Q(due_at__gt=now, due_at__lt=midnight)


@dataclass(frozen=True)
class Worklist:
    name: str  # the `view` value in the URL
    labels: dict[str, str]  # by audience: who has the view, and what it is called for them
    condition: Callable[[object], Q]  # (user) -> what the view adds to what they see
    # For a responsible, read the teams' categories alone (one indexed condition, see
    # TicketQuerySet.visible_to) instead of the visibility rule's OR.
    teams_only: bool = False
    # Its tickets depend on when the user last opened them (TicketSeen): opening one
    # counts these views again, not the others (`forget_counts(seen=True)`).
    reads_seen: bool = False

    def label(self, user) -> str:
        return self.labels[audience(user)]

    def tickets(self, user, *, categories=None) -> QuerySet:
        """The view's tickets; of `categories` alone when given (see visible_to)."""
        teams_only = self.teams_only and audience(user) == HANDLER
        visible = Ticket.objects.visible_to(user, teams_only=teams_only, categories=categories)
        return visible.filter(self.condition(user))


WORKLISTS = (
    Worklist(
        "mine",
        {HANDLER: _("My open"), SUPERVISOR: _("My open")},
        lambda user: OPEN & Q(assignee=user),
    ),
    Worklist(
        "unassigned",
        {HANDLER: _("Unassigned in my categories"), SUPERVISOR: _("Unassigned")},
        lambda user: OPEN & Q(assignee__isnull=True),
        teams_only=True,
    ),
    Worklist(
        "waiting_member",
        {
            HANDLER: _("Waiting for the member"),
            SUPERVISOR: _("Waiting for the member"),
            MEMBER: _("Waiting for us"),
        },
        lambda user: (
            Q(status=Status.INFO_REQUESTED)
            & (_ours(user) if audience(user) == MEMBER else _handled(user))
        ),
    ),
    Worklist(
        "updated",
        {
            HANDLER: _("Updated by the member"),
            SUPERVISOR: _("Updated by the member"),
            MEMBER: _("Updated by the handlers"),
        },
        _updated,
        reads_seen=True,
    ),
    Worklist(
        "open",
        {
            HANDLER: _("All open in my categories"),
            SUPERVISOR: _("All open"),
            MEMBER: _("Our open"),
        },
        lambda user: OPEN & (_ours(user) if audience(user) == MEMBER else Q()),
        teams_only=True,
    ),
    Worklist(
        "resolved",
        {MEMBER: _("Resolved — confirm or reopen")},
        lambda user: Q(status=Status.RESOLVED) & _ours(user),
    ),
    Worklist(
        "overdue",
        {HANDLER: _("Overdue"), SUPERVISOR: _("Overdue")},
        _overdue,
        teams_only=True,
    ),
    Worklist(
        "due_today",
        {HANDLER: _("Due today"), SUPERVISOR: _("Due today")},
        _due_today,
        teams_only=True,
    ),
    Worklist(
        "unrouted",
        {SUPERVISOR: _("Unrouted (no team)")},
        lambda user: OPEN & Q(category_id__in=unrouted_category_ids(user)),
    ),
)
BY_NAME = {worklist.name: worklist for worklist in WORKLISTS}


def for_user(user) -> list[Worklist]:
    """The views `user` has, in the sidebar's order."""
    who = audience(user)
    return [worklist for worklist in WORKLISTS if who in worklist.labels]


def find(user, name) -> Worklist | None:
    """The view called `name` if `user` has it; an unknown name is ignored."""
    worklist = BY_NAME.get(name) if isinstance(name, str) else None
    if worklist is None or audience(user) not in worklist.labels:
        return None
    return worklist


@dataclass(frozen=True)
class Count:
    worklist: Worklist
    label: str
    count: int

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown(self) -> str:
        return f"{COUNT_CAP}+" if self.capped else str(self.count)


@dataclass(frozen=True)
class CountingSql:
    """Bounded counts compiled into one SELECT: a scalar subquery each, and their
    parameters; `compiled_at` (time.time()) says how old its "now" is."""

    parts: tuple[str, ...] = ()
    params: tuple = ()
    alias: str = "default"
    compiled_at: float = 0.0

    def __add__(self, other: "CountingSql") -> "CountingSql":
        alias = self.alias if self.parts else other.alias
        return CountingSql(self.parts + other.parts, self.params + other.params, alias)


def counting_sql(querysets: list[QuerySet]) -> CountingSql:
    """How many rows each queryset has, up to COUNT_CAP + 1, as one query: each count a
    scalar subquery over its own bounded, indexed SELECT (a LIMIT per view, which one
    aggregate with `filter=` could not give)."""
    if not querysets:
        return CountingSql()
    alias = querysets[0].db
    parts, params = [], []
    for queryset in querysets:
        bounded = queryset.order_by().values("pk")[: COUNT_CAP + 1]
        try:
            sql, part_params = bounded.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:  # .none(), or `__in` an empty list: nothing to count
            parts.append("0")
            continue
        # The SQL is the ORM's own, its values passed as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) bounded)")  # noqa: S608
        params.extend(part_params)
    return CountingSql(tuple(parts), tuple(params), alias, time.time())


def count_all(counting: CountingSql) -> list[int]:
    if not counting.parts:
        return []
    with connections[counting.alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counting.parts), counting.params)
        return list(cursor.fetchone())


def bounded_counts(querysets: list[QuerySet]) -> list[int]:
    """Each queryset's count, up to COUNT_CAP + 1, in one query."""
    return count_all(counting_sql(querysets))


def counts(user, *, also=()) -> tuple[list[Count], list[int]]:
    """Each of the user's views with its count (kept for a few seconds, see above), and
    the bounded count of each queryset `also` (what else the page counts): one query
    for them all.

    When the user's generation has changed (their own change, or the counts have been
    forgotten) but not what their counts depend on, the views are counted again by the
    SQL kept with the counts, not built and compiled afresh: its "now" (the due views')
    is then up to HELPDESK_VIEW_COUNTS_SECONDS old, as kept counts may be. Building it
    was a fifth of a list's time, and in a busy team every other list is after a change.
    When only what the user has seen changed (they opened an updated ticket), only the
    views that read it are counted again; the others keep their numbers, and their age."""
    shown = for_user(user)
    # Counts read on a replica may lag the user's own last change: never kept.
    seconds = settings.HELPDESK_VIEW_COUNTS_SECONDS
    keep = seconds and not replica_allowed()
    views_sql = None
    if keep:
        basis = _counted_on(user, shown)
        found = cache.get_many([_kept_key(user), _generation_key(user), _seen_key(user)])
        generation = (found.get(_generation_key(user)), found.get(_seen_key(user)))
        kept = found.get(_kept_key(user))
        # (A shorter tuple is an older release's, during a deploy: counted afresh.)
        if kept is not None and len(kept) == 4 and kept[0] == basis:
            kept_generation, counted_at = _kept_generation(kept[1])
            if kept_generation == generation:
                views = [Count(w, w.label(user), n) for w, n in zip(shown, kept[2], strict=True)]
                return views, bounded_counts(list(also))
            left = int(seconds - (time.time() - counted_at))
            if kept_generation and kept_generation[0] == generation[0] and 0 < left <= seconds:
                return _seen_counted_again(user, shown, kept, generation, left, also)
            kept_sql = CountingSql(*kept[3])
            if 0 <= time.time() - kept_sql.compiled_at < seconds:
                views_sql = kept_sql
    if views_sql is None:
        views_sql = counting_sql([w.tickets(user) for w in shown])
    counted_at = time.time()
    numbers = count_all(views_sql + counting_sql(list(also)))
    if keep:
        # Plain values only: another release may read them during a deploy.
        kept = (basis, (*generation, counted_at), numbers[: len(shown)], astuple(views_sql))
        cache.set(_kept_key(user), kept, seconds)
    views = [Count(w, w.label(user), n) for w, n in zip(shown, numbers, strict=False)]
    return views, numbers[len(shown) :]


def _kept_generation(value) -> tuple[tuple | None, float]:
    """The generations kept counts were counted at (the user's, what they have seen),
    and when; an older release kept a bare generation: none."""
    if isinstance(value, tuple) and len(value) == 3:
        return value[:2], value[2]
    return None, 0.0


def _seen_counted_again(user, shown, kept, generation, left: int, also):
    """`counts` after the user opened an updated ticket: the views that read TicketSeen
    counted again, the others as kept, all kept for the `left` seconds the others have."""
    again = [index for index, worklist in enumerate(shown) if worklist.reads_seen]
    numbers = count_all(
        counting_sql([shown[index].tickets(user) for index in again]) + counting_sql(list(also))
    )
    views_numbers = list(kept[2])
    for index, number in zip(again, numbers, strict=False):
        views_numbers[index] = number
    counted_at = kept[1][2]
    cache.set(_kept_key(user), (kept[0], (*generation, counted_at), views_numbers, kept[3]), left)
    views = [Count(w, w.label(user), n) for w, n in zip(shown, views_numbers, strict=True)]
    return views, numbers[len(again) :]


def count_keeper(user):
    """For the list's own bounded count (tickets/paging.py): kept like the views' counts,
    for the same query (its SQL holds what the user may see and asked for) while the
    user's counts' generation is the same; None when counts are not kept. A member's
    list at a million tickets spent half its database time on it."""
    if not settings.HELPDESK_VIEW_COUNTS_SECONDS or replica_allowed():
        return None

    def keep(query, count) -> int:
        digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
        key = f"worklists:list-count:{user.pk}:{digest}"
        generations = [_generation_key(user)]
        if TicketSeen._meta.db_table in query[0]:  # the "updated" view
            generations.append(_seen_key(user))
        found = cache.get_many([key, *generations])
        generation = tuple(found.get(name) for name in generations)
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            return kept[1]
        number = count()
        cache.set(key, (generation, number), settings.HELPDESK_VIEW_COUNTS_SECONDS)
        return number

    return keep


def _kept_key(user) -> str:
    return f"worklists:counts:{user.pk}"


def _generation_key(user) -> str:
    return f"worklists:counts-generation:{user.pk}"


def _seen_key(user) -> str:
    return f"worklists:seen-generation:{user.pk}"


def _counted_on(user, shown) -> tuple:
    """What a user's counts depend on besides the tickets: their views, what decides
    what they see (role, organisation, teams), the configuration's version, and the day
    (`due_today`). Kept counts count only while it is the same."""
    from . import configuration

    return (
        tuple(worklist.name for worklist in shown),
        user.role,
        user.organisation_id,
        user.is_supervisor,
        tuple(sorted(team_category_ids(user))),
        tuple(unrouted_category_ids(user)) if user.is_supervisor else (),
        configuration.current().token,
        timezone.localdate().isoformat(),
    )


def forget_counts(user, *, seen=False) -> None:
    """After `user` changed a ticket: their next list counts afresh; `seen`, after they
    opened an updated one: only what reads when they last opened their tickets. The
    generation changes now and again once the change is committed, so that counts
    begun before the commit (another tab) are not kept for them either."""
    if settings.HELPDESK_VIEW_COUNTS_SECONDS and getattr(user, "pk", None):
        key = _seen_key(user) if seen else _generation_key(user)
        seconds = settings.HELPDESK_VIEW_COUNTS_SECONDS
        cache.set(key, secrets.token_hex(4), seconds)
        transaction.on_commit(lambda: cache.set(key, secrets.token_hex(4), seconds))


def seen_at(user) -> Subquery:
    """When `user` (or the user of this id) last opened the ticket (NULL: never), to
    annotate a page's rows with: one indexed probe of TicketSeen (user, ticket) per row,
    in the rows' own query."""
    seen = TicketSeen.objects.filter(user=user, ticket=OuterRef("pk")).values("seen_at")[:1]
    return Subquery(seen)


def updated_ids(user, tickets) -> set[int]:
    """Which of `tickets` (a page's rows, annotated with `seen_at`) the other side
    changed since `user` last opened them (never opened: new, not updated)."""
    other = other_side(user)
    return {
        t.pk
        for t in tickets
        if t.last_activity_side == other
        and t.seen_at is not None
        and t.seen_at < t.last_activity_at
    }
