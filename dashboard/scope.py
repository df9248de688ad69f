"""Which tickets a dashboard counts: the viewer's scope, narrowed by its filters.

Supervisors: every ticket, or one organisation's subtree (`organisation`). Handlers:
their teams' categories. Members: their own organisation's tickets. A filter names an
organisation or a category; one outside the scope, or not a number, counts nothing.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Organisation, Role
from categories.selectors import handles_tickets, team_category_ids
from tickets.models import Ticket

ORGANISATION = "organisation"
CATEGORY = "category"


@dataclass(frozen=True)
class Scope:
    tickets: QuerySet
    # Whose figures these are, for the page's heading.
    kind: str  # "all", "teams", "organisation", "none"
    organisation: Organisation | None = None
    category_id: int | None = None
    user: object = None
    organisation_id: int | None = None
    # When `exact`, the tickets are all those of `categories` and of `organisations`
    # (their ids; None: of any), which the kept counts answer for (tables.py).
    exact: bool = False
    categories: frozenset | None = None
    organisations: frozenset | None = None


def signature(scope: Scope) -> str | None:
    """What decides the tickets counted, as a cache key's part; None for no tickets.

    Whose they are (everything, a team's categories, one organisation) and the filters:
    two viewers with the same signature count the same rows."""
    if scope.kind == "none":
        return None
    if scope.kind == "teams":
        whose = ",".join(str(pk) for pk in sorted(team_category_ids(scope.user)))
    elif scope.kind == "organisation" and scope.exact:
        whose = str(scope.user.organisation_id)  # a member: all of the organisation's
    elif scope.kind == "organisation":
        whose = f"user{scope.user.pk}"  # anyone else: what they filed or were given
    else:
        whose = ""
    return f"{scope.kind}:{whose}:{scope.organisation_id or ''}:{scope.category_id or ''}"


def _number(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _narrowed(ids: frozenset | None, to) -> frozenset:
    return frozenset(to) if ids is None else ids & frozenset(to)


def scope_for(user, params) -> Scope:
    """The tickets behind every figure of `user`'s dashboard with filters `params`."""
    if not user.is_authenticated or not user.is_active:
        return Scope(Ticket.objects.none(), "none", user=user)
    # Alongside the tickets, the categories and organisations they are exactly all the
    # tickets of (None: every one), while that holds.
    categories = organisations = None
    exact = True
    if user.is_supervisor:
        tickets, kind = Ticket.objects.all(), "all"
    elif handles_tickets(user):
        tickets, kind = Ticket.objects.visible_to(user, teams_only=True), "teams"
        categories = frozenset(team_category_ids(user))
    elif user.organisation_id:
        kind = "organisation"
        organisations = frozenset({user.organisation_id})
        # A member sees all of their organisation's tickets (one indexed condition, not
        # visible_to's OR); anyone else only those they filed or were assigned.
        exact = user.role == Role.MEMBER
        tickets = Ticket.objects.filter(organisation_id=user.organisation_id)
        if not exact:
            tickets = tickets.filter(pk__in=Ticket.objects.visible_to(user).values("pk"))
    else:
        return Scope(Ticket.objects.none(), "none", user=user)
    organisation = None
    if params.get(ORGANISATION):
        number = _number(params.get(ORGANISATION))
        organisation = Organisation.objects.filter(pk=number).first() if number else None
        if organisation is None:
            return Scope(Ticket.objects.none(), "none", user=user)
        # The subtree, by its ids: literal values the organisation index serves.
        ids = list(organisation.subtree().values_list("pk", flat=True))
        tickets = tickets.filter(organisation_id__in=ids)
        organisations = _narrowed(organisations, ids)
    category_id = None
    if params.get(CATEGORY):
        category_id = _number(params.get(CATEGORY))
        if category_id is None:
            return Scope(Ticket.objects.none(), "none", user=user)
        tickets = tickets.filter(category_id=category_id)
        categories = _narrowed(categories, [category_id])
    # The name is shown in the heading: only to those whose scope is every organisation.
    shown = organisation if kind == "all" else None
    return Scope(
        tickets,
        kind,
        shown,
        category_id,
        user,
        organisation and organisation.pk,
        exact=exact,
        categories=categories,
        organisations=organisations,
    )
