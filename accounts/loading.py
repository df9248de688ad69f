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

from django.db.models import Count, Expression, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from common.prepared import Prepared

from .models import Organisation, User

_facts: dict[str, Callable[[], Expression]] = {}
_built: QuerySet | None = None  # for_request()'s, with every fact registered so far


def register(name: str, expression: Callable[[], Expression]) -> None:
    global _built
    _facts[name] = expression
    _built = None
    _prepared.forget()


def for_request() -> QuerySet:
    """The users with their organisation and every registered fact (a fresh QuerySet,
    cloned from the process's one)."""
    global _built
    if _built is None:
        _built = User.objects.select_related("organisation").annotate(
            **{f"fact_{name}": expression() for name, expression in _facts.items()}
        )
    return _built.all()


# The request's load, by SQL compiled once a process (common/prepared.py).
_prepared = Prepared(lambda pk: for_request().filter(pk=pk))


def load(pk) -> User | None:
    """The user `pk` as `for_request()` loads them; None when there is no such user."""
    rows = _prepared.rows(pk)
    return rows[0] if rows else None


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
