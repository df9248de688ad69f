"""Reads about teams: which categories a user handles, and who handles tickets at all."""

from django.contrib.auth import get_user_model
from django.db.models import Aggregate, CharField

from accounts import loading
from accounts.models import SUPERVISING

from .models import Category


class IdsText(Aggregate):
    """The ids aggregated as one text, "1,5,7" (for the user's load, accounts/loading.py)."""

    function = "GROUP_CONCAT"  # SQLite; its separator is a comma
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s::text, ',')",
            **extra_context,
        )


def team_category_ids(user) -> frozenset[int]:
    """Ids of the categories whose team the user is on; cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_team_category_ids"):
        loaded = loading.fact(user, "team_category_ids")
        if loaded is not None:
            user._team_category_ids = frozenset(int(pk) for pk in loaded.split(",") if pk)
            return user._team_category_ids
        user._team_category_ids = frozenset(
            Category.objects.filter(responsibles=user).values_list("pk", flat=True)
        )
    return user._team_category_ids


def team_categories_of(user_id):
    """`team_category_ids` as a subquery, by the user's id alone: for a query compiled once
    for everyone (common/prepared.py), which a list of each user's ids would not be."""
    return Category.responsibles.through.objects.filter(user_id=user_id).values("category_id")


def handles_tickets(user) -> bool:
    """The one meaning of "responsible": a supervisor, or on the team of a category.

    Permissions, the list's filters, the profile page and the admin all ask this.
    """
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_supervisor or bool(team_category_ids(user)))
    )


def ticket_handlers():
    """The users for whom `handles_tickets` holds, as a queryset (the admin, the list's
    assignees). By their ids, the supervisors from an index of their own and the teams'
    members from the teams: a condition on each user read every user of the site."""
    User = get_user_model()
    supervising = User.objects.filter(SUPERVISING).values("pk")
    on_teams = Category.responsibles.through.objects.values("user_id")
    return User.objects.filter(pk__in=supervising.union(on_teams), is_active=True)
