"""Each ticket's clocks: started when it is filed, paused while it waits for the member
(`info_requested`) and after `resolved`, resumed on the member's answer or a reopen,
moved when its priority or category changes, recomputed when a calendar or a
contract's service levels change. The targets and the calendar come from the most
specific rule: the contract the ticket's organisation works under, then its category
(and kind), then the deployment's defaults.

Every due is computed from scratch from the same facts (the start, the targets, the
calendar, the pauses so far): a resume, a move and a calendar edit are one computation,
and a pause over a holiday costs only the working time it held. The results are stored
on the ticket through `tickets.services.set_service_level`, which logs the change.

A recompute over many tickets (`recompute`, `start_missing`, and the admin's job in
recomputing.py) goes a batch of tickets per transaction, each batch's tickets locked
before they are read: it may run twice, or beside a change of one of its tickets.
"""

import functools
import operator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from common.prepared import Prepared
from tickets import filing, services
from tickets.models import OPEN_STATUSES, Contract, EventKind, Status, Ticket

from . import rules, worktime
from .models import Calendar, Clock, ClockKind, ContractCalendar, Pause, Target

# The clocks stand still in these statuses: the ticket waits for the member, or for
# the member's confirmation of the resolution.
PAUSING = frozenset({Status.INFO_REQUESTED, Status.RESOLVED})


def contract_for(ticket: Ticket) -> Contract | None:
    """The contract whose service levels the ticket's organisation gets, if any."""
    return _contract_of(ticket.organisation_id)


def _own_levels() -> Q:
    """The condition on Contract: it carries service levels of its own (targets or a
    calendar)."""
    return Exists(Target.objects.filter(contract=OuterRef("pk"))) | Exists(
        ContractCalendar.objects.filter(contract=OuterRef("pk"))
    )


def _contract_of(organisation_id: int) -> Contract | None:
    # An organisation may work under several active contracts: of those that carry
    # service levels of their own, the one with the lowest number applies. Numbers are
    # unique, so every ticket of the organisation gets the same one, whichever way it
    # is asked, until the contracts themselves change.
    if not rules.current().contracts_with_levels():
        return None  # most deployments: no query
    return filing.contracts(organisation_id).filter(_own_levels()).order_by("number").first()


def calendar_for(category_id: int, contract_id: int | None = None) -> Calendar | None:
    """The contract's own calendar, else the category's, else the deployment's default."""
    return rules.current().calendar(category_id, contract_id)


def target_for(
    *, priority: str, category_id: int, kind_id: int, contract_id: int | None = None
) -> Target | None:
    """The most specific target: the contract's counts most, then the category's, then
    the kind's, then the priority's alone."""
    return rules.current().target(
        priority=priority, category_id=category_id, kind_id=kind_id, contract_id=contract_id
    )


def _rules(
    ticket: Ticket, *, contract_of=_contract_of, calendar_of=calendar_for, target_of=target_for
) -> tuple[Calendar | None, Target | None]:
    """The calendar and the target that apply to `ticket` now (a run over many tickets
    hands in cached look-ups)."""
    contract = contract_of(ticket.organisation_id)
    contract_id = contract.pk if contract is not None else None
    calendar = calendar_of(ticket.category_id, contract_id)
    target = target_of(
        priority=ticket.priority,
        category_id=ticket.category_id,
        kind_id=ticket.kind_id,
        contract_id=contract_id,
    )
    return calendar, target


def cached_rules():
    """`_rules` for a run over many tickets: each look-up once per organisation,
    category and contract for the whole run, and one instance per calendar (its
    schedule worked out once)."""
    calendars: dict[int, Calendar] = {}
    # Most organisations work under no such contract: one query says which do.
    under = organisations_under(Contract.objects.filter(_own_levels(), is_active=True).values("pk"))

    def contract_of(organisation_id: int) -> Contract | None:
        return _contract_of(organisation_id) if organisation_id in under else None

    def calendar_of(category_id: int, contract_id: int | None = None) -> Calendar | None:
        calendar = calendar_for(category_id, contract_id)
        return None if calendar is None else calendars.setdefault(calendar.pk, calendar)

    return functools.partial(
        _rules,
        contract_of=functools.cache(contract_of),
        calendar_of=functools.cache(calendar_of),
        target_of=functools.cache(target_for),
    )


def organisations_under(contract_ids) -> set[int]:
    """The organisations whose tickets the contracts' service levels concern: their
    customers and the organisations working under them."""
    rows = Contract.objects.filter(pk__in=contract_ids).values_list("customer_id", "organisations")
    return {pk for row in rows for pk in row if pk is not None}


def tickets_reached(scopes) -> Q | None:
    """The tickets that targets of `scopes` ((priority, category id, kind id); an id of
    None for any) may apply to, as a filter on Ticket; None for no scopes. A more
    specific target may still win over them: `recompute` picks what applies."""
    parts = [
        Q(
            priority=priority,
            **({"category_id": category_id} if category_id is not None else {}),
            **({"kind_id": kind_id} if kind_id is not None else {}),
        )
        for priority, category_id, kind_id in set(scopes)
    ]
    return functools.reduce(operator.or_, parts) if parts else None


def _pauses(ticket: Ticket) -> list[Pause]:
    return list(Pause.objects.filter(ticket_id=ticket.pk).order_by("started_at"))


def dues(clock: Clock, ticket: Ticket, pauses: list[Pause], *, responded=None) -> dict:
    """The ticket's clock fields, computed afresh from `clock` and `pauses`;
    `responded`: whether the first response came (None: as the ticket says)."""
    if responded is None:
        responded = ticket.first_responded_at is not None
    return due_fields(
        clock.calendar.schedule(),
        clock.started_at,
        (clock.first_response_target, clock.resolution_target),
        [(p.started_at, p.ended_at) for p in pauses],
        closed=ticket.status == Status.CLOSED,
        responded=responded,
    )


def due_fields(
    schedule: worktime.Schedule,
    started_at: datetime,
    targets: tuple[timedelta, timedelta],
    pauses: list[tuple[datetime, datetime | None]],
    *,
    closed: bool,
    responded: bool,
) -> dict:
    """The clock fields of a ticket whose clock started at `started_at` with `targets`
    (first response, resolution) and stood still in `pauses` (in order; the one still
    going ends in None)."""
    held = [(start, end) for start, end in pauses if end is not None]
    paused_at = next((start for start, end in pauses if end is None), None)
    first_response = worktime.add(schedule, started_at, targets[0], held)
    resolution = worktime.add(schedule, started_at, targets[1], held)
    running = paused_at is None and not closed
    pending = [resolution] if responded else [first_response, resolution]
    return {
        "first_response_due_at": first_response,
        "resolution_due_at": resolution,
        "due_at": min(pending) if running else None,
        "sla_paused_at": paused_at,
    }


def _store(ticket: Ticket, clock: Clock, change: str, *, held=False, pauses=None, **data) -> None:
    """Compute and store the ticket's dues; `held`: as for `set_service_level`;
    `pauses`: the ticket's, when the caller knows them."""
    try:
        fields = dues(clock, ticket, _pauses(ticket) if pauses is None else pauses)
    except worktime.NoWorkingTime:
        return  # a calendar without working time counts nothing; its admin is told
    moved = any(
        getattr(ticket, name) != fields[name]
        for name in ("first_response_due_at", "resolution_due_at")
    )
    if change == "moved" and not moved:
        change = ""  # nothing to tell
    if change in ("started", "moved", "resumed"):
        data["first_response_due"] = fields["first_response_due_at"].isoformat()
        data["resolution_due"] = fields["resolution_due_at"].isoformat()
    services.set_service_level(ticket, clocks=fields, change=change, data=data, held=held)


def start(ticket: Ticket, *, filed=False) -> Clock | None:
    """Start the clocks of a ticket from its filing, if a target and a calendar apply;
    `filed`: the ticket is being filed, by the service that holds its row (no pauses
    yet, nothing to read again)."""
    calendar, target = _rules(ticket)
    if calendar is None or target is None:
        return None
    clock = Clock.objects.create(
        ticket=ticket,
        started_at=ticket.created_at,
        calendar=calendar,
        first_response_minutes=target.first_response_minutes,
        resolution_minutes=target.resolution_minutes,
    )
    if filed:
        _store(ticket, clock, "started", held=True, pauses=[])
    else:
        _store(ticket, clock, "started")
    return clock


def _clock(ticket: Ticket) -> Clock | None:
    return Clock.objects.select_related("calendar").filter(ticket_id=ticket.pk).first()


def status_changed(sender, *, ticket: Ticket, old, new, **kwargs) -> None:
    if old is None:
        start(ticket, filed=True)
        return
    now = timezone.now()
    if new in PAUSING and old not in PAUSING:
        Pause.objects.create(ticket=ticket, started_at=now)
        change = "paused"
    elif old in PAUSING and new not in PAUSING and new != Status.CLOSED:
        Pause.objects.filter(ticket_id=ticket.pk, ended_at__isnull=True).update(ended_at=now)
        change = "resumed"
    else:
        return
    clock = _clock(ticket)
    if clock is not None:
        _store(ticket, clock, change, held=True)


def handler_responded(sender, *, ticket: Ticket, **kwargs) -> None:
    """The first public answer of a handler meets the first response clock."""
    if ticket.first_responded_at is not None:
        return
    clock = _clock(ticket)
    # Stored on the ticket by set_service_level, which writes only what differs.
    responded_at = timezone.now()
    if clock is None:
        services.set_service_level(ticket, clocks={"first_responded_at": responded_at}, held=True)
        return
    try:
        fields = dues(clock, ticket, _pauses(ticket), responded=True)
    except worktime.NoWorkingTime:
        fields = {"first_response_due_at": ticket.first_response_due_at}
    fields["first_responded_at"] = responded_at
    due = fields["first_response_due_at"]
    met = due is None or fields["first_responded_at"] <= due
    services.set_service_level(
        ticket,
        clocks=fields,
        change="responded",
        data={"clock": ClockKind.FIRST_RESPONSE, "met": met},
        held=True,
    )


def field_changed(sender, *, ticket: Ticket, field: str, **kwargs) -> None:
    """A new priority or category: its target (and the category's calendar) apply
    from the filing on, as if they had been chosen then."""
    if field not in ("priority", "category"):
        return
    clock = _clock(ticket)
    if clock is None:
        start(ticket)
        return
    retarget(clock, ticket)
    _store(ticket, clock, "moved", held=True, reason=field)


def retarget(clock: Clock, ticket: Ticket) -> None:
    """Point `clock` at the ticket's current calendar and targets (kept when none
    applies any more: a clock never silently stops)."""
    calendar, target = _rules(ticket)
    if calendar is not None:
        clock.calendar = calendar
    if target is not None:
        clock.first_response_minutes = target.first_response_minutes
        clock.resolution_minutes = target.resolution_minutes
    clock.save(update_fields=["calendar", "first_response_minutes", "resolution_minutes"])


# Tickets a batch of a recompute or a start locks and moves in one transaction: a few
# hundred, so that no ticket waits long for it (a handler's change of one of them
# waits for the batch to commit).
BATCH = 200


def clocks_in(
    *,
    calendar_ids=None,
    category_ids=None,
    organisation_ids=None,
    tickets: Q | None = None,
    targets: bool = False,
):
    """The clocks a recompute goes through: of the tickets not yet closed (open ones
    only with `targets`: a resolved ticket was measured against the targets in force),
    of the calendars, categories or organisations given, or matching the Ticket filter
    `tickets`."""
    clocks = Clock.objects.exclude(ticket__status=Status.CLOSED)
    if targets:
        clocks = clocks.filter(ticket__status__in=OPEN_STATUSES)
    if calendar_ids is not None:
        clocks = clocks.filter(calendar_id__in=calendar_ids)
    if category_ids is not None:
        clocks = clocks.filter(ticket__category_id__in=category_ids)
    if organisation_ids is not None:
        clocks = clocks.filter(ticket__organisation_id__in=organisation_ids)
    if tickets is not None:
        clocks = clocks.filter(ticket__in=Ticket.objects.filter(tickets))
    return clocks


def recompute(*, targets: bool = False, batch: int = BATCH, **which) -> int:
    """Recompute the dues of the clocks `clocks_in(targets=targets, **which)`, a batch
    per transaction; returns how many moved. A ticket moves to the calendar that now
    applies to it (its contract's, its category's or the default); its targets stay as
    they were unless `targets` is set (targets changed: they apply from the filing on,
    as a new priority's do)."""
    scope = clocks_in(targets=targets, **which)
    moved, after = 0, 0
    while True:
        with transaction.atomic():
            after, moved_now = recompute_batch(scope, after=after, targets=targets, size=batch)
        if after is None:
            return moved
        moved += moved_now


def recompute_batch(scope, *, after: int, targets: bool, size: int = BATCH):
    """Recompute the next `size` clocks of `scope` (a Clock queryset) past the clock
    `after`; returns (the last clock's pk, or None when none was left; how many moved).
    Call it in a transaction: it locks their tickets until the commit.

    Safe to run twice, or at once with another run: the tickets are locked first and
    read after, so a second run finds their dues computed already and logs nothing."""
    rows = list(scope.filter(pk__gt=after).order_by("pk").values_list("pk", "ticket_id")[:size])
    if not rows:
        return None, 0
    _lock([ticket_id for _pk, ticket_id in rows])
    # The rules as they are now, read once for the batch: a later change of them has a
    # recompute of its own, which waits for these tickets' locks.
    rules_of = cached_rules()
    calendars: dict[int, Calendar] = {}
    moved = 0
    # The batch's pauses in one query, not one a ticket.
    pauses: dict[int, list[Pause]] = {}
    for pause in Pause.objects.filter(ticket_id__in=[t for _pk, t in rows]).order_by("started_at"):
        pauses.setdefault(pause.ticket_id, []).append(pause)
    batch = scope.filter(pk__in=[pk for pk, _ticket_id in rows]).select_related("ticket")
    for clock in batch.order_by("pk"):
        ticket = clock.ticket
        calendar, target = rules_of(ticket)
        calendar = calendar or clock.calendar
        kept = (clock.calendar_id, clock.first_response_minutes, clock.resolution_minutes)
        # One schedule per calendar for the whole batch, not per ticket.
        clock.calendar = calendars.setdefault(calendar.pk, calendar)
        if targets and target is not None:
            clock.first_response_minutes = target.first_response_minutes
            clock.resolution_minutes = target.resolution_minutes
        rules_now = (calendar.pk, clock.first_response_minutes, clock.resolution_minutes)
        if rules_now != kept:  # a repeated run writes nothing
            Clock.objects.filter(pk=clock.pk).update(
                calendar=calendar,
                first_response_minutes=clock.first_response_minutes,
                resolution_minutes=clock.resolution_minutes,
            )
        before = (ticket.first_response_due_at, ticket.resolution_due_at)
        reason = "targets" if targets else "calendar"
        _store(ticket, clock, "moved", pauses=pauses.get(ticket.pk, []), reason=reason)
        moved += before != (ticket.first_response_due_at, ticket.resolution_due_at)
    return rows[-1][0], moved


def _lock(ticket_ids: list[int]) -> None:
    """Lock the tickets, in pk order as every batch does (two batches never wait for
    each other in a circle)."""
    locked = Ticket.objects.select_for_update(of=("self",)).filter(pk__in=ticket_ids)
    list(locked.order_by("pk").values_list("pk", flat=True))


ANSWERS = (EventKind.REPLIED, EventKind.INFO_REQUESTED, EventKind.RESOLVED)


def without_clocks(*, organisation_ids=None, tickets: Q | None = None):
    """The tickets not yet closed that have no clocks (filed before service levels were
    set up, or before a target applied to them); of the organisations given, or
    matching the Ticket filter `tickets`."""
    waiting = Ticket.objects.exclude(status=Status.CLOSED).filter(sla_clock__isnull=True)
    if organisation_ids is not None:
        waiting = waiting.filter(organisation_id__in=organisation_ids)
    if tickets is not None:
        waiting = waiting.filter(tickets)
    return waiting


def start_missing(now: datetime | None = None, *, batch: int = BATCH, **which) -> int:
    """Start the clocks of the tickets `without_clocks(**which)`, a batch per
    transaction; returns how many started."""
    scope = without_clocks(**which)
    started, after = 0, 0
    while True:
        with transaction.atomic():
            after, started_now = start_batch(scope, after=after, now=now, size=batch)
        if after is None:
            return started
        started += started_now


def start_batch(scope, *, after: int, now: datetime | None = None, size: int = BATCH):
    """Start the clocks of the next `size` tickets of `scope` (tickets without clocks)
    past the ticket `after`: from their filing, answered at their first public answer
    from outside the requester's organisation, paused from `now` on if they wait for
    the member. Returns (the last ticket's pk, or None when none was left; how many
    started). Call it in a transaction; safe to repeat, like `recompute_batch`."""
    now = now or timezone.now()
    ids = list(scope.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size])
    if not ids:
        return None, 0
    _lock(ids)
    started = 0
    for ticket in scope.filter(pk__in=ids).order_by("pk"):
        answer = (
            ticket.events.filter(kind__in=ANSWERS, internal=False, actor__isnull=False)
            .exclude(actor__organisation_id=ticket.organisation_id)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if answer and ticket.first_responded_at is None:
            services.set_service_level(ticket, clocks={"first_responded_at": answer})
        if ticket.status in PAUSING and not Pause.objects.filter(ticket=ticket).exists():
            Pause.objects.create(ticket=ticket, started_at=now)
        started += start(ticket) is not None
    return ids[-1], started


@dataclass(frozen=True)
class Reading:
    """One clock as the ticket's page shows it."""

    kind: str
    label: str
    target: timedelta
    due: datetime
    used: timedelta  # working time counted so far (or until it was met)
    met_at: datetime | None
    paused: bool
    overdue: bool

    @property
    def state(self) -> str:
        if self.met_at is not None:
            return "met" if self.met_at <= self.due else "met_late"
        if self.paused:
            return "paused"
        return "overdue" if self.overdue else "running"


def _clock_with_pauses(ticket_id):
    """The ticket's clock with its calendar, a row for each of its pauses, in order."""
    return (
        Clock.objects.filter(ticket_id=ticket_id)
        .select_related("calendar")
        .annotate(
            pause_start=F("ticket__sla_pauses__started_at"),
            pause_end=F("ticket__sla_pauses__ended_at"),
        )
        .order_by("pause_start", "ticket__sla_pauses__pk")
    )


_CLOCK_WITH_PAUSES = Prepared(_clock_with_pauses)  # a handler's every ticket page reads it


def _clock_and_pauses(ticket: Ticket) -> tuple[Clock | None, list[tuple]]:
    """The ticket's clock with its calendar, and its pauses as (start, end) in order: one
    query, a row for each pause."""
    rows = _CLOCK_WITH_PAUSES.rows(ticket.pk)
    pauses = [(row.pause_start, row.pause_end) for row in rows if row.pause_start is not None]
    return (rows[0] if rows else None), pauses


def readings(ticket: Ticket, now: datetime | None = None) -> tuple[list[Reading], timedelta]:
    """The ticket's clocks and the working time they stood still; ([], 0) without clocks."""
    if ticket.resolution_due_at is None:
        return [], timedelta(0)  # no clock, or one whose calendar counts nothing
    clock, pauses = _clock_and_pauses(ticket)
    if clock is None:
        return [], timedelta(0)
    now = now or timezone.now()
    try:
        schedule = clock.calendar.schedule()
    except worktime.NoWorkingTime:
        return [], timedelta(0)
    held = [(start, end or now) for start, end in pauses]
    paused = ticket.sla_paused_at is not None
    held_time = sum((worktime.between(schedule, start, end) for start, end in held), timedelta(0))
    until = ticket.sla_paused_at or now
    first_met = ticket.first_responded_at
    resolution_met = (
        ticket.resolved_at if ticket.status in (Status.RESOLVED, Status.CLOSED) else None
    )
    result = [
        Reading(
            ClockKind.FIRST_RESPONSE,
            ClockKind.FIRST_RESPONSE.label,
            clock.first_response_target,
            ticket.first_response_due_at,
            worktime.between(schedule, clock.started_at, first_met or until, held),
            first_met,
            paused and first_met is None,
            until > ticket.first_response_due_at,
        ),
        Reading(
            ClockKind.RESOLUTION,
            ClockKind.RESOLUTION.label,
            clock.resolution_target,
            ticket.resolution_due_at,
            worktime.between(schedule, clock.started_at, resolution_met or until, held),
            resolution_met,
            paused and resolution_met is None,
            until > ticket.resolution_due_at,
        ),
    ]
    return result, held_time
