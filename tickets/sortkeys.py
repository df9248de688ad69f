"""The copies of names that the list sorts by, kept on each ticket.

Sorting a million tickets by their organisation's name through a join sorts the whole
table (1.4 s; by the assignee's, 1 s); a copy on the ticket, indexed with the id, is read
in order instead. The organisation's and category's copies are the folded names (case,
accents and the Turkish i's ignored, as in search), the assignee's their username;
written when a ticket is filed, moves or is assigned, and rewritten when a name changes
(signals, connected in apps.py).
"""

from accounts.models import Organisation, User
from categories.models import Category
from common.text import normalise


def for_category(category: Category) -> str:
    return " ".join(normalise(category.name).split())


def category_keys(ids) -> set[str]:
    """The copies the tickets of categories `ids` carry (one query)."""
    return {for_category(category) for category in Category.objects.filter(pk__in=ids).only("name")}


def for_organisation(organisation: Organisation) -> str:
    return organisation.name_key


def for_assignee(user: User | None) -> str | None:
    return None if user is None else user.username


def fill(ticket, fields=None) -> list[str]:
    """Set `ticket`'s copies from its organisation, category and assignee (those among
    `fields`, all when None); returns the names of the copies set."""
    copies = []
    if fields is None or "organisation" in fields:
        ticket.organisation_key = for_organisation(ticket.organisation)
        copies.append("organisation_key")
    if fields is None or "category" in fields:
        ticket.category_key = for_category(ticket.category)
        copies.append("category_key")
    if fields is None or "assignee" in fields:
        ticket.assignee_key = for_assignee(ticket.assignee)
        copies.append("assignee_key")
    return copies


def lookup() -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Every organisation's, category's and user's key by id, for bulk loading."""
    organisations = dict(Organisation.objects.values_list("pk", "name_key"))
    categories = {c.pk: for_category(c) for c in Category.objects.only("pk", "name")}
    users = dict(User.objects.values_list("pk", "username"))
    return organisations, categories, users


def organisation_renamed(sender, instance: Organisation, **kwargs) -> None:
    from .models import Ticket

    key = for_organisation(instance)
    Ticket.objects.filter(organisation=instance).exclude(organisation_key=key).update(
        organisation_key=key
    )


def category_renamed(sender, instance: Category, **kwargs) -> None:
    from .models import Ticket

    key = for_category(instance)
    Ticket.objects.filter(category=instance).exclude(category_key=key).update(category_key=key)


def user_renamed(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "username" not in update_fields:
        return  # a sign-in's last_login, a profile's language: no name changed
    from .models import Ticket

    key = for_assignee(instance)
    Ticket.objects.filter(assignee=instance).exclude(assignee_key=key).update(assignee_key=key)
