"""Exports too large for one request: asked for on a page, built by a worker.

`request` records what the user asked for; the worker (a Celery task when there is a
broker, else the periodic `build_exports` job) runs `build`, which reads the tickets
again through the user's visibility, writes the CSV to the document store batch by
batch, and counts its progress where the page can read it. An export is whole or
marked failed, never a short file offered as done.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone, translation

from common import storage
from common.handover import to_worker
from tickets import customvalues, paging, selectors
from tickets import export as export_format
from tickets.models import Ticket

from .models import Export, State

logger = logging.getLogger(__name__)

BATCH = 2000  # tickets read, written and counted at a time
LEASE = timedelta(minutes=10)  # renewed after every batch
PENDING_PER_USER = 3


class TooManyPending(Exception):  # noqa: N818 - a refusal the page explains
    pass


def request(user, *, query: str, language: str) -> Export:
    """Queue an export of the list `query` (a list page's query string) for `user`."""
    pending = Export.objects.filter(user=user, state__in=[State.QUEUED, State.RUNNING])
    if pending.count() >= PENDING_PER_USER:
        raise TooManyPending
    export = Export.objects.create(user=user, query=query[:4000], language=language[:10])
    transaction.on_commit(lambda: hand_over(export.pk))
    return export


def hand_over(pk: int) -> None:
    """To a worker when there is a broker; without one, or with the broker down, the
    periodic `build_exports` job takes it."""
    if not settings.CELERY_BROKER_URL:
        return
    from .tasks import build_export  # tasks import this module

    to_worker(build_export, pk, what=f"export {pk}", job="build_exports")


def _claim(pk: int) -> Export | None:
    """Take the export if it waits, or if its builder's lease ran out; else None."""
    now = timezone.now()
    free = Q(state=State.QUEUED) | Q(state=State.RUNNING, leased_until__lt=now)
    claimed = Export.objects.filter(free, pk=pk).update(
        state=State.RUNNING, leased_until=now + LEASE, rows_done=0
    )
    return Export.objects.select_related("user").get(pk=pk) if claimed else None


def build(pk: int) -> bool:
    """Build export `pk` if no one else is; whether this call built it."""
    export = _claim(pk)
    if export is None:
        return False
    try:
        with tempfile.TemporaryFile(mode="w+b") as handle:
            _write(export, handle)
            handle.seek(0)
            name = Export.file.field.generate_filename(export, "")
            name = storage.save(default_storage, name, File(handle))
    except Exception:
        logger.exception("Export %s failed.", pk)
        Export.objects.filter(pk=pk).update(state=State.FAILED, finished_at=timezone.now())
        return True
    Export.objects.filter(pk=pk).update(
        state=State.DONE, file=name, finished_at=timezone.now(), leased_until=None
    )
    return True


def _write(export: Export, handle) -> None:
    params = QueryDict(export.query)
    tickets = paging.as_listed(selectors.filtered_tickets(export.user, params).qs)
    # The set is fixed when the build starts: the ids in the list's order, then the rows
    # a batch at a time, each batch in its own short query.
    ids = list(tickets.values_list("pk", flat=True))
    Export.objects.filter(pk=export.pk).update(rows_total=len(ids))
    text = _Lines(handle)
    fields = customvalues.definitions()
    # The same file as a streamed export's (tickets/export.py), in the asker's language.
    with translation.override(export.language or settings.LANGUAGE_CODE):
        writer = export_format.csv_writer(text)
        text.write("\ufeff")
        writer.writerow(export_format.header(fields, export_format.columns_for(export.user)))
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            rows = Ticket.objects.with_relations().in_bulk(batch)
            for pk in batch:
                if pk in rows:  # erased in the meantime: left out, as the list would
                    writer.writerow(export_format.row(rows[pk], fields))
            Export.objects.filter(pk=export.pk).update(
                rows_done=start + len(batch), leased_until=timezone.now() + LEASE
            )


class _Lines:
    """What csv.writer writes to, encoded to the binary file."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, text: str):
        self.handle.write(text.encode("utf-8"))


def build_pending() -> int:
    """The periodic job: build what waits (or was left by a builder that died), and
    remove the files of exports older than HELPDESK_EXPORT_KEEP_DAYS."""
    now = timezone.now()
    waiting = Export.objects.filter(
        Q(state=State.QUEUED) | Q(state=State.RUNNING, leased_until__lt=now)
    ).order_by("created_at")
    built = sum(build(pk) for pk in list(waiting.values_list("pk", flat=True)[:20]))
    remove_old(now - timedelta(days=settings.HELPDESK_EXPORT_KEEP_DAYS))
    return built


def remove_old(before) -> int:
    old = Export.objects.filter(created_at__lt=before)
    for name in old.exclude(file="").values_list("file", flat=True):
        try:
            default_storage.delete(name)
        except storage.STORE_ERRORS:
            logger.warning("Could not remove the old export %s; it stays listed.", name)
            return 0
    return old.delete()[0]
