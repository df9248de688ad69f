"""The list's views ("worklists"): named sets of tickets with live counts, one table.

`/tickets/?view=<name>` narrows the list to a view; the sidebar shows each view the
user has, with its count. A view is a row of `WORKLISTS`: its name in the URL, its
label for each audience, and the condition it adds to what the user sees. Adding a
view (the service levels' `overdue`, `due_today`) is adding a row.

Counts stop at COUNT_CAP ("99+"): one bounded, indexed COUNT per view, all of them in
one query, so the page's number of queries is fixed whatever the number of tickets and
views. With Redis they are kept for a user HELPDESK_VIEW_COUNTS_SECONDS (as the big
service desks keep theirs): the user's own changes show at once, other people's within
those seconds; the rows themselves are never kept. So is the list's own count of its
pages (`count_keeper`), for the same query.

The user's own changes are counted in steps (`forget_counts`), and one step changes
each count by one ticket at most. So a count read PAST_CAP rows beyond its cap, and
still beyond it by more than the steps taken since, is still capped: it is kept, and
only the others are counted again. In a busy team nearly every list follows one's own
change, and the capped counts, a hundred or a thousand rows each, were most of the
database's work for the lists.
"""

import contextlib
import datetime
import hashlib
import re
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
# Rows counted beyond a cap: the steps of the user's own changes a capped count outlasts.
PAST_CAP = 20
# How long a user's steps are remembered: forgotten, they begin again at another number.
_STEPS_SECONDS = 3600


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

    def only(self, indexes: list[int]) -> "CountingSql":
        """The counts at `indexes`, each with its own parameters: as many as its part has
        placeholders (`%s`; `%%` is a literal %)."""
        starts = [0]
        for part in self.parts:
            placeholders = [mark for mark in _PLACEHOLDERS.findall(part) if mark == "%s"]
            starts.append(starts[-1] + len(placeholders))
        params = [self.params[starts[i] : starts[i + 1]] for i in indexes]
        parts = tuple(self.parts[i] for i in indexes)
        return CountingSql(parts, sum(params, ()), self.alias, self.compiled_at)


_PLACEHOLDERS = re.compile(r"%[s%]")


def counting_sql(querysets: list[QuerySet]) -> CountingSql:
    """How many rows each queryset has, up to COUNT_CAP + 1 + PAST_CAP, as one query:
    each count a scalar subquery over its own bounded, indexed SELECT (a LIMIT per view,
    which one aggregate with `filter=` could not give)."""
    if not querysets:
        return CountingSql()
    alias = querysets[0].db
    parts, params = [], []
    for queryset in querysets:
        bounded = queryset.order_by().values("pk")[: COUNT_CAP + 1 + PAST_CAP]
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
    """Each queryset's count, up to COUNT_CAP + 1 + PAST_CAP, in one query."""
    return count_all(counting_sql(querysets))


def counts(user, *, also=()) -> tuple[list[Count], list[int]]:
    """Each of the user's views with its count (kept for a few seconds, see above), and
    the bounded count of each queryset `also` (what else the page counts): one query
    for them all.

    When the user has changed tickets since (their generation has moved on by as many
    steps, see above) or opened an updated one (what they have seen), only the views
    that may have changed are counted again: those not still capped, and those that read
    what was seen; the others keep their numbers, and their age. Views are counted by
    the SQL kept with the counts, not built and compiled afresh (building it was a fifth
    of a list's time): its "now" (the due views') is then up to
    HELPDESK_VIEW_COUNTS_SECONDS old, as kept counts may be."""
    shown = for_user(user)
    # Counts read on a replica may lag the user's own last change: never kept.
    seconds = settings.HELPDESK_VIEW_COUNTS_SECONDS
    if not seconds or replica_allowed():
        numbers = bounded_counts([*(w.tickets(user) for w in shown), *also])
        return _named(user, shown, numbers), numbers[len(shown) :]
    basis = _counted_on(user, shown)
    found = cache.get_many([_kept_key(user), _generation_key(user), _seen_key(user)])
    generation = (_steps_now(user, found), found.get(_seen_key(user)))
    kept = found.get(_kept_key(user))
    # (A shorter tuple is an older release's, during a deploy: counted afresh.)
    if kept is None or len(kept) != 4 or kept[0] != basis:
        kept = None
    now = time.time()
    again, numbers, counted_at, views_sql = list(range(len(shown))), [0] * len(shown), now, None
    if kept is not None:
        kept_generation, kept_at = _kept_generation(kept[1])
        steps = _steps(kept_generation, generation)
        if steps is not None and 0 <= now - kept_at < seconds:
            seen_changed = kept_generation[1] != generation[1]
            again = _to_count_again(shown, kept[2], steps, seen_changed)
            numbers, counted_at = [number - steps for number in kept[2]], kept_at
        kept_sql = CountingSql(*kept[3])
        if 0 <= now - kept_sql.compiled_at < seconds:
            views_sql = kept_sql
    if not again:
        return _named(user, shown, numbers), bounded_counts(list(also))
    if views_sql is None:
        views_sql = counting_sql([w.tickets(user) for w in shown])
    counted = count_all(views_sql.only(again) + counting_sql(list(also)))
    for index, number in zip(again, counted, strict=False):
        numbers[index] = number
    # Plain values only: another release may read them during a deploy. The counts kept
    # live as long as the oldest of them may.
    kept = (basis, (*generation, counted_at), numbers, astuple(views_sql))
    cache.set(_kept_key(user), kept, max(1, int(seconds - (now - counted_at))))
    return _named(user, shown, numbers), counted[len(again) :]


def _named(user, shown, numbers) -> list[Count]:
    return [Count(w, w.label(user), n) for w, n in zip(shown, numbers, strict=False)]


def _steps(kept_generation, generation) -> int | None:
    """How many steps of the user's own changes the kept counts are behind (None: not
    known, as when the steps were forgotten, or kept by an older release)."""
    if kept_generation is None:
        return None
    then, now = kept_generation[0], generation[0]
    if then == now:
        return 0
    if isinstance(then, int) and isinstance(now, int) and now > then:
        return now - then
    return None


def _to_count_again(shown, numbers, steps: int, seen_changed: bool) -> list[int]:
    """Which views (their places in `shown`) may count otherwise `steps` steps later."""
    return [
        index
        for index, (worklist, number) in enumerate(zip(shown, numbers, strict=True))
        if (steps and number - steps <= COUNT_CAP) or (seen_changed and worklist.reads_seen)
    ]


def _kept_generation(value) -> tuple[tuple | None, float]:
    """The generations kept counts were counted at (the user's, what they have seen),
    and when; an older release kept a bare generation: none."""
    if isinstance(value, tuple) and len(value) == 3:
        return value[:2], value[2]
    return None, 0.0


def count_keeper(user):
    """For the list's own bounded count (tickets/paging.py): kept like the views' counts,
    for the same query (its SQL holds what the user may see and asked for) while the
    user has changed nothing since, or while a count past HELPDESK_COUNT_LIMIT is still
    past it (see above); None when counts are not kept. A member's list at a million
    tickets spent half its database time on it."""
    if not settings.HELPDESK_VIEW_COUNTS_SECONDS or replica_allowed():
        return None
    return ListCountKeeper(user)


@dataclass(frozen=True)
class ListCountKeeper:
    """`keep(query, count)`: the list's count for the compiled `query`, kept or by
    `count()`; the query reads `beyond` rows past the limit."""

    user: object
    beyond: int = PAST_CAP

    def __call__(self, query, count) -> int:
        user = self.user
        digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
        key = f"worklists:list-count:{user.pk}:{digest}"
        generations = [_generation_key(user)]
        if TicketSeen._meta.db_table in query[0]:  # the "updated" view
            generations.append(_seen_key(user))
        found = cache.get_many([key, *generations])
        generation = (_steps_now(user, found), *(found.get(name) for name in generations[1:]))
        kept = found.get(key)
        if kept is not None and kept[0][1:] == generation[1:]:
            steps = _steps(kept[0], generation)
            if steps == 0 or (steps and kept[1] - steps > settings.HELPDESK_COUNT_LIMIT):
                return kept[1] - steps
        number = count()
        cache.set(key, (generation, number), settings.HELPDESK_VIEW_COUNTS_SECONDS)
        return number


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
    """After `user` changed a ticket (one ticket: each change calls this), a step on
    for their counts; `seen`, after they opened an updated one, for what reads when
    they last opened their tickets. A step now and, inside a transaction, another once
    the change is committed, so that counts begun before the commit (another tab) are a
    step behind too. Outside one the change is committed already: one step, one round
    trip to the cache."""
    if settings.HELPDESK_VIEW_COUNTS_SECONDS and getattr(user, "pk", None):
        key = _seen_key(user) if seen else _generation_key(user)
        _step(key)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _step(key))


def _steps_now(user, found: dict) -> int:
    """The user's step, from the cache's values `found`; begun now if there is none, so
    that counts kept from now on can tell how many steps behind they fall."""
    key = _generation_key(user)
    step = found.get(key)
    if step is None:
        step = secrets.randbits(48)
        if not cache.add(key, step, _STEPS_SECONDS):
            step = cache.get(key)  # begun meanwhile by the user's other request
    return step


def _step(key: str) -> None:
    """One step on. Steps start from a random number, so that steps forgotten and begun
    again are never taken for those that kept counts were counted at."""
    start = secrets.randbits(48)
    if hasattr(cache, "incr_from"):  # Redis (common/cache.py): one round trip
        cache.incr_from(key, start, _STEPS_SECONDS)
        return
    cache.add(key, start, _STEPS_SECONDS)
    # Forgotten in between, or not a number (an older release's): counted afresh.
    with contextlib.suppress(ValueError, TypeError):
        cache.incr(key)


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
