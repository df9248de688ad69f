import functools
import operator

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def subtree_ids(user) -> list[int]:
    """Ids of the user's organisation and of all below it; cached on the user object.

    Fetched first (one indexed prefix match on the organisation's path) so that the
    ticket query gets literal ids, which PostgreSQL can estimate and serve from the
    organisation index even inside an OR.
    """
    return list(_subtree(user))


def subtree_keys(user) -> list[str]:
    """The name keys of the same organisations (a ticket's `organisation_key`)."""
    return list(_subtree(user).values())


def _subtree(user) -> dict[int, str]:
    if not hasattr(user, "_subtree"):
        from accounts import loading
        from accounts.models import Organisation

        if loading.fact(user, "organisation_has_children") is False:
            user._subtree = {user.organisation_id: user.organisation.name_key}
            return user._subtree
        subtree = Organisation.objects.filter(path__startswith=user.organisation.path)
        user._subtree = dict(subtree.values_list("pk", "name_key"))
    return user._subtree


def referred_parent_ids(user) -> frozenset[int]:
    """Ids of the parent records (cases) whose reviewer the user is; cached on the user.

    Reviewers are staff of the referring authority: members refer nothing, so their
    lists cost no query more.
    """
    from accounts.models import Role

    if not user.is_authenticated or user.role == Role.MEMBER:
        return frozenset()
    if not hasattr(user, "_referred_parent_ids"):
        from accounts import loading

        from .records import ParentRecord

        if loading.fact(user, "reviews_cases") is False:
            user._referred_parent_ids = frozenset()
            return user._referred_parent_ids

        records = ParentRecord.objects.filter(reviewer=user)
        user._referred_parent_ids = frozenset(records.values_list("pk", flat=True))
    return user._referred_parent_ids


def visibility_parts(user) -> dict[str, models.Q]:
    """The parts of `visible_to`'s rule for a user who is not a supervisor, by what
    each part goes by: a ticket is visible when it meets any of them."""
    from accounts.models import Role
    from categories.selectors import team_category_ids

    parts = {"requester": models.Q(requester=user), "assignee": models.Q(assignee=user)}
    if teams := team_category_ids(user):
        parts["category"] = models.Q(category_id__in=teams)
    if referred := referred_parent_ids(user):
        parts["parent"] = models.Q(parent_id__in=referred)
    if user.role == Role.MEMBER and user.organisation_id:
        parts["organisation"] = models.Q(organisation_id__in=subtree_ids(user))
    return parts


def sees_all(user) -> bool | None:
    """True: a supervisor, who sees every ticket; False: someone signed out or inactive,
    who sees none; None: someone who sees what `visibility_parts` give them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return True if user.is_supervisor else None


def shows(user, ticket) -> bool:
    """Whether `visible_to(user)` holds `ticket`, a row read with its ids: answered from
    the rule's own parts where each compares one of the ticket's columns with a value
    or a set of values (as they all do), else by asking the database. A ticket's page
    and each of its actions ask it; the query cost more to compile and plan than to run.
    """
    if (everything := sees_all(user)) is not None:
        return everything
    held = [_holds(part, ticket) for part in visibility_parts(user).values()]
    if True in held:
        return True
    if None in held:
        return ticket.__class__.objects.visible_to(user).filter(pk=ticket.pk).exists()
    return False


def _holds(part: models.Q, ticket) -> bool | None:
    """Whether the ticket meets `part`; None for a part not of the plain shape."""
    if part.negated or len(part.children) != 1 or not isinstance(part.children[0], tuple):
        return None
    name, value = part.children[0]
    field, _, lookup = name.partition("__")
    try:
        found = ticket._meta.get_field(field)
    except FieldDoesNotExist:
        return None
    if not found.concrete or found.many_to_many:
        return None
    actual = getattr(ticket, found.attname)
    # As SQL compares: NULL equals nothing and is in nothing (`= None` means IS NULL).
    if lookup in ("", "exact") and value is not None and not hasattr(value, "resolve_expression"):
        return actual is not None and actual == getattr(value, "pk", value)
    if lookup == "in" and isinstance(value, list | tuple | set | frozenset):
        return actual is not None and actual in {getattr(each, "pk", each) for each in value}
    return None


# The columns a list row reads (tickets/columns.py, the worklists' "updated" marks, the
# paging's sort keys) and the names shown with it.
LIST_ONLY = (
    "requester_id", "category_id", "kind_id", "parent_id",
    "subject", "priority", "priority_rank", "status",
    "created_at", "read_at", "resolved_at", "closed_at",
    "due_at", "sla_paused_at", "last_activity_at", "last_activity_side",
    "organisation_key", "category_key", "assignee_key",
    "organisation__name", "organisation__kind", "organisation__parent_id", "organisation__path",
    # A name, or the pseudonym of an erased person (User.is_erased reads the password).
    "assignee__username", "assignee__first_name", "assignee__last_name",
    "assignee__is_active", "assignee__password",
)  # fmt: skip


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user, *, teams_only=False, categories=None):
        """The tickets `user` may see: the one rule behind every page, download and export.

        Everyone sees the tickets they filed or were assigned. A member also sees
        the tickets of their organisation and of every organisation below it; whoever
        is on a category's team, its tickets; the reviewer of a case (the referring
        authority's), the tickets filed about it; staff see nothing by organisation
        (they are the confederation's: its subtree is everything); a supervisor sees all.

        `teams_only`: just those of the user's teams' categories (a handler's usual list),
        which the rule shows them whole: one indexed condition instead of an OR that
        PostgreSQL must combine with the list's filters bitmap by bitmap.

        `categories`: just those of these categories (ids; the list's filter). When they
        are all the user's teams', the rule's OR is left out for the same reason.
        """
        if sees_all(user) is False:
            return self.none()
        from categories.selectors import team_category_ids

        if teams_only:
            return self.filter(category_id__in=team_category_ids(user))
        if categories is not None:
            chosen = self.filter(category_id__in=categories)
            if set(categories) <= team_category_ids(user):
                return chosen
            return chosen.visible_to(user)
        if sees_all(user):
            return self.all()
        return self.filter(functools.reduce(operator.or_, visibility_parts(user).values()))

    def with_relations(self):
        """What a list row shows, in the same query."""
        return self.select_related("organisation", "category", "kind", "assignee", "requester")

    def for_list(self):
        """A list page's rows with what their cells show and nothing more: no long texts
        (the description, the search text), no requester's row. The categories and kinds
        come from the kept configuration (tickets.configuration.attach): each join costs
        PostgreSQL more to plan than to run, and each row more to build than to read."""
        return self.select_related(None).select_related("organisation", "assignee").only(*LIST_ONLY)
