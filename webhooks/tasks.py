"""Sending committed webhook deliveries on a worker (with CELERY_BROKER_URL set)."""

import logging

from celery import shared_task
from django.conf import settings

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.send")
def send(ids: list[int]) -> str:
    """Send these deliveries (those still due: a repeated task is harmless)."""
    sent, failed = delivery.send_pending(ids=ids, limit=len(ids))
    return f"sent {sent}, failed {failed}"


def queue_sending(ids: list[int]) -> None:
    """Give the ids to a worker; with the broker down, the periodic job sends them."""
    try:
        options = {**send.app.conf.broker_transport_options, "max_retries": 0}
        with send.app.connection_for_write(
            settings.CELERY_BROKER_URL, transport_options=options
        ) as connection:
            send.apply_async((ids,), connection=connection, retry=False)
    except Exception:  # noqa: BLE001 - whatever the broker's trouble, the rows wait
        logger.warning("Broker unreachable: webhook deliveries %s wait for the job", ids)
