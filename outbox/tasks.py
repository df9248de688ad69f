"""Sending committed mail on a worker (with CELERY_BROKER_URL set)."""

import logging

from celery import shared_task
from django.conf import settings

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(name="outbox.send")
def send(ids: list[int]) -> str:
    """Send these committed mails (those still due: a repeat of the task is harmless)."""
    sent, failed = delivery.send_pending(ids=ids, limit=len(ids))
    return f"sent {sent}, failed {failed}"


def queue_sending(ids: list[int]) -> None:
    """Give the mail `ids` to a worker; with the broker down, leave them to the periodic
    `send_mail` job, which runs when the broker (or cron) is back."""
    try:
        # The broker the setting names now, not when Celery was configured; one try at
        # connecting (not Kombu's retries for seconds): the job retries for us.
        options = {**send.app.conf.broker_transport_options, "max_retries": 0}
        with send.app.connection_for_write(
            settings.CELERY_BROKER_URL, transport_options=options
        ) as connection:
            send.apply_async((ids,), connection=connection, retry=False)
    except Exception:  # noqa: BLE001 - whatever the broker's trouble, the mail waits
        logger.warning("Broker unreachable: mail %s waits for the send_mail job", ids)
