"""Every change of a ticket: one function each, one transaction, one event per change.

Each service locks the ticket row, checks the permission and the status on the
locked row (so that of two simultaneous requests the second sees the first's
result), changes the ticket, writes its action log entry and queues its notices.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from common import text as search

from . import notifications, permissions, uploads
from .models import Attachment, Channel, EventKind, Priority, Status, Ticket, TicketEvent


class TicketStateError(Exception):
    """The action does not fit the ticket's status; the message is for the user."""


class DuplicateSubmission(Exception):  # noqa: N818 - not an error: the first one won
    """The same form was submitted twice (a double click); `ticket` holds the first."""

    def __init__(self, ticket):
        super().__init__(ticket)
        self.ticket = ticket


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category", "requester", "assignee")
        .get(pk=ticket.pk)
    )


def _log(ticket, by, kind, note="", **extra) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, actor=by, kind=kind, note=note, **extra)


def _team(ticket) -> list:
    return list(ticket.category.responsibles.filter(is_active=True))


def _notify_team(ticket, event, *, also=()):
    recipients = dict.fromkeys(_team(ticket), "team")
    recipients.update(dict.fromkeys(also, "team"))
    notifications.queue(ticket, event, recipients)


def _inspect(files) -> tuple[list, list[str]]:
    accepted, refused = [], []
    for upload in files:
        try:
            accepted.append((upload, uploads.inspect(upload)))
        except ValidationError as error:
            refused.extend(error.messages)
    return accepted, refused


def _store(ticket, by, accepted, *, internal, event=None) -> list[Attachment]:
    """Save accepted files; each gets its own `attached` event unless `event` carries them."""
    saved = []
    for upload, inspected in accepted:
        name = upload.name[-255:]
        owner = event or _log(ticket, by, EventKind.ATTACHED, note=name, internal=internal)
        attachment = Attachment(
            ticket=ticket,
            event=owner,
            uploaded_by=by,
            original_name=name,
            size=upload.size,
            content_type=inspected.content_type,
            is_image=inspected.is_image,
            internal=internal,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


@transaction.atomic
def file_ticket(
    *,
    by,
    category,
    kind,
    priority,
    subject: str,
    description: str,
    requester=None,
    channel: str = Channel.WEB,
    submission=None,
    files=(),
) -> Ticket:
    """File a ticket for `by`, or for `requester` on their behalf (a responsible's call).

    Acceptable `files` are stored with it; the messages about refused ones are left in
    `ticket.refused_files`. A responsible of the chosen category who files on behalf
    keeps the ticket: it is assigned to them at once (first line keeps its own tickets).
    """
    accepted, refused = _inspect(files)
    requester = requester or by
    if requester != by and not permissions.can_file_on_behalf(by):
        raise PermissionDenied
    if requester == by:
        channel = Channel.WEB
    if requester.organisation_id is None:
        raise TicketStateError(_("This account belongs to no organisation; ask an administrator."))
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                requester=requester,
                organisation_id=requester.organisation_id,
                category=category,
                kind=kind,
                priority=priority,
                subject=subject,
                description=description,
                channel=channel,
                submission=submission,
            )
    except IntegrityError:
        first = Ticket.objects.filter(submission=submission).first() if submission else None
        if first is None:
            raise
        raise DuplicateSubmission(first) from None
    created = _log(ticket, by, EventKind.CREATED, data={"channel": channel})
    _store(ticket, by, accepted, internal=False)
    ticket.refused_files = refused
    notifications.queue(
        ticket, created, {requester: "filed", **dict.fromkeys(_team(ticket), "team")}
    )
    if requester != by and category.responsibles.filter(pk=by.pk).exists():
        ticket.assignee = by
        ticket.status = Status.IN_PROGRESS
        ticket.save(update_fields=["assignee", "status"])
        _log(ticket, by, EventKind.ASSIGNED, note=by.display_name(), data={"to": by.pk})
    return ticket


def mark_read(ticket: Ticket, *, by) -> Ticket:
    """Record the first time a handler (not the requester's side) opens the ticket."""
    if ticket.read_at is not None or not permissions.marks_read(by, ticket):
        return ticket
    with transaction.atomic():
        locked = _lock(ticket)
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at"])
            _log(locked, by, EventKind.READ)
    ticket.read_at = locked.read_at
    return ticket


@dataclass
class AttachResult:
    saved: list[Attachment] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one message per refused file


def attach(ticket: Ticket, *, by, files, internal: bool = False) -> AttachResult:
    """Store each acceptable file with an `attached` event; report the others.

    A refused file never costs the ticket or the other files.
    """
    accepted, refused = _inspect(files)
    result = AttachResult(refused=refused)
    if not accepted:
        return result
    with transaction.atomic():
        locked = _lock(ticket)
        if not permissions.can_attach(by, locked):
            raise PermissionDenied
        internal = internal and permissions.is_handler(by, locked)
        result.saved = _store(locked, by, accepted, internal=internal)
    return result


def reply(
    ticket: Ticket, *, by, body: str, internal: bool = False, files=(), submission=None
) -> AttachResult:
    """A public reply from either side, or a handler's internal note; files go with it.

    A handler's first public reply takes the ticket into work; the member's reply to
    an information request gives it back to the handlers.
    """
    accepted, refused = _inspect(files)
    with transaction.atomic():
        locked = _lock(ticket)
        allowed = permissions.can_note if internal else permissions.can_reply
        if not allowed(by, locked):
            if permissions.is_handler(by, locked) or permissions.is_requester_side(by, locked):
                raise TicketStateError(_("This ticket is not open for replies."))
            raise PermissionDenied
        handler = permissions.is_handler(by, locked)
        try:
            with transaction.atomic():
                event = _log(
                    locked,
                    by,
                    EventKind.NOTE if internal else EventKind.REPLIED,
                    note=body,
                    internal=internal,
                    submission=submission,
                )
        except IntegrityError:
            if submission and TicketEvent.objects.filter(submission=submission).exists():
                raise DuplicateSubmission(locked) from None
            raise
        saved = _store(locked, by, accepted, internal=internal, event=event)
        if not internal:
            # Search finds the conversation too (internal notes stay out of it).
            Ticket.objects.filter(pk=locked.pk).update(
                search_text=Concat("search_text", Value("\n" + search.normalise(body)))
            )
            waits_for_me = (
                (Status.WAITING, Status.REDIRECTED) if handler else (Status.INFO_REQUESTED,)
            )
            if locked.status in waits_for_me:
                _set_status(locked, Status.IN_PROGRESS)
            if handler:
                notifications.queue(locked, event, {locked.requester: "answered"})
            elif locked.assignee:
                notifications.queue(locked, event, {locked.assignee: "team"})
            else:
                _notify_team(locked, event)
    return AttachResult(saved=saved, refused=refused)


def _set_status(ticket, status):
    ticket.status = status
    ticket.save(update_fields=["status"])


def _locked_for_handling(ticket, by) -> Ticket:
    locked = _lock(ticket)
    if not permissions.is_handler(by, locked):
        raise PermissionDenied
    if locked.status in (Status.RESOLVED, Status.CLOSED):
        raise TicketStateError(_("This ticket is already resolved."))
    return locked


@transaction.atomic
def request_info(ticket: Ticket, *, by, body: str) -> Ticket:
    locked = _locked_for_handling(ticket, by)
    _set_status(locked, Status.INFO_REQUESTED)
    event = _log(locked, by, EventKind.INFO_REQUESTED, note=body)
    notifications.queue(locked, event, {locked.requester: "info_requested"})
    return locked


@transaction.atomic
def redirect_to_category(ticket: Ticket, *, by, category, body: str = "") -> Ticket:
    """Hand the ticket to another category's team; the old team no longer sees it."""
    locked = _locked_for_handling(ticket, by)
    if category.pk == locked.category_id:
        raise TicketStateError(_("The ticket is already in this category."))
    old = locked.category
    locked.category = category
    locked.status = Status.REDIRECTED
    data = {"from": old.pk, "to": category.pk}
    note = f"{old} → {category}"
    released = locked.assignee
    if released and not category.responsibles.filter(pk=released.pk).exists():
        # The new team takes it from here; the log says who let it go.
        locked.assignee = None
        data["unassigned"] = released.pk
        note += " · " + _("no longer assigned to %(name)s") % {"name": released.display_name()}
    locked.save(update_fields=["category", "status", "assignee"])
    if body:
        note += f"\n{body}"
    event = _log(locked, by, EventKind.REDIRECTED, note=note, data=data)
    _notify_team(locked, event)
    return locked


def assignable(ticket: Ticket):
    """Who a ticket may be assigned to: the active responsibles of its category."""
    return ticket.category.responsibles.filter(is_active=True).order_by("first_name", "username")


@transaction.atomic
def assign(ticket: Ticket, *, by, assignee) -> Ticket:
    locked = _locked_for_handling(ticket, by)
    allowed = assignable(locked).filter(pk=assignee.pk).exists() or (
        assignee == by and by.is_supervisor
    )
    if not allowed:
        raise TicketStateError(_("Only a responsible of the ticket's category can be assigned."))
    if locked.assignee_id == assignee.pk:
        raise TicketStateError(
            _("The ticket is already assigned to %(name)s.") % {"name": assignee.display_name()}
        )
    locked.assignee = assignee
    if locked.status in (Status.WAITING, Status.REDIRECTED):
        locked.status = Status.IN_PROGRESS
    locked.save(update_fields=["assignee", "status"])
    event = _log(
        locked, by, EventKind.ASSIGNED, note=assignee.display_name(), data={"to": assignee.pk}
    )
    notifications.queue(locked, event, {assignee: "assigned"})
    return locked


@transaction.atomic
def change_priority(ticket: Ticket, *, by, priority: str) -> Ticket:
    locked = _lock(ticket)
    if not permissions.is_handler(by, locked):
        raise PermissionDenied
    if locked.status == Status.CLOSED:
        raise TicketStateError(_("This ticket is closed."))
    if priority == locked.priority:
        raise TicketStateError(_("The ticket already has this priority."))
    old = locked.priority
    locked.priority = priority
    locked.save(update_fields=["priority"])
    note = f"{Priority(old).label} → {Priority(priority).label}"
    _log(locked, by, EventKind.PRIORITY_CHANGED, note=note, data={"from": old, "to": priority})
    return locked


@transaction.atomic
def resolve(ticket: Ticket, *, by, explanation: str) -> Ticket:
    locked = _locked_for_handling(ticket, by)
    locked.status = Status.RESOLVED
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["status", "resolved_at"])
    event = _log(locked, by, EventKind.RESOLVED, note=explanation)
    notifications.queue(locked, event, {locked.requester: "resolved"})
    return locked


@transaction.atomic
def reopen(ticket: Ticket, *, by, body: str) -> Ticket:
    """The requester's side says it is not solved, within the reopen window."""
    locked = _lock(ticket)
    if not permissions.is_requester_side(by, locked):
        raise PermissionDenied
    if locked.status != Status.RESOLVED:
        raise TicketStateError(_("Only a resolved ticket can be reopened."))
    if not permissions.within_reopen_window(locked):
        raise TicketStateError(_("The time to reopen this ticket has passed."))
    locked.status = Status.IN_PROGRESS
    locked.resolved_at = None
    locked.save(update_fields=["status", "resolved_at"])
    event = _log(locked, by, EventKind.REOPENED, note=body)
    _notify_team(locked, event, also=[locked.assignee] if locked.assignee else ())
    return locked


@transaction.atomic
def close(ticket: Ticket, *, by=None) -> Ticket:
    """Close a resolved ticket: the requester's side confirms it, or (by=None) its
    reopen window has passed."""
    locked = _lock(ticket)
    if by is not None and not permissions.is_requester_side(by, locked):
        raise PermissionDenied
    if locked.status != Status.RESOLVED:
        raise TicketStateError(_("Only a resolved ticket can be closed."))
    if by is None and permissions.within_reopen_window(locked):
        raise TicketStateError(_("The reopen window of this ticket is still open."))
    locked.status = Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    _log(locked, by, EventKind.CLOSED)
    return locked


def close_expired(now=None) -> int:
    """Close every resolved ticket whose reopen window has passed; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPDESK_REOPEN_DAYS)
    closed = 0
    expired = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff)
    for ticket in expired.only("pk").iterator():
        try:
            close(ticket)
        except TicketStateError:
            continue  # reopened or closed meanwhile
        closed += 1
    return closed
