"""How tickets relate to each other and to people: merging a duplicate, "related to"
links, followers and `@username` mentions in internal notes.

The action log is append-only and hash-chained (logchain.py): a merge never moves an
event, it copies the duplicate's conversation and documents onto the ticket that
carries on as new events that name where they came from, and closes the duplicate.
Links and followers are not events: they change who is told and what is shown, not
the ticket.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When
from django.utils.translation import gettext as _

from categories.models import Category
from common import storage
from common.prepared import Prepared

from . import notifications, permissions, search
from .models import Attachment, EventKind, Status, Ticket, TicketFollower, TicketLink
from .services import _files_kept_only_on_success, _lock, _log, _move
from .workflow import TicketStateError

# What a reader calls the conversation: copied on merge as replies or notes.
CONVERSATION = {
    EventKind.REPLIED,
    EventKind.NOTE,
    EventKind.INFO_REQUESTED,
    EventKind.RESOLVED,
    EventKind.REOPENED,
}


def not_found(number) -> str:
    """The one answer for a ticket that does not exist and one the user may not see."""
    return _("Ticket #%(id)s was not found.") % {"id": number}


def _visible(user, pk) -> bool:
    return Ticket.objects.visible_to(user).filter(pk=pk).exists()


# Merge ---------------------------------------------------------------------------


def _copy_document(target, document, *, event) -> Attachment | None:
    """A copy of the file under a new name (a redaction of one ticket's copy must not
    take the other's file with it), streamed from the store; None when the file is gone."""
    copy = Attachment(
        ticket=target,
        event=event,
        uploaded_by=document.uploaded_by,
        original_name=document.original_name,
        size=document.size,
        content_type=document.content_type,
        is_image=document.is_image,
        internal=document.internal,
    )
    field = copy.file.field
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        return None
    except storage.STORE_ERRORS as error:
        raise storage.StoreUnavailable(str(error)) from error
    with handle:
        copy.file = storage.save(
            copy.file.storage,
            field.generate_filename(copy, document.original_name),
            handle,
            max_length=field.max_length,
        )
    copy.save()
    return copy


def _copy_conversation(source, target, *, by) -> None:
    """The duplicate's description, messages and documents, as new events of `target`."""
    origin = {"merged_from": source.pk}
    _log(
        target,
        source.requester,
        EventKind.REPLIED,
        note=source.description,
        data={**origin, "copied": EventKind.CREATED, "subject": source.subject},
    )
    documents = {}
    for document in source.attachments.filter(redacted=False).order_by("pk"):
        documents.setdefault(document.event_id, []).append(document)
    for event in source.events.order_by("created_at", "pk"):
        if event.redacted:
            continue
        copied = None
        if event.kind in CONVERSATION:
            copied = _log(
                target,
                event.actor,
                EventKind.NOTE if event.internal else EventKind.REPLIED,
                note=event.note,
                internal=event.internal,
                data={**origin, "copied": event.kind, "event": event.pk},
            )
        for document in documents.get(event.pk, []):
            owner = copied or _log(
                target,
                document.uploaded_by,
                EventKind.ATTACHED,
                note=document.original_name,
                internal=document.internal,
                data={**origin, "event": event.pk},
            )
            _copy_document(target, document, event=owner)


def _move_followers(source, target, *, by) -> None:
    """The duplicate's followers and its requester follow the ticket that carries on."""
    people = {f.user_id: f for f in source.followers.all()}
    wanted = set(people) | {source.requester_id}
    wanted -= {target.requester_id}
    wanted -= set(target.followers.values_list("user_id", flat=True))
    for user_id in sorted(wanted):
        TicketFollower.objects.create(ticket=target, user_id=user_id, added_by=by)
    source.followers.all().delete()


@_files_kept_only_on_success
def merge(ticket: Ticket, *, by, into: Ticket) -> Ticket:
    """Merge the duplicate `ticket` into `into`: its conversation, documents and
    followers go over, it is closed, both logs say so, and its requester is told.

    Refused with TicketStateError (nothing changed) into itself, into a closed
    ticket, into one the user may not see, or across organisations.
    """
    if into.pk == ticket.pk:
        raise TicketStateError(_("A ticket cannot be merged into itself."))
    with transaction.atomic():
        # Both rows locked in id order: two merges of the same pair never deadlock.
        locked = {t.pk: t for t in (_lock(Ticket(pk=pk)) for pk in sorted((ticket.pk, into.pk)))}
        source, target = locked[ticket.pk], locked[into.pk]
        side = permissions.check("merge", by, source)
        if not _visible(by, target.pk):
            raise TicketStateError(not_found(target.pk))
        if not permissions.is_handler(by, target):
            raise TicketStateError(_("You may only merge into a ticket you handle."))
        if target.status == Status.CLOSED:
            raise TicketStateError(_("A ticket cannot be merged into a closed ticket."))
        if source.organisation_id != target.organisation_id:
            raise TicketStateError(_("Tickets of different organisations cannot be merged."))
        _copy_conversation(source, target, by=by)
        _log(target, by, EventKind.MERGED, data={"from": source.pk})
        # Logged before the close, so that what hears of the close (a survey, a webhook)
        # can tell a merge from a close.
        left = _log(source, by, EventKind.MERGED, data={"into": target.pk})
        _move(source, "merge", side, by)
        # Told on the duplicate, before its followers move: they followed that one.
        notifications.queue(source, left, {source.requester: "answered"})
        _move_followers(source, target, by=by)
        search.refresh(target)
    return target


# Links ---------------------------------------------------------------------------


def _pair(a: int, b: int) -> dict:
    low, high = sorted((a, b))
    return {"low_id": low, "high_id": high}


def link(ticket: Ticket, *, by, other: Ticket) -> TicketLink:
    """ "Related to": a handler of `ticket` links it to another ticket they see."""
    if not permissions.is_handler(by, ticket):
        raise PermissionDenied
    if other.pk == ticket.pk:
        raise TicketStateError(_("A ticket cannot be related to itself."))
    if not _visible(by, other.pk):
        raise TicketStateError(not_found(other.pk))
    try:
        with transaction.atomic():
            return TicketLink.objects.create(**_pair(ticket.pk, other.pk), added_by=by)
    except IntegrityError:
        raise TicketStateError(
            _("Ticket #%(id)s is already related to this one.") % {"id": other.pk}
        ) from None


def link_follow_up(ticket: Ticket, *, previous: Ticket) -> None:
    """Relate a follow-up to the ticket it continues (mail in files one for a reply
    past the reopen window, from someone who may act on `previous`)."""
    TicketLink.objects.get_or_create(**_pair(ticket.pk, previous.pk))


def unlink(ticket: Ticket, *, by, other_id: int) -> None:
    """Remove a link; the other ticket must be one the handler sees (else: not found)."""
    if not permissions.is_handler(by, ticket):
        raise PermissionDenied
    found = TicketLink.objects.filter(**_pair(ticket.pk, other_id))
    if not _visible(by, other_id) or not found.exists():
        raise TicketStateError(not_found(other_id))
    found.delete()


def related(ticket: Ticket, user) -> list[Ticket]:
    """The tickets linked to `ticket` that `user` sees (one query; none when the ticket
    was read knowing it has no links: `has_links`, selectors.ticket_for_detail)."""
    if getattr(ticket, "has_links", True) is False:
        return []
    links = TicketLink.objects.filter(Q(low_id=ticket.pk) | Q(high_id=ticket.pk))
    # The other end of each link, as one list of ids: `pk IN (...) OR pk IN (...)` made
    # PostgreSQL scan every ticket.
    others = links.annotate(
        other=Case(When(low_id=ticket.pk, then=F("high_id")), default=F("low_id"))
    ).values("other")
    return list(
        Ticket.objects.visible_to(user)
        .filter(pk__in=others)
        .exclude(pk=ticket.pk)
        .only("pk", "subject", "status")
        .order_by("pk")
    )


# Followers -----------------------------------------------------------------------


def colleagues(ticket: Ticket):
    """Whom a handler may add as followers: the active team of the ticket's category."""
    return ticket.category.responsibles.filter(is_active=True).order_by("first_name", "username")


def follow(ticket: Ticket, *, by, user=None) -> bool:
    """`by` follows the ticket, or (a handler) adds `user`, a colleague who handles it.

    Returns False when they already followed it.
    """
    person = user or by
    if person.pk != by.pk:
        if not permissions.is_handler(by, ticket):
            raise PermissionDenied
        if not permissions.is_handler(person, ticket):
            raise TicketStateError(
                _("%(name)s does not handle this ticket.") % {"name": person.display_name()}
            )
    elif not permissions.may_follow(by, ticket):
        raise PermissionDenied
    try:
        with transaction.atomic():
            TicketFollower.objects.create(ticket=ticket, user=person, added_by=by)
    except IntegrityError:
        return False
    return True


def unfollow(ticket: Ticket, *, by) -> bool:
    """`by` stops following; returns whether they did follow it."""
    deleted, _rows = TicketFollower.objects.filter(ticket=ticket, user=by).delete()
    return bool(deleted)


def _followers(ticket_id):
    return TicketFollower.objects.filter(ticket_id=ticket_id).select_related("user")


_FOLLOWERS = Prepared(_followers)  # a member's every ticket page reads it


def followers(ticket: Ticket) -> list:
    """The people following the ticket, for its page (one query)."""
    return [f.user for f in _FOLLOWERS.rows(ticket.pk) if f.user.is_active]


def _followers_and_team(ticket_id, category_id):
    """The active people who follow ticket `ticket_id` or are on category `category_id`'s
    team: `followed_at` and `follow_id` for the first, `on_team` for the second."""
    from accounts.models import User

    follow = TicketFollower.objects.filter(ticket_id=ticket_id, user=OuterRef("pk")).order_by(
        "created_at", "pk"
    )
    responsibles = Category.responsibles.through.objects
    team = responsibles.filter(category_id=category_id, user_id=OuterRef("pk"))
    # The few candidates by their ids, read through the primary key: a condition on
    # each user (EXISTS ... OR EXISTS ...) read every user of the site (4 ms at 7,500).
    followers_ids = TicketFollower.objects.filter(ticket_id=ticket_id).order_by().values("user_id")
    team_ids = responsibles.filter(category_id=category_id).values("user_id")
    return (
        User.objects.filter(pk__in=followers_ids.union(team_ids), is_active=True)
        .annotate(
            followed_at=Subquery(follow.values("created_at")[:1]),
            follow_id=Subquery(follow.values("pk")[:1]),
            on_team=Exists(team),
        )
        .order_by("first_name", "username")  # the team's order, as colleagues() gives it
    )


_FOLLOWERS_AND_TEAM = Prepared(_followers_and_team)  # compiled once a process


def followers_and_colleagues(ticket: Ticket) -> tuple[list, list]:
    """`followers(ticket)` and `colleagues(ticket)` (a handler's page shows both), in one
    query: the active people who follow it or are on its category's team."""
    people = _FOLLOWERS_AND_TEAM.rows(ticket.pk, ticket.category_id)
    following = sorted(
        (p for p in people if p.follow_id is not None), key=lambda p: (p.followed_at, p.follow_id)
    )
    return following, [p for p in people if p.on_team]
