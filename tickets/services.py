"""Every change of a ticket: one function each, one transaction, one event per change.

Each service locks the ticket row, checks the permission and the status on the
locked row (so that of two simultaneous requests the second sees the first's
result), changes the ticket and writes its action log entry.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, uploads
from .models import Attachment, Channel, EventKind, Status, Ticket, TicketEvent


class TicketStateError(Exception):
    """The action does not fit the ticket's status; the message is for the user."""


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)


def _log(ticket, by, kind, note="", **extra) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, actor=by, kind=kind, note=note, **extra)


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
) -> Ticket:
    """File a ticket for `by`, or for `requester` on their behalf (a responsible's call)."""
    requester = requester or by
    if requester != by and not permissions.can_file_on_behalf(by):
        raise PermissionDenied
    if requester == by:
        channel = Channel.WEB
    if requester.organisation_id is None:
        raise TicketStateError(_("This account belongs to no organisation; ask an administrator."))
    ticket = Ticket.objects.create(
        requester=requester,
        organisation_id=requester.organisation_id,
        category=category,
        kind=kind,
        priority=priority,
        subject=subject,
        description=description,
        channel=channel,
    )
    _log(ticket, by, EventKind.CREATED, data={"channel": channel})
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
    """Store each acceptable file with a `attached` event; report the others.

    A refused file never costs the ticket or the other files.
    """
    result = AttachResult()
    accepted = []
    for upload in files:
        try:
            accepted.append((upload, uploads.inspect(upload)))
        except ValidationError as error:
            result.refused.extend(error.messages)
    if not accepted:
        return result
    with transaction.atomic():
        locked = _lock(ticket)
        if not permissions.can_attach(by, locked):
            raise PermissionDenied
        internal = internal and permissions.is_handler(by, locked)
        for upload, inspected in accepted:
            name = upload.name[-255:]
            event = _log(locked, by, EventKind.ATTACHED, note=name, internal=internal)
            attachment = Attachment(
                ticket=locked,
                event=event,
                uploaded_by=by,
                original_name=name,
                size=upload.size,
                content_type=inspected.content_type,
                is_image=inspected.is_image,
                internal=internal,
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
            result.saved.append(attachment)
    return result


@transaction.atomic
def resolve(ticket: Ticket, *, by, explanation: str) -> Ticket:
    locked = _lock(ticket)
    if not permissions.is_handler(by, locked):
        raise PermissionDenied
    if locked.status in (Status.RESOLVED, Status.CLOSED):
        raise TicketStateError(_("This ticket is already resolved."))
    locked.status = Status.RESOLVED
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["status", "resolved_at"])
    _log(locked, by, EventKind.RESOLVED, note=explanation)
    return locked
