"""The list's pages: every matching ticket reachable, at a flat cost per page.

Why keyset: OFFSET paging reads and drops every row before the page, so page
40,000 of a million costs a scan of the table. Next and Previous are keyset
links instead: `?after=<token>` (or `?before=`) names the page's last (or first)
row, and the next page is the rows past that row's sort values, read from the
sort's index however deep the page is. `?page=N` keeps working for links typed
or kept by hand: an OFFSET bounded by the real rows (a page past the end says
so), and paging on from it goes by keyset again. Each page fetches one row more
than it shows to know whether another follows, so nothing needs the full count;
the count shown stops at HELPDESK_COUNT_LIMIT ("Page 41 of more than 40").

Every sort ends in the ticket's id, so a row's sort values are unique and a
keyset page never repeats or skips a row. NULLs (unread, unresolved, unassigned)
sort as the largest value on every database: after the others ascending, before
them descending, as PostgreSQL's indexes order them. A row that changes its sort
value while someone pages moves, as in any list that changes under a reader; a
link whose row is gone says so rather than showing another page.
"""

import functools
import math
import operator
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND, WhereNode

AFTER, BEFORE, PAGE = "after", "before", "page"
_SALT = "tickets.list.page"
# Past this OFFSET no database keeps counting: the page is simply missing.
_MAX_OFFSET = 2**62


@dataclass(frozen=True)
class Key:
    path: str  # an ORM path: "created_at", "organisation__name", "pk"
    descending: bool
    nullable: bool

    def order(self, reverse=False):
        descending = self.descending != reverse
        column = F(self.path)
        return column.desc(nulls_first=True) if descending else column.asc(nulls_last=True)

    def past_ranges(self, value, reverse=False) -> list[Q]:
        """The rows whose value comes after `value` in this key's order, as the ranges
        of its index they cover."""
        descending = self.descending != reverse
        if value is None:
            return [Q(**{f"{self.path}__isnull": False})] if descending else []
        if descending:
            return [Q(**{f"{self.path}__lt": value})]
        beyond = [Q(**{f"{self.path}__gt": value})]
        return [*beyond, Q(**{f"{self.path}__isnull": True})] if self.nullable else beyond

    def same(self, value) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})

    def reached(self, value, reverse=False) -> Q:
        """`past` or `same`, in a form an index can seek to."""
        descending = self.descending != reverse
        if value is None:
            return Q() if descending else self.same(None)
        if descending:
            return Q(**{f"{self.path}__lte": value})
        reached = Q(**{f"{self.path}__gte": value})
        return reached | Q(**{f"{self.path}__isnull": True}) if self.nullable else reached


def sort_keys(queryset: QuerySet) -> list[Key]:
    """The queryset's ordering as keys, up to and including the unique id."""
    keys = []
    for name in queryset.query.order_by or queryset.model._meta.ordering:
        path = name.lstrip("-")
        path = "pk" if path in ("pk", "id") else path
        nullable = path not in queryset.query.annotations and _nullable(queryset.model, path)
        keys.append(Key(path, name.startswith("-"), nullable))
        if path == "pk":
            return keys
    return [*keys, Key("pk", True, False)]


def affordable(queryset: QuerySet, count: int) -> QuerySet:
    """The queryset, without its computed sort keys (search's rank) when it holds more
    than HELPDESK_COUNT_LIMIT rows: such a key costs a computation for every row before
    the first page, so a long list falls back to the model's order."""
    if count <= settings.HELPDESK_COUNT_LIMIT:
        return queryset
    return _uncomputed(queryset)


def _uncomputed(queryset: QuerySet) -> QuerySet:
    order = queryset.query.order_by
    kept = [name for name in order if name.lstrip("-") not in queryset.query.annotations]
    return queryset if kept == list(order) else queryset.order_by(*kept)


def _capped(queryset: QuerySet) -> Exists:
    """Whether the queryset holds more than HELPDESK_COUNT_LIMIT rows (`affordable`), as
    a condition within another query."""
    limit = settings.HELPDESK_COUNT_LIMIT
    return Exists(queryset.order_by().values("pk")[limit : limit + 1])


def _bounded_count(queryset: QuerySet, keep=None, floor: QuerySet | None = None) -> int:
    """`keep`: (the count's SQL and params, the count as a function) -> the count, for a
    caller that keeps counts (tickets/worklists.py `count_keeper`); such a count reads
    `keep.beyond` rows more, to know a kept count past the limit still is later.

    `floor`: some of the queryset's rows, read from one index (as get_page's)."""
    # Without the ordering, PostgreSQL counts from the indexes of the filters; the ids
    # alone, so that no computed column (search's rank) is computed for every row counted.
    limit = settings.HELPDESK_COUNT_LIMIT + 1 + (keep.beyond if keep is not None else 0)
    bounded = queryset.order_by().values("pk")[:limit]
    if keep is None and floor is None:
        return bounded.count()
    try:
        query = _counting(bounded, floor, limit)
    except EmptyResultSet:  # .none(), or `__in` an empty list
        return 0
    if keep is None:
        return _count_of(bounded.db, *query)
    return keep(query, lambda: _count_of(bounded.db, *query))


def _counting(bounded: QuerySet, floor: QuerySet | None, limit: int) -> tuple[str, tuple]:
    """The SQL that counts `bounded` (up to `limit` rows), and its parameters. With a
    floor, the floor is counted first, and the whole only when the floor stays under the
    limit: PostgreSQL runs a scalar subquery of a CASE only when the CASE reaches it."""
    sql, params = bounded.query.get_compiler(bounded.db).as_sql()
    whole = f"SELECT COUNT(*) FROM ({sql}) bounded"  # noqa: S608 - the ORM's SQL
    if floor is None:
        return whole, params
    try:
        floor_sql, floor_params = (
            floor.order_by().values("pk")[:limit].query.get_compiler(bounded.db).as_sql()
        )
    except EmptyResultSet:  # the floor holds nothing: the whole is counted alone
        return whole, params
    counted = (
        f"SELECT CASE WHEN (SELECT COUNT(*) FROM ({floor_sql}) floor_rows) = %s "  # noqa: S608
        f"THEN %s ELSE ({whole}) END"
    )
    return counted, (*floor_params, limit, limit, *params)


def _count_of(alias: str, sql: str, params) -> int:
    """The count, by its compiled SQL (`_counting`), without compiling the query again."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def as_listed(queryset: QuerySet) -> QuerySet:
    """The queryset in the order the list shows it (`affordable`): for the list's
    exports, which must follow the pages (`neighbours` decides within its own query)."""
    if any(name.lstrip("-") in queryset.query.annotations for name in queryset.query.order_by):
        return affordable(queryset, _bounded_count(queryset))
    return queryset


def _nullable(model, path: str) -> bool:
    if path == "pk":
        return False
    for name in path.split("__"):
        model_field = model._meta.get_field(name)
        if model_field.null:
            return True
        model = model_field.related_model
    return False


def _row_values(queryset: QuerySet, keys: list[Key], pk: int):
    """The sort values of row `pk`, whether or not it passes the filters; a computed
    key (search's rank) computed as the list computes it."""
    annotations = queryset.query.annotations
    computed = {k.path: annotations[k.path] for k in keys if k.path in annotations}
    rows = queryset.model._base_manager.annotate(**computed).filter(pk=pk)
    return rows.values_list(*(key.path for key in keys)).first()


def _signature(keys: list[Key]) -> list[str]:
    return [f"-{key.path}" if key.descending else key.path for key in keys]


def _token(keys: list[Key], ticket, number: int) -> str:
    # The row's id rather than its sort values: a subject in a URL would outlive its
    # erasure in access logs. Signed, so no one can position a ticket they do not see.
    return signing.dumps({"k": _signature(keys), "id": ticket.pk, "n": number}, salt=_SALT)


def _read_token(token: str, queryset: QuerySet, keys: list[Key]):
    """The sort values of the token's row and the page number; None if the token is
    not ours, not for this sort, or its row is gone."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != _signature(keys):
        return None
    pk, number = data.get("id"), data.get("n")
    if not isinstance(pk, int) or not isinstance(number, int):
        return None
    # Not narrowed by the filters: a row that left them still marks the place.
    values = _row_values(queryset, keys, pk)
    return None if values is None else (list(values), max(number, 1))


def _past(keys: list[Key], values: list, reverse: bool) -> Q:
    """Rows after the cursor: (k1, k2, ...) > (v1, v2, ...) in the sort's order; one
    condition, its first key's in a form an index can seek to."""
    past = functools.reduce(operator.or_, _past_ranges(keys, values, reverse), Q(pk__in=[]))
    return keys[0].reached(values[0], reverse) & past


def _past_ranges(keys: list[Key], values: list, reverse: bool) -> list[Q]:
    """The rows after the cursor as disjoint ranges of the sort's index: (k1 past v1),
    (k1 = v1, k2 past v2), ... Each is read from where it starts, where `_past` reads
    the cursor's whole group from its first row: a ticket deep among a chamber's 20,000,
    sorted by organisation, is found at once rather than after the 19,000 before it."""
    ranges, equal = [], Q()
    for key, value in zip(keys, values, strict=True):
        ranges.extend(equal & past for past in key.past_ranges(value, reverse))
        equal &= key.same(value)
    return ranges


def _ranges_of(part: QuerySet, keys: list[Key], values: list, reverse: bool) -> list[Q]:
    """`_past_ranges` that can hold rows of `part`. Where its filters name the values its
    first key takes (a chamber's name), none past the cursor's value on that key when
    it is the only one named, none at it when it is not named: PostgreSQL does not see
    that `key = 'x' AND key < 'x'` holds no row, and may read the whole table for one."""
    named = _named_values(part.query.where, part.query.base_table, keys[0].path)
    if named is None:
        return _past_ranges(keys, values, reverse)
    first, *others = keys
    ranges = first.past_ranges(values[0], reverse) if named - {values[0]} else []
    if values[0] in named:
        same = first.same(values[0])
        ranges += [same & past for past in _past_ranges(others, values[1:], reverse)]
    return ranges


def _named_values(where: WhereNode, alias: str, path: str) -> set | None:
    """The values a WHERE (its ANDed conditions) allows column `path` of table `alias`,
    when it names them (`path=` or `path__in=` a list); None when it does not."""
    if where.connector != AND or where.negated:
        return None
    named = None
    for child in where.children:
        if isinstance(child, WhereNode):
            found = _named_values(child, alias, path)
        elif isinstance(child, Exact | In) and getattr(child.lhs, "alias", None) == alias:
            rhs = child.rhs if isinstance(child, In) else [child.rhs]
            plain = isinstance(rhs, list | tuple | set) and not any(
                hasattr(value, "resolve_expression") for value in rhs
            )
            found = set(rhs) if child.lhs.target.name == path and plain else None
        else:
            found = None
        if found is not None:
            named = found if named is None else named & found
    return named


@dataclass
class TicketPage:
    """One page of the list and the links around it."""

    object_list: list
    number: int
    count: int  # bounded by HELPDESK_COUNT_LIMIT + 1 (and a keeper's `beyond`)
    has_next: bool = False
    has_previous: bool = False
    missing: bool = False  # a page was asked for that has no rows (or a stale link)
    next_token: str = ""
    previous_token: str = ""
    page_size: int = field(default=25)

    @property
    def is_capped(self) -> bool:
        return self.count > settings.HELPDESK_COUNT_LIMIT

    @property
    def limit(self) -> int:
        """What a capped list is said to hold more than: the limit, however far past it
        its count read (a kept count reads rows beyond it, tickets/worklists.py)."""
        return settings.HELPDESK_COUNT_LIMIT

    @property
    def num_pages(self) -> int:
        """The pages the bounded count covers: all of them unless capped."""
        if self.is_capped:
            return settings.HELPDESK_COUNT_LIMIT // self.page_size
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def previous_is_first(self) -> bool:
        return self.number == 2


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def _by_ranges(queryset: QuerySet, keys: list[Key], parts) -> list[QuerySet] | None:
    """What to read range by range past a cursor (`_past_ranges`): the parts, else the
    whole list as one. None where the database cannot limit within a UNION (SQLite), or
    by a computed key (search's rank), which no index holds and whose ranges would only
    compute it twice."""
    if not connection.features.supports_slicing_ordering_in_compound:
        return None
    if any(key.path in queryset.query.annotations for key in keys):
        return None
    return parts or [queryset]


def _among_parts(parts: list[QuerySet], keys: list[Key], rows: int, *, past=None) -> Q:
    """The rows among each part's first `rows` in the keys' order (past a cursor: `past`,
    the values and the direction, in each of its ranges); the first rows of their union
    are among them."""
    reverse = past is not None and past[1]
    order = [key.order(reverse=reverse) for key in keys]
    firsts = [
        part.filter(r).order_by(*order).values("pk")[:rows]
        for part in parts
        for r in ([Q()] if past is None else _ranges_of(part, keys, *past))
    ]
    if not firsts:
        return Q(pk__in=[])
    return Q(pk__in=firsts[0].union(*firsts[1:], all=True))


def get_page(
    queryset: QuerySet,
    params,
    page_size: int,
    *,
    annotations=None,
    keep_count=None,
    parts: list[QuerySet] | None = None,
    floor: QuerySet | None = None,
    counted: bool = True,
) -> TicketPage:
    """The page `params` ask for: by `after`/`before` token, else by `page` number; its
    rows with `annotations`, which the count leaves out (they would cost per row).
    `keep_count`: as `_bounded_count`'s `keep`.

    `parts`: querysets, sorted and filtered as `queryset`, whose union is its rows (the
    parts of the visibility rule, say). The page is then looked for among each part's
    first rows, each part read in order from an index of its own, where the whole
    query's order would walk an index past every row the rule leaves out (a chamber's
    tickets sorted by organisation: those of every chamber before it). Needs a database
    that sorts and limits within a UNION (not SQLite).

    `floor`: some of `queryset`'s rows, filtered as it is but read from one index (the
    part of the visibility rule that holds the most, say). Counted first, it spares the
    whole count whenever it reaches the limit alone: the rule's OR is read by PostgreSQL
    bitmap by bitmap, every row of every part before the first is counted.

    `counted`: False for a caller that shows no count (the API, whose pages link by
    cursor alone): nothing is counted, and the list is taken as longer than the limit
    (`affordable`: no key computed for every row, so a cursor holds however many rows
    match by the next page)."""
    if counted:
        count = _bounded_count(queryset, keep_count, floor)
    else:
        count = settings.HELPDESK_COUNT_LIMIT + 1
    queryset = affordable(queryset, count)
    keys = sort_keys(queryset)
    rows_of = queryset.annotate(**annotations) if annotations else queryset
    ordered = rows_of.order_by(*(key.order() for key in keys))
    token = params.get(AFTER) or params.get(BEFORE)
    if token:
        reverse = not params.get(AFTER)
        cursor = _read_token(token, queryset, keys)
        if cursor is None:
            return TicketPage([], 1, count, missing=True, page_size=page_size)
        values, number = cursor
        if reverse:
            ordered = rows_of.order_by(*(key.order(reverse=True) for key in keys))
        if ranged := _by_ranges(queryset, keys, parts):
            ordered = ordered.filter(
                _among_parts(ranged, keys, page_size + 1, past=(values, reverse))
            )
        rows = list(ordered.filter(_past(keys, values, reverse))[: page_size + 1])
        more = len(rows) > page_size
        rows = rows[:page_size]
        if not rows:
            return TicketPage([], number, count, missing=True, page_size=page_size)
        if reverse:
            rows.reverse()
            # Nothing before it: whatever the link said, this is the first page.
            page = TicketPage(rows, number if more else 1, count, True, more)
        else:
            page = TicketPage(rows, number, count, more, True)
    else:
        number = _page_number(params.get(PAGE))
        offset = (number - 1) * page_size
        if parts and offset < _MAX_OFFSET:
            ordered = ordered.filter(_among_parts(parts, keys, offset + page_size + 1))
        rows = list(ordered[offset : offset + page_size + 1]) if offset < _MAX_OFFSET else []
        if not rows and number > 1:
            return TicketPage([], number, count, missing=True, page_size=page_size)
        page = TicketPage(rows[:page_size], number, count, len(rows) > page_size, number > 1)
    page.page_size = page_size
    if page.has_next:
        page.next_token = _token(keys, page.object_list[-1], page.number + 1)
    if page.has_previous:
        page.previous_token = _token(keys, page.object_list[0], page.number - 1)
    return page


def _instance_values(queryset: QuerySet, keys: list[Key], row) -> list:
    """The sort values of `row`, a model instance just read, without asking again; a
    key computed by the list's query (search's rank) as a reference to the same
    computation on the row's own query (`neighbours`)."""
    values = []
    for key in keys:
        if key.path in queryset.query.annotations:
            values.append(OuterRef(key.path))
            continue
        value = row
        for name in key.path.split("__"):
            value = None if value is None else getattr(value, name)
        values.append(value)
    return values


def _sides(queryset: QuerySet, keys: list[Key], values: list, parts=None) -> dict:
    """The ids just before and just after the row of sort `values`, as subqueries;
    `parts`: what to read range by range (`_by_ranges`)."""
    sides = {}
    for name, reverse in (("previous", True), ("next", False)):
        ordered = queryset.order_by(*(key.order(reverse=reverse) for key in keys))
        if parts:
            ordered = ordered.filter(_among_parts(parts, keys, 1, past=(values, reverse)))
        beyond = ordered.filter(_past(keys, values, reverse)).values("pk")[:1]
        sides[name] = Subquery(beyond)
    return sides


def neighbours(
    queryset: QuerySet, pk: int, *, row=None, parts: list[QuerySet] | None = None
) -> tuple[int | None, int | None]:
    """The ids before and after ticket `pk` in the list's order (keyset, so it costs the
    same however deep the ticket sits); None at either end or when `pk` is gone. `row`:
    the ticket as the page read it, whose fields give its sort values; `parts` as
    `get_page`'s, else the whole list is the one part. One query: both neighbours, and
    with a computed sort key (search's rank) its value for the ticket and whether the
    list keeps it (`as_listed`)."""
    keys = sort_keys(queryset)
    annotations = queryset.query.annotations
    computed = {key.path: annotations[key.path] for key in keys if key.path in annotations}
    if row is not None:
        values = _instance_values(queryset, keys, row)
    else:
        values = _row_values(queryset, keys, pk)
    if values is None:
        return None, None
    values = list(values)
    sides = _sides(queryset, keys, values, _by_ranges(queryset, keys, parts))
    if computed:
        # Past the count limit the list drops the computed key (`affordable`), and so do
        # its neighbours: the database computes only the order that applies.
        plain = _uncomputed(queryset)
        plain_keys = sort_keys(plain)
        known = {key.path: value for key, value in zip(keys, values, strict=True)}
        fallback = _sides(plain, plain_keys, [known[key.path] for key in plain_keys])
        capped = _capped(queryset)
        sides = {
            name: Case(When(capped, then=fallback[name]), default=side)
            for name, side in sides.items()
        }
    found = (
        queryset.model._base_manager.filter(pk=pk)
        .annotate(**computed, **sides)
        .values_list("previous", "next")
        .first()
    )
    return found if found is not None else (None, None)
