"""The clocks of tickets that are generated rather than filed (`seed_bulk`, in
tickets/seeding): what the signal handlers in clocks.py would have stored had each
story happened through the services, from the same rules (`clocks.cached_rules`) and
arithmetic (`clocks.due_fields`), with no query per ticket.

A story is replayed as those handlers follow it: the clock starts at the filing with the
calendar and targets of the ticket's last priority and category (a change applies from
the filing on); a pause begins when the ticket waits for the member or is resolved and
ends at the member's answer or a reopen (not at the closing); the first public answer
from the handlers' side meets the first response clock. `clocks.recompute` then finds
nothing to move.
"""

from datetime import datetime, timedelta
from typing import Protocol

from tickets.models import EventKind, Status

from . import clocks, seeding, worktime
from .models import Clock, Pause

# The rows' columns but their ids, which the caller numbers (with its other rows').
COLUMNS = {
    Clock: [
        "ticket_id", "started_at", "calendar_id", "first_response_minutes", "resolution_minutes",
    ],
    Pause: ["ticket_id", "started_at", "ended_at"],
}  # fmt: skip
# The ticket's service level fields, in the order `GeneratedClocks.ticket` gives them.
FIELDS = (
    "first_response_due_at", "first_responded_at", "resolution_due_at", "due_at", "sla_paused_at",
)  # fmt: skip


class Story(Protocol):
    """A generated ticket as it stands, with its events in order (tickets/seeding's
    `Life`); an event has `kind`, `actor_id`, `internal` and `created_at`."""

    organisation_id: int
    category_id: int
    kind_id: int
    priority: str
    status: str
    requester_id: int
    created_at: datetime
    events: list


class GeneratedClocks:
    """One run's look-ups: `ticket()` gives each ticket's fields and rows."""

    columns = COLUMNS

    def __init__(self):
        # A new database gets the calendars and targets that `seed_calendars` makes.
        seeding.seed()
        self.rules = clocks.cached_rules()
        self.chosen: dict[tuple, tuple] = {}  # the rules by what they depend on

    def ticket(self, ticket_id: int, story: Story) -> tuple[tuple, dict]:
        """The ticket's service level fields (in the order of FIELDS), and the rows of
        its clock (none when no target or calendar applies) and pauses by model."""
        responded = first_answer(story)
        pauses = pauses_of(story)
        # The pauses are kept with or without a clock, as clocks.status_changed keeps them.
        rows = {Clock: [], Pause: [(ticket_id, start, end) for start, end in pauses]}
        key = (story.organisation_id, story.category_id, story.kind_id, story.priority)
        if key not in self.chosen:
            self.chosen[key] = self.rules(story)
        calendar, target = self.chosen[key]
        if calendar is None or target is None:
            return (None, responded, None, None, None), rows
        rows[Clock].append(
            (
                ticket_id,
                story.created_at,
                calendar.pk,
                target.first_response_minutes,
                target.resolution_minutes,
            )
        )
        try:
            fields = clocks.due_fields(
                calendar.schedule(),
                story.created_at,
                (
                    timedelta(minutes=target.first_response_minutes),
                    timedelta(minutes=target.resolution_minutes),
                ),
                pauses,
                closed=story.status == Status.CLOSED,
                responded=responded is not None,
            )
        except worktime.NoWorkingTime:  # a clock without dues, as clocks._store leaves it
            return (None, responded, None, None, None), rows
        fields["first_responded_at"] = responded
        return tuple(fields[name] for name in FIELDS), rows


def first_answer(story: Story) -> datetime | None:
    """When a handler first answered in public (a reply, an information request or the
    resolution): the requester's side does not answer its own ticket."""
    return next(
        (
            e.created_at
            for e in story.events
            if e.kind in clocks.ANSWERS
            and not e.internal
            and e.actor_id not in (None, story.requester_id)
        ),
        None,
    )


def pauses_of(story: Story) -> list[tuple[datetime, datetime | None]]:
    """The spans in which the clocks stood still, as `clocks.status_changed` opens and
    closes them; the last is still going (None) while the ticket waits or is resolved."""
    pauses: list[tuple[datetime, datetime | None]] = []
    status = Status.WAITING
    for event in story.events:
        new = _status_after(event, status, story.requester_id)
        if new in clocks.PAUSING and status not in clocks.PAUSING:
            pauses.append((event.created_at, None))
        elif status in clocks.PAUSING and new not in clocks.PAUSING and new != Status.CLOSED:
            pauses[-1] = (pauses[-1][0], event.created_at)
        status = new
    return pauses


def _status_after(event, status: str, requester_id: int) -> str:
    """The status after `event`, as far as the clocks care: whether it pauses them."""
    kind = event.kind
    if kind == EventKind.INFO_REQUESTED:
        return Status.INFO_REQUESTED
    if kind == EventKind.RESOLVED:
        return Status.RESOLVED
    if kind == EventKind.CLOSED:
        return Status.CLOSED
    if kind == EventKind.REOPENED:
        return Status.IN_PROGRESS
    if kind == EventKind.REPLIED and event.actor_id == requester_id:
        # the member's answer gives an information request back
        return Status.IN_PROGRESS if status == Status.INFO_REQUESTED else status
    return status
