"""Each figure against the same number counted another way (in Python over the rows)."""

import statistics
from datetime import timedelta

from django.utils import timezone

from dashboard import figures
from tickets import services
from tickets.models import OPEN_STATUSES, Status, Ticket, TicketEvent


def _spread(file, member, chamber_colleague, other_union_member, technical, aged):
    """A dozen tickets over months, categories, organisations and statuses."""
    made = []
    for n in range(12):
        by = [member, chamber_colleague, other_union_member][n % 3]
        extra = {"category": technical} if n % 4 == 0 else {}
        ticket = file(by=by, subject=f"T {n}", **extra)
        made.append(aged(ticket, days=n * 17 + 1, hours=n))
    return made


def test_open_by_status_matches_a_count_of_the_rows(
    file, member, chamber_colleague, other_union_member, technical, aged, responsible
):
    tickets = _spread(file, member, chamber_colleague, other_union_member, technical, aged)
    services.resolve(tickets[1], by=responsible, explanation="ok")
    services.request_info(tickets[2], by=responsible, body="?")
    services.reply(tickets[3], by=responsible, body="bakıyoruz")
    # when
    found = dict(figures.open_by_status(Ticket.objects.all()))
    # then
    rows = list(Ticket.objects.values_list("status", flat=True))
    assert found == {status: rows.count(status) for status in OPEN_STATUSES}
    assert sum(found.values()) == 11


def test_open_by_category_and_organisation_match_a_count_of_the_rows(
    file, member, chamber_colleague, other_union_member, technical, aged
):
    _spread(file, member, chamber_colleague, other_union_member, technical, aged)
    open_rows = list(Ticket.objects.filter(status__in=OPEN_STATUSES))
    for field in ("category", "organisation"):
        expected = {}
        for ticket in open_rows:
            key = getattr(ticket, f"{field}_id")
            expected[key] = expected.get(key, 0) + 1
        found = {key: n for key, _name, n in figures.open_by(Ticket.objects.all(), field)}
        assert found == expected


def test_weekly_filed_and_resolved_match_the_dates_bucketed_by_week(
    file, member, chamber_colleague, other_union_member, technical, aged, supervisor
):
    tickets = _spread(file, member, chamber_colleague, other_union_member, technical, aged)
    for ticket in tickets[:4]:
        services.resolve(ticket, by=supervisor, explanation="ok")
    since = figures.period_start()
    # when
    rows = figures.weekly(Ticket.objects.all(), since)
    # then
    assert len(rows) == figures.WEEKS

    def week_of(moment):
        day = timezone.localdate(moment)
        return day - timedelta(days=day.weekday())

    filed, resolved = {}, {}
    for ticket in Ticket.objects.all():
        if ticket.created_at >= since:
            filed[week_of(ticket.created_at)] = filed.get(week_of(ticket.created_at), 0) + 1
        if ticket.resolved_at and ticket.resolved_at >= since:
            key = week_of(ticket.resolved_at)
            resolved[key] = resolved.get(key, 0) + 1
    assert {week: n for week, n, _r in rows if n} == filed
    assert {week: r for week, _n, r in rows if r} == resolved
    assert sum(n for _w, n, _r in rows) < 12  # the oldest fall before the six months


def test_median_times_match_statistics_median_per_category(
    file, member, responsible, capacity, aged
):
    # given: five tickets answered and resolved after 1, 2, 4, 8, 16 hours
    made = []
    for hours in (1, 2, 4, 8, 16):
        ticket = file(subject=f"{hours} h")
        services.mark_read(ticket, by=responsible)
        services.reply(ticket, by=responsible, body="cevap")
        services.resolve(ticket, by=responsible, explanation="ok")
        made.append(aged(ticket, hours=hours))
    # when
    [row] = figures.durations(Ticket.objects.all(), figures.period_start())

    # then
    def median_hours(end_of):
        values = [(end_of(t) - t.created_at).total_seconds() / 3600 for t in Ticket.objects.all()]
        return round(statistics.median(values), 1)

    def first_answer(ticket):
        return TicketEvent.objects.filter(ticket=ticket, kind="replied").first().created_at

    assert row.category_id == capacity.pk
    assert row.to_read == median_hours(lambda t: t.read_at) == 4.0
    assert row.to_first_response == median_hours(first_answer)
    assert row.to_resolve == median_hours(lambda t: t.resolved_at)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(file, responsible, aged):
    for hours in (1, 3, 5, 100):
        ticket = file(subject=f"{hours} h")
        services.resolve(ticket, by=responsible, explanation="ok")
        aged(ticket, hours=hours)
    [row] = figures.durations(Ticket.objects.all(), figures.period_start())
    assert row.to_resolve == 4.0
    assert row.to_read is None
    assert row.to_first_response == 4.0  # a resolution answers the requester too


def test_first_response_is_the_clock_kept_on_the_ticket(file, aged):
    # given: answered three hours after filing, as sla/ stores it (start_missing fills
    # it so for tickets answered before the clocks were kept), with no event to show
    ticket = aged(file(), hours=5)
    Ticket.objects.filter(pk=ticket.pk).update(
        first_responded_at=ticket.created_at + timedelta(hours=3)
    )
    # when
    [row] = figures.durations(Ticket.objects.all(), figures.period_start())
    # then
    assert row.to_first_response == 3.0
    assert row.to_read is None and row.to_resolve is None


def test_first_response_ignores_the_requesters_side_and_internal_notes(
    file, member, chamber_colleague, responsible, aged
):
    ticket = file()
    services.reply(ticket, by=chamber_colleague, body="bir şey daha")
    services.reply(ticket, by=responsible, body="not", internal=True)
    aged(ticket, hours=10)
    assert figures.durations(Ticket.objects.all(), figures.period_start()) == []
    services.request_info(ticket, by=responsible, body="Hangi ürün?")
    [row] = figures.durations(Ticket.objects.all(), figures.period_start())
    assert row.to_first_response == 10.0


def test_oldest_open_and_filing_organisations_match_sorted_rows(
    file, member, chamber_colleague, other_union_member, technical, aged, responsible
):
    tickets = _spread(file, member, chamber_colleague, other_union_member, technical, aged)
    services.resolve(tickets[-1], by=responsible, explanation="ok")  # the oldest: not open
    oldest = figures.oldest_open(Ticket.objects.all())
    expected = sorted(
        Ticket.objects.filter(status__in=OPEN_STATUSES), key=lambda t: (t.created_at, t.pk)
    )[: figures.OLDEST]
    assert [t.pk for t in oldest] == [t.pk for t in expected]
    assert tickets[-1].pk not in [t.pk for t in oldest]

    since = figures.period_start()
    counts = {}
    for ticket in Ticket.objects.filter(created_at__gte=since):
        counts[ticket.organisation_id] = counts.get(ticket.organisation_id, 0) + 1
    found = figures.filing_organisations(Ticket.objects.all(), since)
    assert {key: n for key, _name, n in found} == counts
    assert [n for _k, _name, n in found] == sorted(counts.values(), reverse=True)


def test_a_closed_ticket_is_not_counted_open(ticket, responsible, member):
    services.resolve(ticket, by=responsible, explanation="ok")
    services.close(ticket, by=member)
    assert Ticket.objects.get().status == Status.CLOSED
    assert sum(n for _s, n in figures.open_by_status(Ticket.objects.all())) == 0


def test_within_target_matches_a_count_of_the_dues_met(
    file, member, chamber_colleague, other_union_member, technical, aged, responsible
):
    tickets = _spread(file, member, chamber_colleague, other_union_member, technical, aged)
    now = timezone.now()
    # Dues set as sla/ stores them: some met, some missed, some without targets.
    for n, ticket in enumerate(tickets[:10]):
        late = n % 3 == 0
        Ticket.objects.filter(pk=ticket.pk).update(
            first_response_due_at=now - timedelta(hours=5),
            first_responded_at=now - timedelta(hours=2 if late else 6),
            resolution_due_at=now - timedelta(hours=1) if n % 2 else None,
            status=Status.RESOLVED,
            resolved_at=now - timedelta(hours=0 if late else 3),
        )
    since = figures.period_start()

    found = {row.category_id: row for row in figures.within_target(Ticket.objects.all(), since)}

    rows = Ticket.objects.filter(created_at__gte=since)
    for category_id in {t.category_id for t in rows}:
        mine = [t for t in rows if t.category_id == category_id]
        answered = [t for t in mine if t.first_response_due_at and t.first_responded_at]
        resolved = [t for t in mine if t.resolution_due_at and t.resolved_at]
        row = found[category_id]
        assert row.responded == len(answered)
        assert row.responded_in_time == sum(
            t.first_responded_at <= t.first_response_due_at for t in answered
        )
        assert row.resolved == len(resolved)
        assert row.resolved_in_time == sum(t.resolved_at <= t.resolution_due_at for t in resolved)
    assert sum(row.responded for row in found.values()) > 0
