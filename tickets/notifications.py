"""E-mail notices: an outbox row per recipient in the change's transaction, sent after
the commit. A mail server that is down delays mail; it never loses or blocks a ticket.

Topics (what a user may choose to receive, `User.wants_mail`): "filed", "answered",
"info_requested", "resolved" for the requester; "team" for a category's team;
"assigned" for the assignee.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import EventKind, OutgoingMail

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def _headline(ticket, kind) -> str:
    values = {"id": ticket.pk, "subject": ticket.subject, "category": ticket.category}
    headlines = {
        EventKind.CREATED: _("Ticket #%(id)s was filed: %(subject)s"),
        EventKind.REPLIED: _("New reply on ticket #%(id)s: %(subject)s"),
        EventKind.INFO_REQUESTED: _("Information is requested on ticket #%(id)s: %(subject)s"),
        EventKind.RESOLVED: _("Ticket #%(id)s was resolved: %(subject)s"),
        EventKind.REDIRECTED: _("Ticket #%(id)s was redirected to %(category)s: %(subject)s"),
        EventKind.REOPENED: _("Ticket #%(id)s was reopened: %(subject)s"),
        EventKind.ASSIGNED: _("Ticket #%(id)s was assigned to you: %(subject)s"),
    }
    # A mail header is one line, whatever the subject holds.
    return " ".join((headlines[kind] % values).split())


def queue(ticket, event, recipients: dict) -> None:
    """Write a notice of `event` for each recipient; `recipients` maps user → topic.

    Internal events are never mailed; the actor is mailed about their own act only to
    confirm a ticket they filed.
    """
    if event.internal:
        return
    rows = []
    seen = set()
    for user, topic in recipients.items():
        if user is None or user.pk in seen:
            continue
        if user.pk == event.actor_id and topic != "filed":
            continue
        seen.add(user.pk)
        if not user.wants_mail(topic):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "ticket": ticket,
                "event": event,
                "headline": _headline(ticket, event.kind),
                "url": settings.SITE_URL.rstrip("/") + ticket.get_absolute_url(),
                "recipient": user,
            }
            rows.append(
                OutgoingMail(
                    ticket=ticket,
                    topic=topic,
                    to=user.email,
                    subject=context["headline"][:255],
                    text=render_to_string("tickets/email/notice.txt", context),
                    html=render_to_string("tickets/email/notice.html", context),
                )
            )
    if rows:
        OutgoingMail.objects.bulk_create(rows)
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: send_pending(ids=ids))


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
