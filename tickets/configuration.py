"""What nearly every page reads and an admin rarely changes: the categories, the ticket
kinds and the custom fields, kept in each process and read again only when they changed.

Every save or delete of those rows gives the "configuration" token a new value
(common/versions.py) in the same transaction. Each request's user is loaded with the
token (accounts/loading.py), so a page learns whether its process's copy is current
without a query of its own; code outside a request (workers, commands) asks for the
token. The copy is the same for everyone: who may see or file what is decided by the
callers, for each reader, on each request. Its rows are shared by every request of the
process: read them, never change them. Apps above keep copies of their own rows of the
same kind with each copy of the configuration, and renew its token when those change
(sla/schedules.py: the working calendars).
"""

import contextvars
from dataclasses import dataclass, field

from django.db import router, transaction

from accounts import loading
from categories.models import Category
from common import versions

from . import sortkeys
from .models import CustomField, TicketKind

NAME = "configuration"


@dataclass(frozen=True)
class Configuration:
    token: str
    categories: tuple[Category, ...]  # all of them, by name
    kinds: tuple[TicketKind, ...]  # all of them, by id
    custom_fields: tuple[CustomField, ...]  # all of them, in the forms' order, with kinds
    _fields_by_category: dict = field(default_factory=dict, repr=False)
    _categories_by_id: dict = field(default_factory=dict, repr=False)
    _kinds_by_id: dict = field(default_factory=dict, repr=False)

    def category(self, pk) -> Category | None:
        return self._categories_by_id.get(pk)

    def kind(self, pk) -> TicketKind | None:
        return self._kinds_by_id.get(pk)

    def active_categories(self) -> list[Category]:
        return [category for category in self.categories if category.is_active]

    def active_kinds(self) -> list[TicketKind]:
        return [kind for kind in self.kinds if kind.is_active]

    def fields_of(self, category_id) -> list[CustomField]:
        """The category's custom fields, inactive ones too (their values still show)."""
        return self._fields_by_category.get(category_id, [])


@dataclass
class _RequestState:
    request: object
    configuration: Configuration | None = None


_request = contextvars.ContextVar("configuration_request", default=None)
_kept: Configuration | None = None  # this process's copy


def _load() -> Configuration:
    # The token first: a copy is never labelled newer than the rows read after it.
    token = versions.current(NAME)
    using = router.db_for_write(Category)  # never a replica that lags behind the token
    fields = tuple(
        CustomField.objects.using(using).select_related("kind").order_by("position", "pk")
    )
    by_category: dict[int, list[CustomField]] = {}
    for custom_field in fields:
        by_category.setdefault(custom_field.category_id, []).append(custom_field)
    categories = tuple(Category.objects.using(using).order_by("name"))
    kinds = tuple(TicketKind.objects.using(using).order_by("pk"))
    return Configuration(
        token=token,
        categories=categories,
        kinds=kinds,
        custom_fields=fields,
        _fields_by_category=by_category,
        _categories_by_id={category.pk: category for category in categories},
        _kinds_by_id={kind.pk: kind for kind in kinds},
    )


def _request_token(state) -> str | None:
    user = getattr(state.request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return loading.fact(user, NAME)


def current() -> Configuration:
    """The configuration as of this request's start (or now, outside a request)."""
    global _kept
    state = _request.get()
    if state is not None and state.configuration is not None:
        return state.configuration  # one copy for the whole page
    token = _request_token(state) if state is not None else None
    if token is None:
        token = versions.current(NAME)
    kept = _kept
    if kept is None or kept.token != token:
        kept = _kept = _load()
    if state is not None:
        state.configuration = kept
    return kept


def attach(tickets) -> None:
    """Give each ticket its category and kind from the kept configuration, with no query
    (one made after this request began is read when asked for)."""
    config = current()
    for ticket in tickets:
        if (category := config.category(ticket.category_id)) is not None:
            ticket.category = category
        if (kind := config.kind(ticket.kind_id)) is not None:
            ticket.kind = kind


def category_keys(ids) -> set[str]:
    """The name copies the tickets of categories `ids` carry (tickets/sortkeys.py), from
    the kept configuration; from the database when it lacks one (made since)."""
    categories = [current().category(pk) for pk in ids]
    if None in categories:
        return sortkeys.category_keys(ids)
    return {sortkeys.for_category(category) for category in categories}


def changed(*, raw=False, using=None, **kwargs) -> None:
    """A signal receiver: a configuration row was saved or deleted."""
    global _kept
    if raw:
        # A load (loaddata, a restore) brings its own rows, the token's among them: the
        # token changes once the load is committed.
        transaction.on_commit(lambda: versions.bump(NAME, using=using), using=using)
    else:
        versions.bump(NAME, using=using)
    _kept = None
    state = _request.get()
    if state is not None:
        state.configuration = None


def forget() -> None:
    """Drop this process's copy (tests that empty the database under it)."""
    global _kept
    _kept = None


def token_fact():
    """The token, loaded with the request's user (accounts/loading.py)."""
    return versions.token_expression(NAME)


class ConfigurationMiddleware:
    """Gives `current()` the request, whose user was loaded with the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(_RequestState(request))
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


MODELS = (Category, TicketKind, CustomField)
