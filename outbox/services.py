"""Mail through the outbox: a row per mail in the caller's transaction, sent after the
commit. A mail server that is down delays mail; it never loses it or blocks the caller,
and `send_mail_queue` retries it with back-off.
"""

import contextlib
import logging
import smtplib
from collections.abc import Sequence
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    topic: str = "",
    ticket_id: int | None = None,
) -> OutgoingMail:
    """Write one mail in the caller's transaction; it is sent after the commit."""
    [mail] = enqueue_many(
        [
            OutgoingMail(
                to=to, subject=subject, text=text, html=html, topic=topic, ticket_id=ticket_id
            )
        ]
    )
    return mail


def enqueue_many(mails: Sequence[OutgoingMail]) -> list[OutgoingMail]:
    """Write unsaved `mails` in the caller's transaction; they are sent together after
    the commit, so that a mail server that is down costs one time-out, not one a mail."""
    mails = OutgoingMail.objects.bulk_create(mails)
    if mails:
        ids = [mail.pk for mail in mails]

        def send_after_commit():
            send_pending(ids=ids)

        # Robust: the caller's change is committed by now; a failure here is logged and
        # the mail waits for send_mail_queue, never turning the saved change into an error.
        transaction.on_commit(send_after_commit, robust=True)
    return mails


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)


def send_pending(*, ids=None, limit: int = 200) -> tuple[int, int]:
    """Send due mail (or just `ids`); returns (sent, failed). Safe to run concurrently."""
    now = timezone.now()
    due = OutgoingMail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    sent = failed = 0
    connection = get_connection()
    try:
        for mail_id in list(due.order_by("pk").values_list("pk", flat=True)[:limit]):
            with transaction.atomic():
                # Skip rows another worker is sending right now.
                mail = (
                    OutgoingMail.objects.select_for_update(skip_locked=True)
                    .filter(pk=mail_id, sent_at__isnull=True)
                    .first()
                )
                if mail is None:
                    continue
                message = EmailMultiAlternatives(
                    mail.subject, mail.text, to=[mail.to], connection=connection
                )
                if mail.html:
                    message.attach_alternative(mail.html, "text/html")
                try:
                    message.send()
                except Exception as error:  # noqa: BLE001 - one bad mail never stops the queue
                    mail.attempts += 1
                    mail.next_attempt_at = timezone.now() + _backoff(mail.attempts)
                    mail.last_error = str(error)[:1000]
                    mail.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                    logger.warning("Mail %s to %s not sent: %s", mail.pk, mail.to, error)
                    failed += 1
                    if isinstance(error, OSError | smtplib.SMTPConnectError):
                        # The server is unreachable: the rest waits for the next run
                        # rather than holding the request for a time-out each.
                        break
                else:
                    mail.sent_at = timezone.now()
                    mail.save(update_fields=["sent_at"])
                    sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return sent, failed
