"""Who may write: a category's team writes and publishes its articles, supervisors all."""

from categories.selectors import team_category_ids


def can_write(user, category) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_supervisor or category.pk in team_category_ids(user)


def can_write_any(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_supervisor or bool(team_category_ids(user)))
    )
