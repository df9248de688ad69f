"""The jobs as Celery tasks for beat: a thin wrapper over `runner.run`."""

from celery import shared_task

from . import runner
from .table import BY_NAME


@shared_task(name="jobs.run")
def run(name: str) -> str:
    outcome = runner.run(BY_NAME[name])
    return repr(outcome.result) if outcome.ran else "already run in this period"
