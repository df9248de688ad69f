"""Sending committed webhook deliveries on a worker (with CELERY_BROKER_URL set;
delivery.handover queues them)."""

from celery import shared_task

from . import delivery


@shared_task(name="webhooks.send")
def send(ids: list[int]) -> str:
    """Send these deliveries (those still due: a repeated task is harmless)."""
    sent, failed = delivery.send_pending(ids=ids, limit=len(ids))
    return f"sent {sent}, failed {failed}"
