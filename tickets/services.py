"""Every change of a ticket: one function each, one transaction, one event per change.

Each service locks the ticket row, checks on the locked row that the workflow table
allows the action (so that of two simultaneous requests the second sees the first's
result), moves the status through `workflow.transition`, writes its action log entry
and queues its notices. Events store facts (ids, codes); pages render them in the
reader's language, and `note` holds only what a person typed.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from categories.models import Category
from common import storage
from common.prepared import Prepared
from common.storage import StoreUnavailable  # noqa: F401 - raised by the services below

from . import (
    filing,
    mentions,
    notifications,
    permissions,
    redaction,
    search,
    signals,
    uploads,
    workflow,
    worklists,
)
from .models import (
    ActivitySide,
    Attachment,
    Channel,
    EventKind,
    Status,
    Ticket,
    TicketEvent,
    TicketSeen,
    resealed_once,
    set_ticket_columns,
)
from .workflow import (
    ACTIONS,
    Side,
    TicketStateError,
    field_changed,
    filed,
    handler_responded,
    transition,
)


class DuplicateSubmission(Exception):  # noqa: N818 - not an error: the first one won
    """The same form was submitted twice (a double click); `ticket` holds the first."""

    def __init__(self, ticket):
        super().__init__(ticket)
        self.ticket = ticket


@dataclass(frozen=True)
class Record:
    """What the site itself keeps beside a change, for handlers only: the original of a
    mailed message (stored as sent, without the upload checks, which are for what
    people choose to upload) and a note about it, such as the parts that were refused."""

    name: str
    content: bytes
    content_type: str = "message/rfc822"
    note: str = ""


@dataclass
class Result:
    """What a service saved, and the messages about the files it refused."""

    ticket: Ticket
    event: TicketEvent | None = None
    saved: list[Attachment] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one message per refused file


def _locked(pk: int):
    return (
        Ticket.objects.select_for_update(of=("self",))
        # The organisation: notices say "category" or "unit" as its deployment does.
        .select_related("category", "requester", "assignee", "organisation")
        .filter(pk=pk)
    )


_LOCKED = Prepared(_locked)  # every change locks its ticket: compiled once, prepared


def _lock(ticket: Ticket) -> Ticket:
    """The ticket's row, locked until the caller's transaction ends (one is required)."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("A ticket is locked inside a transaction.")
    rows = _LOCKED.rows(ticket.pk)
    if not rows:
        raise Ticket.DoesNotExist(f"No ticket {ticket.pk}.")
    return rows[0]


# Events that are not activity: a read changes nothing; internal ones are never public.
NOT_ACTIVITY = (EventKind.READ, EventKind.REDACTED)


def _side(by, ticket) -> str:
    if by is None:
        return ActivitySide.SYSTEM
    return ActivitySide.HANDLER if permissions.is_handler(by, ticket) else ActivitySide.REQUESTER


def _log(ticket, by, kind, note="", *, ticket_fields=None, first=False, **extra) -> TicketEvent:
    """Write an event; `ticket_fields`: ticket columns to set with it (their values are
    the caller's to keep on its copy); `first`: as for TicketEvent.save."""
    event = TicketEvent(ticket=ticket, actor=by, kind=kind, note=note, **extra)
    activity = {}
    if not event.internal and kind not in NOT_ACTIVITY:
        # The list's "Last activity" and the other side's "updated" marker, set in the
        # UPDATE that reseals the ticket.
        activity = {"last_activity_at": event.created_at, "last_activity_side": _side(by, ticket)}
    event.save(ticket_fields={**(ticket_fields or {}), **activity}, first=first)
    for name, value in activity.items():
        setattr(ticket, name, value)
    worklists.forget_counts(by)  # their own change shows in their views' counts at once
    signals.event_logged.send(sender=TicketEvent, ticket=ticket, event=event, by=by)
    return event


def mark_seen(ticket: Ticket, *, by) -> None:
    """Note that `by` opened the ticket now: one upsert, for the "updated" marker.

    Nothing to write when the ticket was loaded with `by`'s `seen_at`
    (selectors.ticket_for_detail) and nothing happened since: the marker only compares
    the two, and the answer stays the same."""
    if not by.is_authenticated:
        return
    seen = getattr(ticket, "seen_at", None)
    if seen is not None and ticket.last_activity_at and seen >= ticket.last_activity_at:
        return
    TicketSeen.objects.bulk_create(
        [TicketSeen(user=by, ticket=ticket, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "ticket"],
        update_fields=["seen_at"],
    )
    worklists.forget_counts(by, seen=True)  # it may have left their "updated" view


def _team(ticket) -> list:
    """Who hears of the category's tickets: its team, or, for a category with no team
    (it would swallow them), the supervisors."""
    team = list(ticket.category.responsibles.filter(is_active=True))
    if team:
        return team
    return list(
        get_user_model().objects.filter(
            Q(role=Role.SUPERVISOR) | Q(is_superuser=True), is_active=True
        )
    )


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


def _files_kept_only_on_success(service):
    """A change that stores files keeps them only if it commits: when the store fails
    (StoreUnavailable) or anything else does, its rows roll back and the files it
    already wrote are removed. Goes outside the service's transaction."""

    @wraps(service)
    def run(*args, **kwargs):
        with storage.kept_only_on_success():
            return service(*args, **kwargs)

    return run


def _store(ticket, by, accepted, *, internal, event=None) -> list[Attachment]:
    """Save accepted files; each gets its own `attached` event unless `event` carries them.

    Raises StoreUnavailable when the document store fails; the caller's transaction
    then rolls back (see `_files_kept_only_on_success`).
    """
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
        field = attachment.file.field
        attachment.file = storage.save(
            attachment.file.storage,
            field.generate_filename(attachment, upload.name),
            upload,
            max_length=field.max_length,
        )
        attachment.save()
        saved.append(attachment)
    return saved


def _keep(ticket, by, record: Record | None) -> None:
    """Store `record` as an internal document, and its note as an internal note of the
    site (no actor): members never see either."""
    if record is None:
        return
    event = _log(ticket, by, EventKind.ATTACHED, note=record.name, internal=True)
    attachment = Attachment(
        ticket=ticket,
        event=event,
        uploaded_by=by,
        original_name=record.name[-255:],
        size=len(record.content),
        content_type=record.content_type,
        internal=True,
    )
    field = attachment.file.field
    attachment.file = storage.save(
        attachment.file.storage,
        field.generate_filename(attachment, record.name),
        ContentFile(record.content),
        max_length=field.max_length,
    )
    attachment.save()
    if record.note:
        _log(ticket, None, EventKind.NOTE, note=record.note, internal=True)


def _record_text(record: Record | None) -> str:
    """The handlers' search text of a new ticket: what `_keep` stores of `record`."""
    if record is None:
        return ""
    return search.note_text([record.note] if record.note else [], [record.name[-255:]])


def _move(ticket, action: str, side: Side, by, *, also=()) -> None:
    """Where the workflow table says `action` leads from the ticket's status; the
    fields in `also` are saved with it."""
    transition(ticket, ACTIONS[action].leads_to(side, ticket.status), by=by, also=also)


@_files_kept_only_on_success
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
    record: Record | None = None,
    parent=None,
    product=None,
    component=None,
    custom=None,
) -> Result:
    """File a ticket for `by`, or for `requester` on their behalf (a handler's call),
    recording the `channel` it came through (the caller knows: web, e-mail, API ...).

    Acceptable `files` are stored with it; the result lists the refused ones. A
    responsible of the chosen category who files on behalf keeps the ticket: it is
    assigned to them at once (first line keeps its own tickets). When the document
    store fails it raises StoreUnavailable and nothing is saved, the ticket included.

    What the requester may file (the kind their contract allows, their own product and
    records, the category's `custom` field values) is checked here (`filing`): a
    refusal is a ValidationError with the message for the user, nothing saved.
    """
    accepted, refused = _inspect(files)
    requester = requester or by
    if requester != by and not permissions.can_file_on_behalf(by):
        raise PermissionDenied
    if requester.organisation_id is None:
        raise TicketStateError(_("This account belongs to no organisation; ask an administrator."))
    filing.check(
        requester=requester, kind=kind, product=product, component=component, parent=parent
    )
    # The row the request loaded, with what it knows of its wording (the notices').
    organisation = filing.viewer_organisation(requester)
    fields = filing.fields_for(category, kind, organisation)
    custom = filing.clean_values(fields, custom or {}, organisation=organisation)
    # Its documents' names are searchable from the start: stored below, or nothing is.
    public_names = [upload.name[-255:] for upload, _inspected in accepted]
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                requester=requester,
                organisation=organisation,
                category=category,
                kind=kind,
                priority=priority,
                subject=subject,
                description=description,
                channel=channel,
                submission=submission,
                parent=parent,
                product=product,
                component=component,
                custom=custom,
                search_text=search.ticket_text(subject, description, file_names=public_names),
                note_text=_record_text(record),
            )
    except IntegrityError:
        first = Ticket.objects.filter(submission=submission).first() if submission else None
        if first is None:
            raise
        raise DuplicateSubmission(first) from None
    with resealed_once(ticket.pk):
        created = _log(ticket, by, EventKind.CREATED, data={"channel": channel}, first=True)
        # After the `created` event, so that what the hook logs (service levels) follows it.
        filed(ticket, by=by)
        saved = _store(ticket, by, accepted, internal=False)
        _keep(ticket, by, record)
    notifications.queue(
        ticket, created, {requester: "filed", **dict.fromkeys(_team(ticket), "team")}
    )
    if requester != by and category.responsibles.filter(pk=by.pk).exists():
        ticket.assignee = by
        _move(ticket, "assign", Side.HANDLER, by, also=["assignee"])
        _log(ticket, by, EventKind.ASSIGNED, data={"to": by.pk})
    return Result(ticket=ticket, event=created, saved=saved, refused=refused)


def mark_read(ticket: Ticket, *, by) -> Ticket:
    """Record the first time a handler (not the requester's side) opens the ticket."""
    if ticket.read_at is not None or not permissions.marks_read(by, ticket):
        return ticket
    with transaction.atomic():
        locked = _lock(ticket)
        if locked.read_at is None:
            locked.read_at = timezone.now()
            # Set in the UPDATE that reseals the ticket: one new version of the row.
            _log(locked, by, EventKind.READ, ticket_fields={"read_at": locked.read_at})
    ticket.read_at = locked.read_at
    return ticket


@_files_kept_only_on_success
def attach(ticket: Ticket, *, by, files, internal: bool = False) -> Result:
    """Store each acceptable file with an `attached` event; report the others.

    A refused file never costs the ticket or the other files; a store that fails
    (StoreUnavailable) costs them all: nothing is half-saved.
    """
    accepted, refused = _inspect(files)
    if not accepted:
        return Result(ticket=ticket, refused=refused)
    with transaction.atomic(), resealed_once(ticket.pk):
        locked = _lock(ticket)
        side = permissions.check("attach", by, locked)
        internal = internal and side == Side.HANDLER
        saved = _store(locked, by, accepted, internal=internal)
        search.refresh(locked)  # the documents' names are searchable
    return Result(ticket=locked, saved=saved, refused=refused)


@_files_kept_only_on_success
def reply(
    ticket: Ticket,
    *,
    by,
    body: str,
    internal: bool = False,
    files=(),
    submission=None,
    record: Record | None = None,
) -> Result:
    """A public reply from either side, or a handler's internal note; files go with it.

    Where a reply leads (a handler's first answer takes the ticket into work, the
    member's answer to an information request gives it back) is the workflow's.
    When the document store fails it raises StoreUnavailable and nothing is saved.
    """
    accepted, refused = _inspect(files)
    with transaction.atomic(), resealed_once(ticket.pk):
        locked = _lock(ticket)
        side = permissions.check("note" if internal else "reply", by, locked)
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
        _keep(locked, by, record)
        # The conversation is searchable; notes only for handlers (Ticket.note_text).
        search.refresh(locked)
        if internal:
            mentions.notify(locked, event)
        else:
            _move(locked, "reply", side, by)
            if side == Side.HANDLER:
                handler_responded.send(sender=Ticket, ticket=locked, by=by, kind=EventKind.REPLIED)
                notifications.queue(locked, event, {locked.requester: "answered"})
            elif locked.assignee:
                notifications.queue(locked, event, {locked.assignee: "team"})
            else:
                _notify_team(locked, event)
    return Result(ticket=locked, event=event, saved=saved, refused=refused)


@transaction.atomic
def request_info(ticket: Ticket, *, by, body: str) -> Ticket:
    locked = _lock(ticket)
    side = permissions.check("request_info", by, locked)
    if not body.strip() and locked.status != Status.REDIRECTED:
        # Only an escalated ticket is taken into work by asking without a comment.
        raise TicketStateError(_("Say what information is needed."))
    _move(locked, "request_info", side, by)
    handler_responded.send(sender=Ticket, ticket=locked, by=by, kind=EventKind.INFO_REQUESTED)
    event = _log(locked, by, EventKind.INFO_REQUESTED, note=body)
    notifications.queue(locked, event, {locked.requester: "info_requested"})
    return locked


@transaction.atomic
def redirect_to_category(ticket: Ticket, *, by, category, body: str = "") -> Ticket:
    """Hand the ticket to another category's team; the old team no longer sees it."""
    locked = _lock(ticket)
    side = permissions.check("redirect", by, locked)
    if category.pk == locked.category_id:
        raise TicketStateError(_("The ticket is already in this category."))
    # Only to the active categories offered to the ticket's deployment: another
    # profile's team would otherwise see it (the page's form offers no others).
    offered = filing.scoped(Category.objects.filter(is_active=True), locked.organisation)
    if not offered.filter(pk=category.pk).exists():
        raise TicketStateError(_("The ticket cannot be redirected to this category."))
    data = {"from": locked.category_id, "to": category.pk}
    locked.category = category
    released = locked.assignee
    if released and not category.responsibles.filter(pk=released.pk).exists():
        # The new team takes it from here; the log says who let it go.
        locked.assignee = None
        data["unassigned"] = released.pk
    _move(locked, "redirect", side, by, also=["category", "assignee"])
    field_changed.send(
        sender=Ticket, ticket=locked, field="category", old=data["from"], new=category.pk, by=by
    )
    event = _log(locked, by, EventKind.REDIRECTED, note=body, data=data)
    _notify_team(locked, event)
    return locked


def assignable(ticket: Ticket):
    """Who a ticket may be assigned to: the active responsibles of its category."""
    return ticket.category.responsibles.filter(is_active=True).order_by("first_name", "username")


@transaction.atomic
def assign(ticket: Ticket, *, by, assignee) -> Ticket:
    locked = _lock(ticket)
    side = permissions.check("assign", by, locked)
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
    _move(locked, "assign", side, by, also=["assignee"])
    event = _log(locked, by, EventKind.ASSIGNED, data={"to": assignee.pk})
    notifications.queue(locked, event, {assignee: "assigned"})
    return locked


@transaction.atomic
def change_priority(ticket: Ticket, *, by, priority: str) -> Ticket:
    locked = _lock(ticket)
    permissions.check("priority", by, locked)
    if priority == locked.priority:
        raise TicketStateError(_("The ticket already has this priority."))
    data = {"from": locked.priority, "to": priority}
    locked.priority = priority
    locked.save(update_fields=["priority"])
    field_changed.send(
        sender=Ticket, ticket=locked, field="priority", old=data["from"], new=priority, by=by
    )
    _log(locked, by, EventKind.PRIORITY_CHANGED, data=data)
    return locked


@transaction.atomic
def resolve(ticket: Ticket, *, by, explanation: str) -> Ticket:
    locked = _lock(ticket)
    side = permissions.check("resolve", by, locked)
    with resealed_once(locked.pk):  # the service level's events and the resolution's
        _move(locked, "resolve", side, by)
        handler_responded.send(sender=Ticket, ticket=locked, by=by, kind=EventKind.RESOLVED)
        event = _log(locked, by, EventKind.RESOLVED, note=explanation)
    notifications.queue(locked, event, {locked.requester: "resolved"})
    return locked


@_files_kept_only_on_success
@transaction.atomic
def reopen(ticket: Ticket, *, by, body: str, files=(), record: Record | None = None) -> Result:
    """The requester's side says it is not solved, within the reopen window; acceptable
    `files` go with it (a reopening mail's attachments), each with its `attached` event."""
    accepted, refused = _inspect(files)
    locked = _lock(ticket)
    side = permissions.check("reopen", by, locked)
    _move(locked, "reopen", side, by)
    event = _log(locked, by, EventKind.REOPENED, note=body)
    saved = _store(locked, by, accepted, internal=False)
    _keep(locked, by, record)
    _notify_team(locked, event, also=[locked.assignee] if locked.assignee else ())
    return Result(ticket=locked, event=event, saved=saved, refused=refused)


@transaction.atomic
def close(ticket: Ticket, *, by=None) -> Ticket:
    """Close a resolved ticket: the requester's side confirms it, or (by=None) its
    reopen window has passed."""
    locked = _lock(ticket)
    side = permissions.check("close", by, locked)
    _move(locked, "close", side, by)
    _log(locked, by, EventKind.CLOSED)
    return locked


@transaction.atomic
def redact(
    ticket: Ticket, *, by, events=(), attachments=(), ticket_text=False, reason: str = ""
) -> TicketEvent:
    """Empty the notes of `events` and the `attachments` of `ticket` (personal data),
    and with `ticket_text` replace its subject and description by a neutral text, by a
    supervisor's decision or (by=None) the retention rule; a `redacted` event names
    what was emptied, so that the log still verifies and shows that it happened.
    """
    if by is not None and not by.is_supervisor:
        raise PermissionDenied
    locked = _lock(ticket)
    emptied = [e for e in locked.events.filter(pk__in=[e.pk for e in events]) if not e.redacted]
    documents = list(locked.attachments.filter(pk__in=[a.pk for a in attachments], redacted=False))
    data = {"events": [e.pk for e in emptied], "attachments": [a.pk for a in documents]}
    if ticket_text:
        data["ticket"] = True
    # The event first: the database empties only what a `redacted` event names.
    logged = _log(locked, by, EventKind.REDACTED, note=reason, internal=True, data=data)
    for event in emptied:
        redaction.empty_note(event)
    for attachment in documents:
        redaction.empty_document(attachment)
    if ticket_text:
        # The row has no flag to translate by: the text is stored in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            locked.subject = locked.description = _("Removed to protect personal data.")
        locked.save(update_fields=["subject", "description"])
    search.refresh(locked)
    return logged


SERVICE_LEVEL_FIELDS = (
    "first_response_due_at",
    "first_responded_at",
    "resolution_due_at",
    "due_at",
    "sla_paused_at",
)


@transaction.atomic(savepoint=False)  # a failure fails the change it is part of
def set_service_level(
    ticket: Ticket,
    *,
    clocks: dict,
    change: str = "",
    data: dict | None = None,
    held: bool = False,
) -> TicketEvent | None:
    """Store the service level clocks that sla/ computed for `ticket` (the fields of
    SERVICE_LEVEL_FIELDS in `clocks`) and, with `change` ("started", "paused", ...),
    log it as an internal event: the requester's side never sees service levels.

    Periodic and system work, no person: called by sla/'s signal handlers inside the
    service that changed the ticket, or by its commands. `held`: `ticket` is the row
    the calling service locked, as it stands (a signal's), so nothing is read again.
    Returns the event, if any.
    """
    unknown = set(clocks) - set(SERVICE_LEVEL_FIELDS)
    if unknown:
        raise ValueError(f"Not a service level field: {sorted(unknown)}")
    locked = (
        ticket
        if held
        else Ticket.objects.select_for_update(of=("self",)).only("pk", *clocks).get(pk=ticket.pk)
    )
    changed = {name: value for name, value in clocks.items() if getattr(locked, name) != value}
    for name, value in clocks.items():
        setattr(ticket, name, value)  # the caller's copy, which may be saved again
    if not change:
        if changed:  # with the change's reseal, when its events are being collected
            set_ticket_columns(ticket.pk, **changed)
        return None
    # The clocks go in the UPDATE that reseals the ticket after the event.
    return _log(
        ticket,
        None,
        EventKind.SERVICE_LEVEL,
        internal=True,
        data={"change": change, **(data or {})},
        ticket_fields=changed,
    )


@transaction.atomic
def record_breach(ticket: Ticket, *, clock: str, due_at) -> TicketEvent:
    """Log that `ticket` missed the due of `clock` ("first_response" or "resolution")
    and send `sla_breached` in the transaction; sla/ records each breach once."""
    Ticket.objects.select_for_update(of=("self",)).only("pk").get(pk=ticket.pk)
    event = _log(
        ticket,
        None,
        EventKind.SERVICE_LEVEL,
        internal=True,
        data={"change": "breached", "clock": clock, "due": due_at.isoformat()},
    )
    signals.sla_breached.send(sender=Ticket, ticket=ticket, kind=clock, due_at=due_at)
    return event


def close_expired(now=None) -> int:
    """Close every resolved ticket whose reopen window has passed; returns how many."""
    now = now or timezone.now()
    cutoff = now - workflow.reopen_window()
    closed = 0
    expired = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff)
    for ticket in expired.only("pk").iterator():
        try:
            close(ticket)
        except TicketStateError:
            continue  # reopened or closed meanwhile
        closed += 1
    return closed


# Merging, links and followers (relations.py builds on the helpers above).
from .relations import (  # noqa: E402, F401
    follow,
    link,
    link_follow_up,
    merge,
    unfollow,
    unlink,
)
