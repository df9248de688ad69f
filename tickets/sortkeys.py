"""The copies of names that the list sorts by, kept on each ticket.

Sorting a million tickets by their organisation's name through a join sorts the whole
table (1.4 s); a copy on the ticket, indexed with the id, is read in order instead. The
copies are the folded names (case, accents and the Turkish i's ignored, as in search),
written when a ticket is filed or moves, and rewritten when a name changes (signals,
connected in apps.py).
"""

from accounts.models import Organisation
from categories.models import Category
from common.text import normalise


def for_category(category: Category) -> str:
    return " ".join(normalise(category.name).split())


def for_organisation(organisation: Organisation) -> str:
    return organisation.name_key


def fill(ticket, fields=None) -> list[str]:
    """Set `ticket`'s copies from its organisation and category (those among `fields`,
    all when None); returns the names of the copies set."""
    copies = []
    if fields is None or "organisation" in fields:
        ticket.organisation_key = for_organisation(ticket.organisation)
        copies.append("organisation_key")
    if fields is None or "category" in fields:
        ticket.category_key = for_category(ticket.category)
        copies.append("category_key")
    return copies


def lookup() -> tuple[dict[int, str], dict[int, str]]:
    """Every organisation's and category's key by id, for bulk loading."""
    organisations = dict(Organisation.objects.values_list("pk", "name_key"))
    categories = {c.pk: for_category(c) for c in Category.objects.only("pk", "name")}
    return organisations, categories


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
