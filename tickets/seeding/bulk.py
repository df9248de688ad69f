"""Tickets in batches: their stories, ids, hash chains and search text, then COPY.

Each batch is one transaction that leaves whole tickets behind (a ticket, all its
events and documents, its seal), so an interrupted run leaves a database that
`verify_log` finds intact and that a second run tops up.
"""

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from tickets import logchain, sortkeys
from tickets.models import ActivitySide, Attachment, EventKind, Ticket, TicketEvent
from tickets.search import note_text, ticket_text
from tickets.services import NOT_ACTIVITY

from . import clocks, indexes, lives
from .directory import Cast
from .loader import Loader
from .tables import Table, analyze, reset_sequences

BATCH = 10_000  # tickets a transaction
YEARS = 3
GROWTH = 0.5  # half the tickets spread evenly, half more often the more recent

TICKETS = Table(
    Ticket,
    [
        "id", "requester_id", "organisation_id", "category_id", "kind_id", "priority",
        "status", "channel", "subject", "description", "assignee_id", "created_at",
        "read_at", "resolved_at", "closed_at", "submission", "search_text", "log_seal",
        "organisation_key", "category_key", "assignee_key", "last_activity_at",
        "last_activity_side",
        "note_text",
        # Service level clocks, as sla/ would have kept them (seeding/clocks.py), whose
        # clock and pause rows go to sla's tables beside them.
        "first_response_due_at", "first_responded_at", "resolution_due_at", "due_at",
        "sla_paused_at",
        "parent_id", "product_id", "component_id", "custom",
    ],
)  # fmt: skip
EVENTS = Table(
    TicketEvent,
    [
        "id", "ticket_id", "actor_id", "kind", "note", "internal", "data", "submission",
        "created_at", "note_digest", "previous_hash", "hash", "redacted",
    ],
)  # fmt: skip
DOCUMENTS = Table(
    Attachment,
    [
        "id", "ticket_id", "event_id", "uploaded_by_id", "file", "original_name", "size",
        "content_type", "is_image", "internal", "created_at", "redacted",
    ],
)  # fmt: skip


@dataclass
class Counts:
    tickets: int = 0
    events: int = 0
    documents: int = 0


class Calendar:
    """When tickets are filed: over the last three years, more of them lately, mostly on
    working days and in office hours (in the site's time zone)."""

    def __init__(self, rng: random.Random, until: datetime):
        self.rng, self.until = rng, until
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.start = until - timedelta(days=365 * YEARS)
        self.span = until - self.start

    def moment(self, share: float) -> datetime:
        """The filing time at `share` (0 to 1) of the way through the tickets."""
        # The inverse of the distribution with density (1 - GROWTH) + 2 * GROWTH * x.
        x = (-(1 - GROWTH) + math.sqrt((1 - GROWTH) ** 2 + 4 * GROWTH * share)) / (2 * GROWTH)
        day = (self.start + self.span * x).astimezone(self.zone)
        rng = self.rng
        if day.weekday() >= 5 and rng.random() < 0.85:  # the weekend's move to Friday or Monday
            day += timedelta(days=(4 - day.weekday()) if rng.random() < 0.5 else 7 - day.weekday())
        hours = rng.uniform(8.5, 17.5) if rng.random() < 0.85 else rng.uniform(0, 24)
        local = day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=hours)
        at = local.replace(microsecond=rng.randrange(10**6)).astimezone(UTC)
        if at > self.until:
            at = self.until - timedelta(minutes=rng.uniform(1, 600))
        return at

    def batch(self, first: int, count: int, total: int) -> list[datetime]:
        """The filing times of tickets `first` to `first + count` of `total`, in order."""
        draws = [(first + i + self.rng.random()) / total for i in range(count)]
        return sorted(self.moment(share) for share in draws)


def last_activity(life) -> tuple[datetime, str]:
    """The time of the story's last public event and whose side wrote it, as
    services._log keeps them."""
    public = [e for e in life.events if not e.internal and e.kind not in NOT_ACTIVITY]
    if not public:
        return life.created_at, ""
    last = public[-1]
    if last.actor_id is None:
        return last.created_at, ActivitySide.SYSTEM
    if last.actor_id == life.requester_id:
        return last.created_at, ActivitySide.REQUESTER
    return last.created_at, ActivitySide.HANDLER


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


@dataclass
class Batch:
    """One transaction's rows, ready to load."""

    tickets: object
    events: object
    documents: object
    clocks: list  # by table of `Filler.clock_tables`
    counts: Counts


class Filler:
    def __init__(self, *, cast: Cast, seed: str, until: datetime, levels=None):
        self.cast, self.until = cast, until
        # seed_bulk makes them before the demo's tickets are filed, whose clocks start then.
        self.levels = levels or clocks.Clocks()
        self.clock_tables = [
            Table(model, ["id", *columns]) for model, columns in self.levels.columns.items()
        ]
        self.existing = Ticket.objects.count()
        # Seeded by what is there already, so that a top-up draws other tickets.
        self.rng = random.Random(f"{seed}:tickets:{self.existing}")
        self.calendar = Calendar(self.rng, until)
        self.models = [Ticket, TicketEvent, Attachment, *(t.model for t in self.clock_tables)]
        self.ids = {model: _next_id(model) for model in self.models}
        self.organisation_keys, self.category_keys, self.user_keys = sortkeys.lookup()
        self.counts = Counts()
        self.progress = None

    def fill(self, missing: int, progress=None) -> Counts:
        self.progress = progress
        say = progress.say if progress else lambda message: None
        indexes.restore(self.models)
        with indexes.set_aside(self.models, missing, self.existing, say):
            with Loader(self.load, self.loaded) as loader:
                for first in range(0, missing, BATCH):
                    count = min(BATCH, missing - first)
                    stories = [
                        lives.live(self.rng, self.cast, at, self.until)
                        for at in self.calendar.batch(first, count, missing)
                    ]
                    loader.put(self.prepare(stories))
            # Before the indexes are built again, which the vacuum then need not read.
            analyze([TICKETS, EVENTS, DOCUMENTS, *self.clock_tables])
        return self.counts

    def prepare(self, stories: list[lives.Life]) -> Batch:
        """Number and chain the stories' rows, and spell them for the database."""
        tickets, events, documents = [], [], []
        clock_rows = {table.model: [] for table in self.clock_tables}
        for life in stories:
            ticket_id = self.ids[Ticket]
            self.ids[Ticket] += 1
            head = self.chain(ticket_id, life.events)
            replies = [
                e.note for e in life.events if e.kind == EventKind.REPLIED and not e.internal
            ]
            notes = [e.note for e in life.events if e.kind == EventKind.NOTE]
            names = {False: [], True: []}
            for e in life.events:
                for d in e.documents:
                    names[d.internal].append(d.original_name)
            active_at, side = last_activity(life)
            levels, rows = self.levels.ticket(ticket_id, life)
            for model, model_rows in rows.items():
                for row in model_rows:
                    clock_rows[model].append((self.ids[model], *row))
                    self.ids[model] += 1
            tickets.append(
                (
                    ticket_id, life.requester_id, life.organisation_id, life.category_id,
                    life.kind_id, life.priority, life.status, life.channel, life.subject,
                    life.description, life.assignee_id, life.created_at, life.read_at,
                    life.resolved_at, life.closed_at, None,
                    ticket_text(life.subject, life.description, replies, names[False]),
                    logchain.head_seal(ticket_id, head) if life.events else "",
                    self.organisation_keys[life.organisation_id],
                    self.category_keys[life.category_id],
                    self.user_keys.get(life.assignee_id),
                    active_at, side, note_text(notes, names[True]),
                    *levels,
                    None, None, None, {},
                )
            )  # fmt: skip
            for e in life.events:
                events.append(
                    (
                        e.id, e.ticket_id, e.actor_id, e.kind, e.note, e.internal, e.data,
                        None, e.created_at, e.note_digest, e.previous_hash, e.hash, False,
                    )
                )  # fmt: skip
                for d in e.documents:
                    d.id, d.ticket_id, d.event_id = self.ids[Attachment], ticket_id, e.id
                    self.ids[Attachment] += 1
                    documents.append(
                        (
                            d.id, d.ticket_id, d.event_id, d.uploaded_by_id, d.file,
                            d.original_name, d.size, d.content_type, d.is_image, d.internal,
                            d.created_at, False,
                        )
                    )  # fmt: skip
        return Batch(
            TICKETS.payload(tickets),
            EVENTS.payload(events),
            DOCUMENTS.payload(documents),
            [table.payload(clock_rows[table.model]) for table in self.clock_tables],
            Counts(len(tickets), len(events), len(documents)),
        )

    def chain(self, ticket_id: int, events: list[lives.Event]) -> str:
        """Number the ticket's events and chain them as `TicketEvent.save` would."""
        previous = logchain.GENESIS
        for event in events:
            event.id, event.ticket_id = self.ids[TicketEvent], ticket_id
            self.ids[TicketEvent] += 1
            logchain.seal(event, previous)
            previous = event.hash
        return previous

    def load(self, batch: Batch) -> None:
        """One transaction: whole tickets, or nothing."""
        with transaction.atomic():
            TICKETS.load(batch.tickets)
            EVENTS.load(batch.events)
            DOCUMENTS.load(batch.documents)
            for table, payload in zip(self.clock_tables, batch.clocks, strict=True):
                table.load(payload)
            reset_sequences(self.models)

    def loaded(self, batch: Batch) -> None:
        self.counts.tickets += batch.counts.tickets
        self.counts.events += batch.counts.events
        self.counts.documents += batch.counts.documents
        if self.progress:
            self.progress.advance(batch.counts.tickets)
