"""Which parent records (cases, orders, returns) a user sees, and the requests of one."""

from django.db.models import Count, Exists, OuterRef, Q

from accounts import loading
from accounts.models import Organisation, Role
from tickets.models import ParentRecord, Ticket

REQUESTS_SHOWN = 200


def visible_records(user):
    """Their organisation's records (and below), those they referred as reviewer, and
    those of the tickets they see; a supervisor sees all."""
    if not user.is_authenticated or not user.is_active:
        return ParentRecord.objects.none()
    if user.is_supervisor:
        return ParentRecord.objects.all()
    seen = Ticket.objects.visible_to(user).filter(parent__isnull=False).values("parent_id")
    rule = Q(reviewer=user) | Q(pk__in=seen)
    # Staff see nothing by organisation, as with tickets.
    if user.role == Role.MEMBER and user.organisation_id:
        rule |= Q(organisation__path__startswith=user.organisation.path)
    return ParentRecord.objects.filter(rule)


def records_reached_fact():
    """`has_records` for a user row that is not a supervisor's (accounts/loading.py)."""
    # Two EXISTS, not one over an OR: each is served by its own index.
    reviews = ParentRecord.objects.filter(reviewer_id=OuterRef("pk"))
    below = ParentRecord.objects.filter(
        organisation__path__startswith=OuterRef("organisation__path")
    )
    return Exists(reviews) | Exists(below)


def has_records(user) -> bool:
    """Whether the user has any record to look at or to file about (the menu's link): one
    EXISTS. Their organisation's and those below it (a member files about them, a handler
    on a member's behalf), those they referred as reviewer; a supervisor, any at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    # As the request's load of the user found them (cases/apps.py), when it did.
    known = loading.fact(user, "records_exist" if user.is_supervisor else "records_reached")
    if known is not None:
        return known
    if user.is_supervisor:
        return ParentRecord.objects.exists()
    rule = Q(reviewer=user)
    if user.organisation_id:
        tree = Organisation.objects.filter(path__startswith=user.organisation.path)
        rule |= Q(organisation__in=tree)
    return ParentRecord.objects.filter(rule).exists()


def record_list(user):
    """The records with the number of their requests the user sees."""
    counted = Count("tickets", filter=Q(tickets__in=Ticket.objects.visible_to(user)))
    return (
        visible_records(user)
        .select_related("organisation", "reviewer")
        .annotate(requests=counted)
        .order_by("-created_at", "-pk")
    )


def requests_of(record, user):
    """The requests filed about `record` that `user` sees, newest first."""
    tickets = Ticket.objects.visible_to(user).filter(parent=record).with_relations()
    return tickets.order_by("-created_at", "-id")[:REQUESTS_SHOWN]


def may_file_about(record, user) -> bool:
    return ParentRecord.objects.fileable_by(user).filter(pk=record.pk).exists()
