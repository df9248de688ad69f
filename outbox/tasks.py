"""Sending committed mail on a worker (with CELERY_BROKER_URL set; delivery.handover
queues it)."""

from celery import shared_task

from . import delivery


@shared_task(name="outbox.send")
def send(ids: list[int]) -> str:
    """Send these committed mails (those still due: a repeat of the task is harmless)."""
    sent, failed = delivery.send_pending(ids=ids, limit=len(ids))
    return f"sent {sent}, failed {failed}"
