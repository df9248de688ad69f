"""How committed mail leaves the outbox: `handover` decides when and where (the pattern of
common/handover.py: after the response inside a web request, to a worker with a broker,
else here), `send_pending` sends. Whatever is not sent then waits for the periodic
`send_mail` job (jobs/table.py), which retries with back-off.

Sending is safe to run anywhere at once: a sender leases each mail, committed before it
talks to the mail server, and marks it sent as soon as the server accepts it. A sender
killed before that leaves the mail to the next sender once the lease ends; the mail goes
again with the same Message-ID. (Killed between the server's "accepted" and our commit,
the mail goes twice: SMTP cannot do better, and the same Message-ID lets mail readers
show it once.)
"""

import contextlib
import hashlib
import hmac
import logging
import re
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from common.handover import Handover, lease_owner, lease_rows

from .models import OutgoingMail, from_domain

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)

# Committed mail on its way: `outbox.send` on a worker, else `send_pending` here.
handover = Handover(
    "mail",
    task="outbox.tasks.send",
    send_here=lambda ids: send_pending(ids=ids, limit=len(ids)),
    job="send_mail",
)

# Errors of the connection, not of one mail.
UNREACHABLE = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)


# Mails leased together: one transaction for their leases. A mail whose lease is half
# gone before its turn is given back and leased afresh (`_send_batch`).
BATCH = 10


def send_pending(*, ids=None, limit: int = 200) -> tuple[int, int]:
    """Send due mail (or just `ids`), at most `limit`; returns (sent, failed).

    Safe to run concurrently, on SQLite and PostgreSQL: each mail is leased first.
    """
    owner = lease_owner()
    sent = failed = 0
    connection = get_connection()
    try:
        while sent + failed < limit:
            batch = lease_batch(owner, ids=ids, size=min(BATCH, limit - sent - failed))
            if not batch:
                break
            done, refused, go_on = _send_batch(batch, owner, connection)
            sent, failed = sent + done, failed + refused
            if not go_on:
                break
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return sent, failed


def _send_batch(batch: list[OutgoingMail], owner: str, connection) -> tuple[int, int, bool]:
    """Send leased mails in order: (sent, failed, whether to go on). Those not tried are
    given back, free for the next sender at once: after an unreachable server, after an
    error of ours, and from the first whose lease is half gone (the next lease gives it a
    whole one, so no mail goes out on a lease about to pass to another sender)."""
    sent = failed = 0
    untried = list(batch)
    half = timedelta(seconds=settings.HELPDESK_MAIL_LEASE_SECONDS / 2)
    try:
        while untried:
            mail = untried[0]
            if mail is not batch[0] and timezone.now() >= mail.leased_until - half:
                return sent, failed, True
            untried.pop(0)
            try:
                _message(mail, connection).send()
            except Exception as error:  # noqa: BLE001 - one bad mail never stops the queue
                _failed(mail, owner, error)
                failed += 1
                if isinstance(error, UNREACHABLE):
                    # The server is unreachable or silent: the rest waits for the next
                    # run rather than costing a time-out each. (A refused address is an
                    # SMTPException, an OSError too: not this.)
                    return sent, failed, False
            else:
                _sent(mail, owner)
                sent += 1
        return sent, failed, True
    finally:
        _release(untried, owner)


def _message(mail: OutgoingMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        mail.subject, mail.text, to=[mail.to], connection=connection, headers=headers(mail)
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def lease_batch(owner: str, *, ids=None, size: int = BATCH) -> list[OutgoingMail]:
    """Lease up to `size` due mails (of `ids`) to `owner`, committed, in their order;
    [] when none is due.

    Call it outside a transaction: the lease must be in the database before the mail
    server hears of the mail.
    """

    def due(now):
        rows = OutgoingMail.objects.filter(
            Q(leased_until__isnull=True) | Q(leased_until__lte=now),
            sent_at__isnull=True,
            next_attempt_at__lte=now,
        )
        return rows if ids is None else rows.filter(pk__in=ids)

    def lease(now):
        return {
            "leased_until": now + timedelta(seconds=settings.HELPDESK_MAIL_LEASE_SECONDS),
            "lease_owner": owner,
        }

    return lease_rows(due, lease, size)


def _release(mails: list[OutgoingMail], owner: str) -> None:
    """Give leased mails back unsent: the next sender may take them at once."""
    if mails:
        OutgoingMail.objects.filter(pk__in=[m.pk for m in mails], lease_owner=owner).update(
            leased_until=None
        )


def headers(mail: OutgoingMail) -> dict[str, str]:
    """Our Message-ID; the marks that tell other robots (auto-responders, Exchange's
    out-of-office) not to answer (RFC 3834); and for a ticket's notice a reference to
    the ticket's thread, so that each ticket is one conversation in the mail client."""
    found = {
        "Message-ID": mail.message_id,
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if mail.ticket_id:
        found["In-Reply-To"] = found["References"] = thread_id(mail.ticket_id)
    return found


def thread_id(ticket_id: int) -> str:
    """The id a ticket's notices all refer to: `<ticket-ID.SIGNATURE@domain>`. Signed, so
    that a reply referring to it proves it answers a notice (`ticket_of_thread_id`)."""
    return f"<ticket-{ticket_id}.{_signature(ticket_id)}@{from_domain()}>"


def ticket_of_thread_id(message_id: str) -> int | None:
    """The ticket a thread id of ours names, or None (not ours, or a forged signature)."""
    match = THREAD_ID.fullmatch(message_id.strip())
    if match is None:
        return None
    ticket_id = int(match["ticket"])
    if not hmac.compare_digest(match["signature"], _signature(ticket_id)):
        return None
    return ticket_id


THREAD_ID = re.compile(r"<ticket-(?P<ticket>\d{1,18})\.(?P<signature>[0-9a-f]{20})@[^>\s]+>")


def _signature(ticket_id: int) -> str:
    key = f"outbox.thread:{settings.SECRET_KEY}".encode()
    return hmac.new(key, str(ticket_id).encode(), hashlib.sha256).hexdigest()[:20]


def _mark_sent(pk: int, owner: str) -> bool:
    """Mark the mail sent, if `owner` still holds its lease. SQL written here rather than
    an UPDATE the ORM builds for each mail (some 0.17 ms of Python each; a filing sends
    seven)."""
    connection = connections[router.db_for_write(OutgoingMail)]
    name = connection.ops.quote_name
    table = name(OutgoingMail._meta.db_table)
    sent_at, leased_until, pk_column, lease_owner = (
        name(OutgoingMail._meta.get_field(field).column)
        for field in ("sent_at", "leased_until", "id", "lease_owner")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sent_at} = %s, {leased_until} = NULL "  # noqa: S608 - the model's names
            f"WHERE {pk_column} = %s AND {lease_owner} = %s",
            [connection.ops.adapt_datetimefield_value(timezone.now()), pk, owner],
        )
        return cursor.rowcount == 1


def _sent(mail: OutgoingMail, owner: str) -> None:
    if not _mark_sent(mail.pk, owner):
        logger.warning(
            "Mail %s was sent after its lease passed to another sender, which may send it "
            "again (with the same Message-ID); HELPDESK_MAIL_LEASE_SECONDS is too short",
            mail.pk,
        )


def _failed(mail: OutgoingMail, owner: str, error: Exception) -> None:
    attempts = mail.attempts + 1
    OutgoingMail.objects.filter(pk=mail.pk, lease_owner=owner).update(
        attempts=attempts,
        next_attempt_at=timezone.now() + _backoff(attempts),
        last_error=str(error)[:1000] or type(error).__name__,
        leased_until=None,
    )
    # The mail's id, never its address: the error's text, which may name the address,
    # stays in the row.
    logger.warning(
        "Mail %s not sent (attempt %s): %s",
        mail.pk,
        attempts,
        type(error).__name__,
        extra={"mail_id": mail.pk},
    )
