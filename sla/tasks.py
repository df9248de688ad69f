"""Recomputing dues on a worker (with CELERY_BROKER_URL set; recomputing.handover
queues the committed recomputes)."""

from celery import shared_task

from . import recomputing


@shared_task(name="sla.recompute")
def recompute(ids: list[int]) -> str:
    """Go on with these recomputes (a repeat of the task finds them held or done)."""
    return f"ran {recomputing.run_all(ids)}"
