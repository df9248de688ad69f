"""How committed mail leaves the outbox: `deliver` decides when, `send_pending` sends.

Inside a web request the ids wait until the response has been handed to the server
(`request_finished`), so that no page waits on the mail server; elsewhere (commands,
the shell) they go at once. A worker queue takes over by changing `deliver` alone;
`send_mail_queue` stays the path that retries.
"""

import contextlib
import logging
import smtplib
import socket
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)

# The ids committed during the current request; None outside a request.
_held: ContextVar[list[int] | None] = ContextVar("outbox_held", default=None)


def deliver(ids: Iterable[int]) -> None:
    """Send the committed mail `ids`: after the response inside a request, else now."""
    held = _held.get()
    if held is None:
        send_pending(ids=list(ids))
    else:
        held.extend(ids)


def hold_during_request(**kwargs) -> None:
    """On `request_started`: mail committed from now on waits for the response."""
    _held.set([])


def send_after_response(**kwargs) -> None:
    """On `request_finished`: the response is with the server; send what was held."""
    held = _held.get()
    _held.set(None)
    if not held:
        return
    try:
        send_pending(ids=held, limit=len(held))
    except Exception:
        # The page is already sent and the mail is in the outbox: `send_mail_queue`
        # takes it from here, whatever went wrong.
        logger.exception("Mail %s left for the queue", held)


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
                    mail.last_error = str(error)[:1000] or type(error).__name__
                    mail.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                    # The mail's id, never its address: the error's text, which may
                    # name the address, stays in the row.
                    logger.warning(
                        "Mail %s not sent (attempt %s): %s",
                        mail.pk,
                        mail.attempts,
                        type(error).__name__,
                        extra={"mail_id": mail.pk},
                    )
                    failed += 1
                    if isinstance(error, UNREACHABLE):
                        # The server is unreachable or silent: the rest waits for the
                        # next run rather than costing a time-out each. (A refused
                        # address is an SMTPException, an OSError too: not this.)
                        break
                else:
                    mail.sent_at = timezone.now()
                    mail.save(update_fields=["sent_at"])
                    sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return sent, failed
