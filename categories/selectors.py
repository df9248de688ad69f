"""Reads about teams: which categories a user handles, and who handles tickets at all."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts import loading
from accounts.models import Role

from .models import Category


def team_category_ids(user) -> frozenset[int]:
    """Ids of the categories whose team the user is on; cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_team_category_ids"):
        if loading.fact(user, "on_a_team") is False:
            user._team_category_ids = frozenset()
            return user._team_category_ids
        user._team_category_ids = frozenset(
            Category.objects.filter(responsibles=user).values_list("pk", flat=True)
        )
    return user._team_category_ids


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
    """The users for whom `handles_tickets` holds, as a queryset (for the admin)."""
    return (
        get_user_model()
        .objects.filter(
            Q(role=Role.SUPERVISOR) | Q(is_superuser=True) | Q(team_categories__isnull=False),
            is_active=True,
        )
        .distinct()
    )
