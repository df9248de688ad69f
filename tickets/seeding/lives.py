"""The story of one generated ticket: who filed it, what happened to it and when.

Each step follows the workflow as the services would take it (a handler's first
answer or an assignment takes it into work, the member's answer gives an information
request back, a resolved ticket closes when the member confirms it or its reopen
window passes), and moves the clock on. The story ends where the clock passes the
end of the generated period, or where somebody stopped answering: that leaves the
recent tickets, and a few forgotten ones, open.
"""

import contextlib
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from tickets.models import Channel, EventKind, Priority, Status
from tickets.uploads import suffix

from . import texts
from .directory import Cast

PRIORITIES = ((Priority.LOW, 20), (Priority.MEDIUM, 55), (Priority.HIGH, 25))
CHANNELS = ((Channel.WEB, 82), (Channel.EMAIL, 8), (Channel.PHONE, 7), (Channel.VISIT, 3))
SUGGESTION_SHARE = 0.2
# Where a forgotten ticket stops: before anybody read it, read but not taken, taken but
# never resolved, or waiting for a member who never answered.
STALLS = ("unread", "untaken", "unresolved", "unanswered")


@dataclass(slots=True)
class Document:
    uploaded_by_id: int
    original_name: str
    content_type: str
    is_image: bool
    size: int
    internal: bool
    created_at: datetime
    file: str
    id: int = 0
    ticket_id: int = 0
    event_id: int = 0


@dataclass(slots=True)
class Event:
    """An action log entry; the attribute names are those `logchain` reads."""

    kind: str
    actor_id: int | None
    created_at: datetime
    note: str = ""
    internal: bool = False
    data: dict = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    submission: None = None
    id: int = 0
    ticket_id: int = 0
    note_digest: str = ""
    previous_hash: str = ""
    hash: str = ""


@dataclass(slots=True)
class Life:
    requester_id: int
    organisation_id: int
    category_id: int
    kind_id: int
    priority: str
    channel: str
    subject: str
    description: str
    created_at: datetime
    status: str = Status.WAITING
    assignee_id: int | None = None
    read_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    events: list[Event] = field(default_factory=list)


class _Over(Exception):  # noqa: N818 - not an error: the story ends here
    """The clock passed the end of the period, or nobody acts on the ticket any more."""


def _hours(rng: random.Random, median: float, spread: float = 1.0) -> float:
    return rng.lognormvariate(math.log(median), spread)


class Story:
    def __init__(self, rng: random.Random, cast: Cast, created_at: datetime, until: datetime):
        self.rng, self.cast, self.until = rng, cast, until
        self.clock = created_at
        self.window = timedelta(days=settings.HELPDESK_REOPEN_DAYS)
        self.lang = texts.language(rng)
        category, name = cast.category(rng)
        suggestion = rng.random() < SUGGESTION_SHARE
        subject, description = texts.ticket(rng, texts.topic(name), self.lang, suggestion)
        requester, organisation = cast.requester(rng)
        self.life = Life(
            requester_id=requester,
            organisation_id=organisation,
            category_id=category,
            kind_id=cast.suggestion if suggestion else cast.problem,
            priority=rng.choices(*zip(*PRIORITIES, strict=True))[0],
            channel=rng.choices(*zip(*CHANNELS, strict=True))[0],
            subject=subject,
            description=description,
            created_at=created_at,
        )
        # Forgotten tickets are fewer the older they are: somebody tidies up in the end.
        age = (until - created_at).days
        forgotten = rng.random() < 0.06 + 0.3 * math.exp(-age / 45)
        self.stall = rng.choice(STALLS) if forgotten else None

    # Each step: the clock moves on first; past the end, the step never happened.
    def log(self, kind, actor, hours=0.0, **fields) -> Event:
        at = self.clock + timedelta(hours=hours, microseconds=self.rng.randrange(1, 10**6))
        if at > self.until:
            raise _Over
        self.clock = at
        event = Event(kind=kind, actor_id=actor, created_at=at, **fields)
        self.life.events.append(event)
        return event

    def stop_if(self, stage: str) -> None:
        if self.stall == stage:
            raise _Over

    def said(self, what: str) -> str:
        return texts.said(self.rng, self.lang, what)

    def documents(self, event: Event, by: int, count: int, *, internal=False) -> None:
        for _ in range(count):
            name, content_type, is_image, size = texts.document(self.rng)
            stored = f"{self.rng.getrandbits(128):032x}"
            event.documents.append(
                Document(
                    uploaded_by_id=by,
                    original_name=name,
                    content_type=content_type,
                    is_image=is_image,
                    size=size,
                    internal=internal,
                    created_at=event.created_at,
                    file=f"attachments/{stored[:2]}/{stored}.{suffix(content_type, name)}",
                )
            )

    def handler(self) -> int:
        life = self.life
        return life.assignee_id or self.cast.handler(self.rng, life.category_id)

    def take(self, status: str) -> None:
        """A handler's assignment or first answer takes an untaken ticket into work."""
        if status in (Status.WAITING, Status.REDIRECTED):
            self.life.status = Status.IN_PROGRESS

    # The steps, as the services take them.
    def file(self) -> None:
        life, rng = self.life, self.rng
        on_behalf = life.channel in (Channel.PHONE, Channel.VISIT)
        by = self.cast.handler(rng, life.category_id) if on_behalf else life.requester_id
        self.log(EventKind.CREATED, by, data={"channel": life.channel})
        if on_behalf:  # the handler who took the call keeps it and opens its page
            self.assign(by, by, hours=0.01)
            self.read(by, hours=0.01)
        elif life.channel == Channel.WEB and rng.random() < 0.25:
            for _ in range(rng.choice((1, 1, 2))):
                event = self.log(EventKind.ATTACHED, by, 0.02)
                self.documents(event, by, 1)
                event.note = event.documents[0].original_name

    def read(self, by: int, hours: float) -> None:
        event = self.log(EventKind.READ, by, hours)
        self.life.read_at = event.created_at

    def assign(self, by: int, to: int, hours: float) -> None:
        self.log(EventKind.ASSIGNED, by, hours, data={"to": to})
        self.life.assignee_id = to
        self.take(self.life.status)

    def reply(self, by: int, hours: float, what: str, *, documents=0) -> None:
        """A public reply: a handler's `handler` answer, or the member's `member` reply or
        `answer` to an information request."""
        event = self.log(EventKind.REPLIED, by, hours, note=self.said(what))
        self.documents(event, by, documents)
        if what == "handler":
            self.take(self.life.status)
        elif self.life.status == Status.INFO_REQUESTED:
            self.life.status = Status.IN_PROGRESS

    def redirect(self, by: int, hours: float) -> None:
        life = self.life
        category, _ = self.cast.category(self.rng, other_than=life.category_id)
        data = {"from": life.category_id, "to": category}
        if life.assignee_id and life.assignee_id not in self.cast.teams.get(category, ()):
            data["unassigned"] = life.assignee_id
        self.log(EventKind.REDIRECTED, by, hours, note=self.said("redirect"), data=data)
        life.category_id = category
        if "unassigned" in data:
            life.assignee_id = None
        life.status = Status.REDIRECTED

    def resolve(self, by: int, hours: float) -> None:
        what = "adopted" if self.life.kind_id == self.cast.suggestion else "resolution"
        event = self.log(EventKind.RESOLVED, by, hours, note=self.said(what))
        self.life.status, self.life.resolved_at = Status.RESOLVED, event.created_at

    def close(self, reopenable: bool) -> None:
        """The member confirms, reopens within the window, or lets the window pass."""
        life, rng = self.life, self.rng
        window = self.window / timedelta(hours=1)
        draw = rng.random()
        if draw < 0.4:
            event = self.log(EventKind.CLOSED, life.requester_id, min(_hours(rng, 8), window - 1))
        elif draw < 0.46 and reopenable:
            reason = self.said("reopen")
            self.log(EventKind.REOPENED, life.requester_id, rng.uniform(1, window - 1), note=reason)
            life.status, life.resolved_at = Status.IN_PROGRESS, None
            handler = self.handler()
            self.reply(handler, _hours(rng, 4), "handler")
            self.resolve(handler, _hours(rng, 12))
            return self.close(reopenable=False)
        else:  # close_resolved, run every few minutes, once the window has passed
            event = self.log(EventKind.CLOSED, None, window + rng.uniform(0.02, 0.5))
        life.status, life.closed_at = Status.CLOSED, event.created_at

    def run(self) -> None:
        life, rng = self.life, self.rng
        self.file()
        self.stop_if("unread")
        handler = self.handler()
        if life.read_at is None:
            self.read(handler, _hours(rng, 3, 1.3))
        if rng.random() < 0.1:
            other = rng.choice([p for p, _ in PRIORITIES if p != life.priority])
            data = {"from": life.priority, "to": other}
            self.log(EventKind.PRIORITY_CHANGED, handler, 0.1, data=data)
            life.priority = other
        if rng.random() < 0.07:
            self.redirect(handler, _hours(rng, 1))
            handler = self.cast.handler(rng, life.category_id)
        self.stop_if("untaken")
        if life.assignee_id is None and rng.random() < 0.6:
            self.assign(handler, handler, _hours(rng, 2))
        else:
            self.reply(handler, _hours(rng, 3), "handler")
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            self.converse(handler)
        self.stop_if("unresolved")
        self.resolve(handler, _hours(rng, 16, 1.2))
        self.close(reopenable=True)

    def converse(self, handler: int) -> None:
        """One round: perhaps an internal note, then a question and its answer, or a reply."""
        life, rng = self.life, self.rng
        if rng.random() < 0.2:
            note = self.log(
                EventKind.NOTE, handler, _hours(rng, 1), note=self.said("note"), internal=True
            )
            self.documents(note, handler, int(rng.random() < 0.2), internal=True)
        if rng.random() < 0.4:
            self.log(EventKind.INFO_REQUESTED, handler, _hours(rng, 4), note=self.said("info"))
            life.status = Status.INFO_REQUESTED
            self.stop_if("unanswered")
            documents = int(rng.random() < 0.3)
            self.reply(life.requester_id, _hours(rng, 10), "answer", documents=documents)
        else:
            self.reply(handler, _hours(rng, 6), "handler")
            if rng.random() < 0.5:
                self.reply(life.requester_id, _hours(rng, 8), "member")


def live(rng: random.Random, cast: Cast, created_at: datetime, until: datetime) -> Life:
    """The ticket filed at `created_at`, as it stands at `until`."""
    story = Story(rng, cast, created_at, until)
    with contextlib.suppress(_Over):
        story.run()
    return story.life
