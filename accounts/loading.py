"""The signed-in user as each request loads it: with their organisation and the facts
that every page asks about them, in one query.

An app registers a fact in its AppConfig.ready(): a name and a function that returns a
boolean expression of the user row (an `Exists`); the load annotates it as `fact_<name>`.
A fact holds as of the start of the request: code that must see a change made during
the request asks the database instead. A fact's expression is the same for every user
and request (the user row is its OuterRef), so the annotated queryset is built once a
process, and so is its SQL (`load`): building the subqueries and compiling the query
cost more than running it, on every request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Count, Expression, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from .models import Organisation, User

_facts: dict[str, Callable[[], Expression]] = {}
_built: QuerySet | None = None  # for_request()'s, with every fact registered so far
_prepared: dict[str, "_Prepared"] = {}  # load()'s, by database alias
# The id the SQL is compiled with, found again among its parameters.
_PROBE = -7_243_190_511


def register(name: str, expression: Callable[[], Expression]) -> None:
    global _built
    _facts[name] = expression
    _built = None
    _prepared.clear()


def for_request() -> QuerySet:
    """The users with their organisation and every registered fact (a fresh QuerySet,
    cloned from the process's one)."""
    global _built
    if _built is None:
        _built = User.objects.select_related("organisation").annotate(
            **{f"fact_{name}": expression() for name, expression in _facts.items()}
        )
    return _built.all()


@dataclass(frozen=True)
class _Prepared:
    sql: str
    params: tuple
    at: int  # the user's id among the params
    compiler: SQLCompiler  # compiled: its columns, their converters, its annotations
    fields: tuple[int, int, list[str]]  # the user's columns: first, past the last, names
    populators: list


def _prepare(using: str) -> "_Prepared | None":
    compiler = for_request().filter(pk=_PROBE).query.get_compiler(using)
    sql, params = compiler.as_sql()
    if list(params).count(_PROBE) != 1:
        return None  # not to be told apart from a fact's own parameter: the ORM's way
    select, klass_info = compiler.select, compiler.klass_info
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[first:last]]
    populators = get_related_populators(klass_info, select, using)
    return _Prepared(
        sql, tuple(params), list(params).index(_PROBE), compiler, (first, last, names), populators
    )


def load(pk) -> User | None:
    """The user `pk` as `for_request()` loads them, by SQL compiled once a process (as
    Django's ModelIterable makes its objects); None when there is no such user."""
    using = router.db_for_read(User)
    if using not in _prepared:
        prepared = _prepare(using)
        if prepared is None:
            return for_request().filter(pk=pk).first()
        _prepared[using] = prepared
    prepared = _prepared[using]
    params = list(prepared.params)
    params[prepared.at] = User._meta.pk.get_prep_value(pk)  # as a filter would
    with connections[using].cursor() as cursor:
        cursor.execute(prepared.sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    (row,) = prepared.compiler.results_iter(results=[rows])
    first, last, names = prepared.fields
    user = User.from_db(using, names, row[first:last])
    for populator in prepared.populators:
        populator.populate(row, user)
    for name, position in prepared.compiler.annotation_col_map.items():
        setattr(user, name, row[position])
    return user


def fact(user, name: str) -> bool | None:
    """The fact as loaded with `user`; None when this object was not loaded that way."""
    return getattr(user, f"fact_{name}", None)


def _has_children() -> Expression:
    # Counted through the parent index, not EXISTS: for EXISTS PostgreSQL expects the
    # first of some forty children early and reads the organisations in turn, all of
    # them for a chamber, which has none (0.6 ms of most requests at 3,000 chambers).
    children = Organisation.objects.filter(parent_id=OuterRef("organisation_id")).order_by()
    counted = children.values("parent_id").annotate(n=Count("pk")).values("n")
    return GreaterThan(Coalesce(Subquery(counted), 0), 0)


# Whether anything hangs below the user's organisation: a chamber's member (the most
# common) then needs no query for the organisations below theirs.
register("organisation_has_children", _has_children)
