"""Mail through the outbox: a row per mail in the caller's transaction, handed to
`delivery` after the commit. A mail server that is down delays mail; it never loses it
or blocks the caller, and `send_mail_queue` retries it with back-off.
"""

from collections.abc import Sequence

from . import delivery
from .models import OutgoingMail


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
    """Write unsaved `mails` in the caller's transaction; after the commit they are
    delivered together, so that a mail server that is down costs one time-out, not one
    a mail. Inside a web request that is after the response (`delivery.handover`)."""
    mails = OutgoingMail.objects.bulk_create(mails)
    if mails:
        delivery.handover.after_commit([mail.pk for mail in mails])
    return mails
