from .models import Category


def team_category_ids(user) -> frozenset[int]:
    """Ids of the categories whose team the user is on; cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_team_category_ids"):
        user._team_category_ids = frozenset(
            Category.objects.filter(responsibles=user).values_list("pk", flat=True)
        )
    return user._team_category_ids
