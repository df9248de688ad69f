"""One way in for mail, whether a mail server pipes it (`receive_mail`) or a poll
fetches it (`fetch_mail`): `receive` files a ticket, adds to one, holds the message for
a supervisor, ignores it or refuses it, and logs which and why (InboundMessage).

Every change of a ticket goes through tickets/services.py as the sender, within the
web's rules: the sender's organisation, the 404 rule (a ticket the sender may not see
is as if it did not exist: the mail files a new one), and acting only on their own
organisation's tickets. Nothing is half-done: the ticket's rows, its files and the
log line commit together or not at all.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from common import storage
from outbox import services as outbox
from outbox.delivery import ticket_of_thread_id
from outbox.models import OutgoingMail
from tickets import permissions, uploads
from tickets import services as tickets
from tickets.models import OPEN_STATUSES, Channel, Priority, Status, Ticket, TicketKind
from tickets.workflow import TicketStateError, within_reopen_window

from . import loops, mailboxes, parsing, text
from .models import HeldMessage, InboundMessage, Outcome

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"\[#(\d{1,18})\]")
NOTE_LINE = re.compile(r"^\s*#note\b[ \t]*\n?", re.IGNORECASE)


class TryAgain(Exception):  # noqa: N818 - a state, not a bug: the database or store is down
    """Nothing was done and the message should come again later (exit code 75)."""


@dataclass(frozen=True)
class Handled:
    outcome: str
    reason: str = ""
    ticket_id: int | None = None


def receive(raw: bytes, *, mailbox: str = "", category: str = "", envelope_sender=None) -> Handled:
    """Handle one raw message. `envelope_sender` is the SMTP sender when the mail server
    tells it (else the Return-Path header stands for it). Raises TryAgain when the
    database or the document store fails: nothing was kept, the message must come again.
    """
    try:
        return _receive(raw, mailbox, category, envelope_sender)
    except (DatabaseError, storage.StoreUnavailable) as error:
        logger.warning("Mail not handled, to be retried: %s", type(error).__name__)
        raise TryAgain(str(error)) from error


def refuse_unread(*, size: int, mailbox: str = "") -> Handled:
    """Log a message too large to be read at all (an IMAP poll knows its size first)."""
    return _logged(
        Outcome.REFUSED,
        f"{size} bytes, larger than {settings.HELPDESK_MAIL_MAX_SIZE}",
        {"mailbox": mailbox[:100]},
    )


def _receive(raw, mailbox, category, envelope_sender) -> Handled:
    log = {"mailbox": mailbox[:100]}
    if len(raw) > settings.HELPDESK_MAIL_MAX_SIZE:
        return _logged(Outcome.REFUSED, f"larger than {settings.HELPDESK_MAIL_MAX_SIZE} bytes", log)
    try:
        mail = parsing.parse(raw, max_parts=settings.HELPDESK_MAIL_MAX_PARTS)
    except parsing.Malformed as error:
        return _logged(Outcome.REFUSED, f"malformed: {error}", log)
    log.update(message_id=mail.message_id, sender=mail.sender, subject=mail.subject[:255])
    if not mail.sender:
        return _logged(Outcome.REFUSED, "no sender address", log)
    if envelope_sender is not None:
        mail.return_path = parsing.one_line(envelope_sender).strip("<>").lower()
    robot = loops.automatic(mail)
    if robot:
        return _logged(Outcome.IGNORED, robot, log)
    if mail.message_id and InboundMessage.objects.filter(message_id=mail.message_id).exists():
        return _logged(Outcome.IGNORED, "already handled", log, keep=False)
    if _fails_authentication(mail):
        return _logged(Outcome.REFUSED, "the sender's domain says it did not send it", log)
    if _over_the_limit(mail.sender):
        return _logged(Outcome.REFUSED, "over the hourly limit of this sender", log)
    user = User.objects.filter(email__iexact=mail.sender, is_active=True).first()
    if user is None:
        return _hold(mail, raw, log)
    with storage.kept_only_on_success(), transaction.atomic():
        handled = _act(user, mail, raw, category=category)
        _logged(handled.outcome, handled.reason, {**log, "ticket_id": handled.ticket_id})
    return handled


def _logged(outcome, reason, log, *, keep=True) -> Handled:
    level = logging.INFO if outcome in (Outcome.FILED, Outcome.THREADED) else logging.WARNING
    logger.log(level, "Mail %s: %s (%s)", outcome, reason, log.get("message_id", ""))
    if keep:
        InboundMessage.objects.create(outcome=outcome, reason=reason[:255], **log)
    return Handled(outcome, reason, log.get("ticket_id"))


def _fails_authentication(mail) -> bool:
    """Our own mail server's verdict (Authentication-Results) that the From domain's
    DMARC policy refused the message: a forged From."""
    verdict = mail.header("Authentication-Results").lower()
    return "dmarc=fail" in verdict


def _over_the_limit(sender: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    return (
        InboundMessage.objects.filter(
            sender=sender, outcome__in=(Outcome.FILED, Outcome.HELD), received_at__gte=since
        ).count()
        >= settings.HELPDESK_MAIL_HOURLY_LIMIT
    )


# --- Who acts on which ticket -------------------------------------------------------


def _act(user, mail, raw, *, category) -> Handled:
    ticket, by_headers = _thread(user, mail)
    if ticket is None:
        token = TOKEN.search(mail.subject)
        if token:
            ticket = _ticket_to_act_on(user, int(token[1]))
            if ticket is not None and not _sender_proven(mail):
                return Handled(
                    Outcome.REFUSED,
                    f"token [#{ticket.pk}] alone, and the envelope sender is not the From address",
                )
    if ticket is None:
        return _file(user, mail, raw, category=category)
    try:
        return _into(ticket, user, mail, raw, how="headers" if by_headers else "token")
    except (PermissionDenied, TicketStateError) as error:
        return Handled(Outcome.REFUSED, f"#{ticket.pk}: {error or 'not allowed'}", ticket.pk)


def _thread(user, mail) -> tuple[Ticket | None, bool]:
    """The ticket the message answers by its In-Reply-To/References: one of our
    notices (its Message-ID, or the ticket's signed thread id), or an earlier message of
    the same sender that we filed. None when none, or the sender may not act on it."""
    if not mail.references:
        return None, False
    found = [ticket_of_thread_id(reference) for reference in mail.references]
    found += OutgoingMail.objects.filter(
        message_id__in=mail.references, ticket_id__isnull=False
    ).values_list("ticket_id", flat=True)
    found += InboundMessage.objects.filter(
        message_id__in=mail.references, sender=mail.sender, ticket_id__isnull=False
    ).values_list("ticket_id", flat=True)
    for ticket_id in dict.fromkeys(pk for pk in found if pk):
        ticket = _ticket_to_act_on(user, ticket_id)
        if ticket is not None:
            return ticket, True
    return None, False


def _ticket_to_act_on(user, pk: int) -> Ticket | None:
    """Ticket `pk` if `user` sees it and stands on a side that acts on it; a union
    reading its chambers' tickets does not."""
    ticket = Ticket.objects.visible_to(user).filter(pk=pk).select_related("category").first()
    if ticket is None or not permissions.sides(user, ticket):
        return None
    return ticket


def _sender_proven(mail) -> bool:
    """The token alone proves nothing: anyone can write `[#123]` and forge a From. It
    counts when the envelope sender (the bounce address our mail server saw) is the
    From address itself."""
    return bool(mail.return_path) and mail.return_path == mail.sender


def _into(ticket, user, mail, raw, *, how) -> Handled:
    body = text.reply_text(mail.text)
    files, record = _files_and_record(mail, raw)
    reason = f"by {how}"
    if permissions.is_handler(user, ticket):
        internal = bool(NOTE_LINE.match(body)) or _to_notes_address(mail)
        body = NOTE_LINE.sub("", body, count=1).strip() or _no_text()
        tickets.reply(ticket, by=user, body=body, internal=internal, files=files, record=record)
        return Handled(Outcome.THREADED, f"{'note' if internal else 'reply'} {reason}", ticket.pk)
    body = body or _no_text()
    if ticket.status in OPEN_STATUSES:
        tickets.reply(ticket, by=user, body=body, files=files, record=record)
        return Handled(Outcome.THREADED, f"reply {reason}", ticket.pk)
    if ticket.status == Status.RESOLVED and within_reopen_window(ticket):
        tickets.reopen(ticket, by=user, body=body, files=files, record=record)
        return Handled(Outcome.THREADED, f"reopened {reason}", ticket.pk)
    # Resolved past its window, or closed: a new ticket that names the old one.
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        follow_up = _("Follow-up to ticket #%(id)s.") % {"id": ticket.pk}
    filed = _file(
        user,
        mail,
        raw,
        category=str(ticket.category_id),
        description=f"{follow_up}\n\n{body}",
    )
    if filed.ticket_id:  # related on both pages, as a handler's "related to" would be
        tickets.link_follow_up(Ticket.objects.get(pk=filed.ticket_id), previous=ticket)
    return Handled(filed.outcome, f"follow-up of #{ticket.pk} ({ticket.status})", filed.ticket_id)


def _to_notes_address(mail) -> bool:
    notes = settings.HELPDESK_MAIL_NOTES_ADDRESS.lower()
    return bool(notes) and notes in mail.recipients


def _no_text() -> str:
    return _("(The message had no text.)")


def _file(user, mail, raw, *, category, description=None) -> Handled:
    files, record = _files_and_record(mail, raw)
    subject = _without_token(mail.subject)
    if description is None:
        description = text.ticket_text(mail.text, mail.subject) or subject
    try:
        result = tickets.file_ticket(
            by=user,
            category=mailboxes.category_for(category),
            kind=default_kind(),
            priority=Priority.MEDIUM,
            subject=subject[:200],
            description=description,
            channel=Channel.EMAIL,
            files=files,
            record=record,
        )
    except (PermissionDenied, TicketStateError) as error:
        return Handled(Outcome.REFUSED, f"cannot file: {error}")
    except ValidationError as error:  # the contract's kinds, a required custom field
        return Handled(Outcome.REFUSED, f"cannot file: {'; '.join(error.messages)}")
    return Handled(Outcome.FILED, "new ticket", result.ticket.pk)


def _without_token(subject: str) -> str:
    return " ".join(TOKEN.sub("", subject).split()) or _("(no subject)")


def default_kind() -> TicketKind:
    kinds = TicketKind.objects.filter(is_active=True)
    return kinds.filter(code="problem").first() or kinds.order_by("pk").first()


def _files_and_record(mail, raw) -> tuple[list, tickets.Record]:
    """The parts that pass the upload checks, as uploads; the original message for
    handlers, with a note naming each refused part and why."""
    files, refused = [], []
    for part in mail.parts:
        upload = SimpleUploadedFile(part.name, part.content, part.content_type)
        try:
            uploads.inspect(upload)
        except ValidationError as error:
            refused.extend(error.messages)
        else:
            files.append(upload)
    note = ""
    if refused:
        with translation.override(settings.LANGUAGE_CODE):
            note = "\n".join([_("Parts of the mail that were not kept:"), *refused])
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return files, tickets.Record(name=f"mail-{stamp}.eml", content=raw, note=note)


# --- Unknown senders ---------------------------------------------------------------


def _hold(mail, raw, log) -> Handled:
    """Keep it for a supervisor; tell the sender, at most once a day, that we did."""
    with transaction.atomic():
        since = timezone.now() - timedelta(days=1)
        answered = HeldMessage.objects.filter(
            sender=mail.sender, answered=True, received_at__gte=since
        ).exists()
        HeldMessage.objects.create(
            sender=mail.sender,
            subject=mail.subject[:255],
            text=text.new_text(mail.text),
            raw=raw,
            mailbox=log.get("mailbox", ""),
            answered=not answered,
        )
        if not answered:
            _answer_unknown(mail)
        return _logged(Outcome.HELD, "unknown sender", log)


def _answer_unknown(mail) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        outbox.enqueue(
            to=mail.sender,
            topic="mail-held",
            subject=parsing.one_line(
                _("Your message was received: %(subject)s") % {"subject": mail.subject}
            )[:255],
            text=_(
                "Thank you for your message. Your address does not belong to an account "
                "of our help desk, so a supervisor will look at it and pass it on. You "
                "will not get another message like this today."
            ),
        )


@transaction.atomic
def assign_held(held: HeldMessage, *, by, user, category) -> Ticket:
    """A supervisor files a held message as `user`'s ticket (they become its requester)."""
    held = HeldMessage.objects.select_for_update().get(pk=held.pk)
    if not by.is_supervisor:
        raise PermissionDenied
    if held.state != HeldMessage.State.HELD:
        raise TicketStateError(_("This message was already dealt with."))
    mail = parsing.parse(bytes(held.raw), max_parts=settings.HELPDESK_MAIL_MAX_PARTS)
    files, record = _files_and_record(mail, bytes(held.raw))
    result = tickets.file_ticket(
        by=by,
        requester=user,
        category=category,
        kind=default_kind(),
        priority=Priority.MEDIUM,
        subject=_without_token(held.subject)[:200],
        description=held.text or held.subject or _no_text(),
        channel=Channel.EMAIL,
        files=files,
        record=record,
    )
    held.state = HeldMessage.State.ASSIGNED
    held.decided_by, held.decided_at, held.ticket_id = by, timezone.now(), result.ticket.pk
    held.raw = b""  # the ticket keeps the original now, with its own visibility
    held.save(update_fields=["state", "decided_by", "decided_at", "ticket_id", "raw"])
    return result.ticket


@transaction.atomic
def discard_held(held: HeldMessage, *, by) -> None:
    held = HeldMessage.objects.select_for_update().get(pk=held.pk)
    if not by.is_supervisor:
        raise PermissionDenied
    if held.state != HeldMessage.State.HELD:
        raise TicketStateError(_("This message was already dealt with."))
    held.state = HeldMessage.State.DISCARDED
    held.decided_by, held.decided_at = by, timezone.now()
    held.raw = b""  # nothing of a discarded stranger's mail is kept
    held.save(update_fields=["state", "decided_by", "decided_at", "raw"])
