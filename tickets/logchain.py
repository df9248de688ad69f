"""The action log's hash chain: tampering shows, even when done by the database's owner.

Each event stores the hash of the previous event of its ticket and its own hash, a
keyed HMAC over its content and that previous hash; the ticket stores a seal over the
newest hash. The key (HELPDESK_LOG_KEY) lives in the site's settings, not in the
database, so somebody who can write the tables directly cannot forge a hash: a
changed, removed or inserted event, or a log cut short, breaks the chain, and
`verify_log` names the ticket.

A redaction (the privacy rules) empties an event's note but keeps its digest, so the
chain still holds; `verify` accepts an empty note only on an event that a `redacted`
event of the same ticket names. What a database superuser could still do unseen is
roll a ticket's log back to a state it had (its older seal is a valid one); the
manifest that `verify_log --manifest` keeps outside the database catches that too.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings

GENESIS = ""  # the previous hash of a ticket's first event


def _key() -> bytes:
    return settings.HELPDESK_LOG_KEY.encode()


def _mac(message: str) -> str:
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def note_digest(note: str) -> str:
    """Keyed like the hashes: once a note is redacted, its digest must not let anybody
    find a short text (a phone number, an identity number) by trying them all."""
    return _mac(f"note:{note}")


def event_hash(event, previous: str) -> str:
    """The HMAC of what the event says and when, chained to `previous`."""
    content = {
        "ticket": event.ticket_id,
        "previous": previous,
        "actor": event.actor_id,
        "kind": event.kind,
        "note": event.note_digest,
        "internal": bool(event.internal),
        "data": event.data,
        "submission": str(event.submission) if event.submission else None,
        "at": event.created_at.astimezone(UTC).isoformat(),
    }
    return _mac(json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def head_seal(ticket_id: int, head: str) -> str:
    """Names `head` as the newest event of the ticket: a log cut short no longer matches."""
    return _mac(f"head:{ticket_id}:{head}")


def seal(event, previous: str) -> None:
    """Fill in an unsaved event's digest and hashes, after `previous`."""
    event.note_digest = note_digest(event.note)
    event.previous_hash = previous
    event.hash = event_hash(event, previous)


@dataclass(frozen=True)
class Problem:
    ticket_id: int
    event_id: int | None
    what: str  # for the operator, in English like every command's output

    def __str__(self):
        where = f"ticket #{self.ticket_id}"
        if self.event_id is not None:
            where += f", event {self.event_id}"
        return f"{where}: {self.what}"


CHANGED = "the event's content or hash was changed"
NOTE_CHANGED = "the event's note was changed"
UNNAMED_REDACTION = "the note was emptied without a redaction in the log"
BROKEN_LINK = "the event does not follow on from the one before (a gap, a fork or a loop)"
CUT_SHORT = "the newest event is not the one the ticket was sealed with"
NO_SEAL = "the ticket has events but no seal"
NO_EVENTS = "the ticket has no events at all (every ticket is created by one)"
ORPHAN = "the event belongs to no ticket"
SHRUNK = "the log has fewer events than at the last check (%(before)s, now %(now)s)"
HEAD_GONE = "the event the log ended with at the last check is gone"
TICKET_GONE = "the ticket was there at the last check and is gone"


@dataclass(frozen=True)
class Chain:
    """What one ticket's log was found to be: kept by `verify_log --manifest` so that
    the next check notices a log rolled back to an earlier state."""

    ticket_id: int
    length: int
    head: str
    hashes: frozenset = frozenset()


def verify_ticket(ticket_id: int, seal_value: str, events: Iterable):
    """Check one ticket's events (in any order) against each other and the ticket's
    seal; returns the problems found and the chain."""
    events = list(events)
    problems = []
    redacted_ids = set()
    by_previous = {}
    for event in events:
        if event.kind == "redacted":
            redacted_ids.update(event.data.get("events", []))
        by_previous.setdefault(event.previous_hash, []).append(event)
    for event in events:
        named = event.pk in redacted_ids and event.note == ""
        if event_hash(event, event.previous_hash) != event.hash:
            problems.append(Problem(ticket_id, event.pk, CHANGED))
        elif event.redacted and not named:
            problems.append(Problem(ticket_id, event.pk, UNNAMED_REDACTION))
        elif not event.redacted and note_digest(event.note) != event.note_digest:
            problems.append(Problem(ticket_id, event.pk, NOTE_CHANGED))
    # Walk the chain from the first event: every event must be reached, once each.
    head, reached = GENESIS, []
    while len(followers := by_previous.get(head, [])) == 1 and len(reached) < len(events):
        reached.append(followers[0])
        head = followers[0].hash
    chain = Chain(ticket_id, len(events), head, frozenset(e.hash for e in events))
    if not events:
        problems.append(Problem(ticket_id, None, NO_EVENTS))
    elif len(reached) != len(events) or by_previous.get(head):
        stray = next((e for e in events if e not in reached), reached[-1] if reached else events[0])
        problems.append(Problem(ticket_id, stray.pk, BROKEN_LINK))
    elif seal_value != head_seal(ticket_id, head):
        problems.append(Problem(ticket_id, None, CUT_SHORT if seal_value else NO_SEAL))
    return problems, chain


def compare(before: Chain | None, now: Chain | None) -> list[Problem]:
    """A ticket's chain at the last check against now: a log only ever grows."""
    if before is None:
        return []
    if now is None:
        return [Problem(before.ticket_id, None, TICKET_GONE)]
    if now.length < before.length:
        values = {"before": before.length, "now": now.length}
        return [Problem(now.ticket_id, None, SHRUNK % values)]
    if before.head not in now.hashes:
        return [Problem(now.ticket_id, None, HEAD_GONE)]
    return []


def verify(tickets, events, *, before=(), record=None) -> Iterator[Problem]:
    """Check every ticket in `tickets` (pk, seal rows ordered by pk) against `events`
    (rows ordered by ticket): one pass over each, so memory holds one ticket's log.

    `before` holds the chains of the last check (ordered by ticket), to compare with;
    `record(chain)` is called with each ticket's chain as found now.
    """
    events, before = iter(events), iter(before)
    pending, last = next(events, None), next(before, None)
    for ticket_id, seal_value in tickets:
        own = []
        while pending is not None and pending.ticket_id <= ticket_id:
            if pending.ticket_id == ticket_id:
                own.append(pending)
            else:
                yield Problem(pending.ticket_id, pending.pk, ORPHAN)
            pending = next(events, None)
        problems, chain = verify_ticket(ticket_id, seal_value, own)
        yield from problems
        while last is not None and last.ticket_id < ticket_id:
            yield from compare(last, None)
            last = next(before, None)
        if last is not None and last.ticket_id == ticket_id:
            yield from compare(last, chain)
            last = next(before, None)
        if record is not None:
            record(Chain(chain.ticket_id, chain.length, chain.head))
    while pending is not None:
        yield Problem(pending.ticket_id, pending.pk, ORPHAN)
        pending = next(events, None)
    for gone in [last, *before] if last is not None else []:
        yield from compare(gone, None)
