"""The site's Prometheus metrics.

Counts made in a process (requests, latencies, background jobs) live in
prometheus-client's registry; with PROMETHEUS_MULTIPROC_DIR set, each process writes
them to its own files there and a scrape adds every process's up (docs/deploy.md).
What the database knows (the outbox, the tickets not closed by status) is read
at scrape time by whichever process answers, in two queries whose cost follows the mail
waiting and the tickets in work, not the archive: closed tickets, which only grow, are
counted as they close instead (helpdesk_ticket_status_changes_total).

Labels are bounded: a view is its URL pattern's name, never a path (no ids, no query
strings, nothing a person typed); a status is its class (2xx, 4xx, ...).
"""

import os

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from outbox.models import OutgoingMail
from tickets.models import Status, Ticket
from tickets.workflow import status_changed

REQUESTS = Counter(
    "helpdesk_http_requests",
    "Requests answered, by view (the URL pattern's name) and status class.",
    ["view", "status"],
)
LATENCY = Histogram(
    "helpdesk_http_request_duration_seconds",
    "Seconds from the request to its response (a streamed body's start), by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASKS = Counter(
    "helpdesk_tasks",
    "Background jobs run, by name and outcome (ok or failed).",
    ["task", "outcome"],
)

STATUS_CHANGES = Counter(
    "helpdesk_ticket_status_changes",
    "Tickets that entered each status (new tickets their first), counted on commit.",
    ["status"],
)
# Every status but closed: the tickets in work, few whatever the archive holds.
COUNTED_STATUSES = [status for status in Status.values if status != Status.CLOSED]


def observe_request(*, view: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, status=f"{status // 100}xx").inc()
    LATENCY.labels(view=view).observe(seconds)


def count_task(name: str, ok: bool) -> None:
    """Count one run of the background job `name` (a Celery task's name, a command's)."""
    TASKS.labels(task=name, outcome="ok" if ok else "failed").inc()


def count_celery_tasks() -> None:
    """Count every Celery task run in this process, when Celery is installed; its tasks
    need not call count_task themselves."""
    try:
        from celery import signals
    except ImportError:
        return
    signals.task_success.connect(_task_succeeded, weak=False, dispatch_uid="monitoring")
    signals.task_failure.connect(_task_failed, weak=False, dispatch_uid="monitoring")


def _task_succeeded(sender=None, **kwargs):
    count_task(sender.name, True)


def _task_failed(sender=None, **kwargs):
    count_task(sender.name, False)


def count_status_changes() -> None:
    status_changed.connect(_status_changed, dispatch_uid="monitoring")


def _status_changed(sender, ticket, old, new, **kwargs):
    # Sent inside the change's transaction: a change rolled back is not counted.
    transaction.on_commit(STATUS_CHANGES.labels(status=new).inc)


class DatabaseCollector:
    """The outbox and the tickets, counted at scrape time."""

    def collect(self):
        unsent = OutgoingMail.objects.filter(sent_at__isnull=True).aggregate(
            count=Count("pk"), oldest=Min("created_at")
        )
        yield GaugeMetricFamily(
            "helpdesk_outbox_unsent", "Mail in the outbox not sent yet.", value=unsent["count"]
        )
        oldest = unsent["oldest"]
        yield GaugeMetricFamily(
            "helpdesk_outbox_oldest_unsent_age_seconds",
            "Seconds the oldest unsent mail has waited (0 when none waits).",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        # One GROUP BY over the status index's open part; every status, zeros included.
        counts = dict(
            Ticket.objects.filter(status__in=COUNTED_STATUSES)
            .order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
        )
        tickets = GaugeMetricFamily(
            "helpdesk_tickets", "Tickets not closed, by status.", labels=["status"]
        )
        for status in COUNTED_STATUSES:
            tickets.add_metric([status], counts.get(status, 0))
        yield tickets


def scrape() -> bytes:
    """The metrics in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(counted) + generate_latest(database)
