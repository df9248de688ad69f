"""The signed-in user as each request loads it: with their organisation and the facts
that every page asks about them, in one query.

An app registers a fact in its AppConfig.ready(): a name and a function that returns a
boolean expression of the user row (an `Exists`); the load annotates it as `fact_<name>`.
A fact holds as of the start of the request: code that must see a change made during
the request asks the database instead. A fact's expression is the same for every user
and request (the user row is its OuterRef), so the annotated queryset is built once a
process: building its subqueries cost about as much as the rest of the load.
"""

from collections.abc import Callable

from django.db.models import Exists, Expression, OuterRef, QuerySet

from .models import Organisation, User

_facts: dict[str, Callable[[], Expression]] = {}
_built: QuerySet | None = None  # for_request()'s, with every fact registered so far


def register(name: str, expression: Callable[[], Expression]) -> None:
    global _built
    _facts[name] = expression
    _built = None


def for_request() -> QuerySet:
    """The users with their organisation and every registered fact (a fresh QuerySet,
    cloned from the process's one)."""
    global _built
    if _built is None:
        _built = User.objects.select_related("organisation").annotate(
            **{f"fact_{name}": expression() for name, expression in _facts.items()}
        )
    return _built.all()


def fact(user, name: str) -> bool | None:
    """The fact as loaded with `user`; None when this object was not loaded that way."""
    return getattr(user, f"fact_{name}", None)


# Whether anything hangs below the user's organisation: a chamber's member (the most
# common) then needs no query for the organisations below theirs.
register(
    "organisation_has_children",
    lambda: Exists(Organisation.objects.filter(parent_id=OuterRef("organisation_id"))),
)
