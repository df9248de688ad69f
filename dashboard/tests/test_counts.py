"""The kept counts (counts.py) after each change that moves them: every figure they give
equals the same figure counted over the tickets (figures.py), for everything and for
each category, and the rows equal a fresh count of the tickets (`fill`)."""

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from categories.models import Category
from dashboard import counts, figures
from dashboard.models import DayCount, OpenCount, OpenTotal
from tickets import relations, services
from tickets.models import OPEN_STATUSES, Status, Ticket
from tickets.tests.test_seed_bulk import seed_bulk


def _rows():
    days = {
        (r.category_id, r.day): (r.filed, r.resolved)
        for r in DayCount.objects.all()
        if r.filed or r.resolved
    }
    opened = {
        (r.category_id, r.organisation_id, r.status): r.tickets
        for r in OpenCount.objects.all()
        if r.tickets
    }
    return days, opened


def assert_counts_agree():
    since = figures.period_start()
    scopes = [None, *({pk} for pk in Category.objects.values_list("pk", flat=True))]
    for categories in scopes:
        tickets = Ticket.objects.all()
        if categories is not None:
            tickets = tickets.filter(category_id__in=categories)
        assert counts.open_by_status(categories) == figures.open_by_status(tickets)
        for field in ("category", "organisation"):
            assert counts.open_by(categories, None, field) == figures.open_by(tickets, field)
        assert counts.weekly(categories, since) == figures.weekly(tickets, since)
    for organisation_id in Ticket.objects.values_list("organisation_id", flat=True).distinct():
        tickets = Ticket.objects.filter(organisation_id=organisation_id)
        mine = frozenset({organisation_id})
        assert counts.open_by_status(None, mine) == figures.open_by_status(tickets)
        for field in ("category", "organisation"):
            assert counts.open_by(None, mine, field) == figures.open_by(tickets, field)
    kept = _rows()
    counts.fill()
    assert kept == _rows()


@pytest.fixture
def two(file, member, other_union_member):
    return file(subject="İnegöl"), file(by=other_union_member, subject="Ankara")


def test_filing_counts_the_ticket_filed_and_open(two):
    assert_counts_agree()
    assert counts.open_by_status(None)[0] == (Status.WAITING, 2)
    assert (
        sum(filed for _week, filed, _resolved in counts.weekly(None, figures.period_start())) == 2
    )


def test_a_filing_moves_the_counts_by_four_statements(file, member):
    """Each table's rows created, locked and moved by one upsert; the day's recounted and
    written by one UPDATE after its lock."""
    file(subject="Birinci")  # the day's and the open statuses' rows exist from now on

    with CaptureQueriesContext(connection) as queries:
        file(subject="İkinci")

    touched = [q["sql"] for q in queries.captured_queries if '"dashboard_' in q["sql"]]
    assert [sql.split(" ", 3)[:3] for sql in touched] == [
        ["INSERT", "INTO", '"dashboard_opentotal"'],
        ["INSERT", "INTO", '"dashboard_opencount"'],
        ["INSERT", "INTO", '"dashboard_daycount"'],
        ["UPDATE", '"dashboard_daycount"', "SET"],
    ]
    assert_counts_agree()


def test_taking_into_work_and_asking_for_information_move_the_open_status(two, responsible):
    services.reply(two[0], by=responsible, body="Bakıyoruz")
    services.request_info(two[1], by=responsible, body="Hangi belge?")
    assert_counts_agree()
    assert dict(counts.open_by_status(None)) == {
        Status.WAITING: 0,
        Status.IN_PROGRESS: 1,
        Status.INFO_REQUESTED: 1,
        Status.REDIRECTED: 0,
    }


def test_a_count_never_filled_stays_at_zero_and_the_change_goes_through(two, responsible):
    # given: counts emptied behind the services' back (a restore, a table cleared)
    OpenCount.objects.update(tickets=0)
    OpenTotal.objects.update(tickets=0)

    # when: a ticket leaves its status, which takes one from a count of none
    services.reply(two[0], by=responsible, body="Bakıyoruz")

    # then: the change is made; the count it left stays at zero, the one it entered is 1
    assert Ticket.objects.get(pk=two[0].pk).status == Status.IN_PROGRESS
    assert dict(counts.open_by_status(None))[Status.WAITING] == 0
    assert dict(counts.open_by_status(None))[Status.IN_PROGRESS] == 1


def test_resolving_counts_it_resolved_and_no_longer_open(two, responsible):
    services.resolve(two[0], by=responsible, explanation="Tamam")
    assert_counts_agree()
    weeks = counts.weekly(None, figures.period_start())
    assert weeks[-1][2] == 1
    assert sum(n for _status, n in counts.open_by_status(None)) == 1


def test_a_ticket_resolved_days_after_its_filing_counts_on_each_day_once(two, responsible, aged):
    aged(two[0], days=2)

    services.resolve(two[0], by=responsible, explanation="Tamam")

    assert_counts_agree()
    today, filed_on = timezone.localdate(), timezone.localdate(two[0].created_at)
    days = {row.day: (row.filed, row.resolved) for row in DayCount.objects.all()}
    assert days[today] == (1, 1)  # the other ticket filed, this one resolved
    assert days[filed_on] == (1, 0)


def test_reopening_takes_the_resolution_back_from_the_day_it_was_resolved(
    two, responsible, member, aged
):
    services.resolve(two[0], by=responsible, explanation="Tamam")
    aged(two[0], days=2)  # filed two days before it was resolved
    services.reopen(two[0], by=member, body="Olmadı")
    assert_counts_agree()
    assert counts.weekly(None, figures.period_start())[-1][2] == 0
    assert dict(counts.open_by_status(None))[Status.IN_PROGRESS] == 1


def test_resolving_again_after_a_reopen_counts_it_once(two, responsible, member):
    for _ in range(2):
        services.resolve(two[0], by=responsible, explanation="Tamam")
        services.reopen(two[0], by=member, body="Olmadı")
    services.resolve(two[0], by=responsible, explanation="Şimdi tamam")
    assert_counts_agree()
    assert counts.weekly(None, figures.period_start())[-1][2] == 1


def test_closing_keeps_the_resolution_and_the_ticket_stays_not_open(two, responsible, member):
    services.resolve(two[0], by=responsible, explanation="Tamam")
    services.close(two[0], by=member)
    assert_counts_agree()
    assert counts.weekly(None, figures.period_start())[-1][2] == 1


def test_redirecting_moves_the_counts_to_the_new_category(two, responsible, technical, capacity):
    services.reply(two[0], by=responsible, body="Bakıyoruz")  # in progress, then redirected
    services.redirect_to_category(two[0], by=responsible, category=technical)
    assert_counts_agree()
    assert counts.open_by(frozenset({technical.pk}), None, "category") == [
        (technical.pk, technical.name, 1)
    ]
    assert dict(counts.open_by_status(frozenset({capacity.pk})))[Status.IN_PROGRESS] == 0
    assert dict(counts.open_by_status(None))[Status.REDIRECTED] == 1


def test_merging_closes_the_duplicate_and_counts_it_filed_still(file, responsible):
    first, duplicate = file(subject="Bir"), file(subject="Bir daha")
    relations.merge(duplicate, by=responsible, into=first)
    assert_counts_agree()
    assert sum(n for _status, n in counts.open_by_status(None)) == 1
    assert counts.weekly(None, figures.period_start())[-1][1] == 2


def test_a_change_that_rolls_back_leaves_the_counts_as_they_were(two, responsible):
    before = _rows()
    with pytest.raises(RuntimeError), services.transaction.atomic():
        services.resolve(two[0], by=responsible, explanation="Tamam")
        raise RuntimeError
    assert _rows() == before
    assert_counts_agree()


def test_fill_counts_tickets_that_came_in_behind_the_services_back(two, aged):
    Ticket.objects.filter(pk=two[1].pk).update(
        status=Status.RESOLVED, resolved_at=two[1].created_at
    )
    aged(two[0], days=40)  # fills
    assert_counts_agree()
    assert sum(n for _week, n, _r in counts.weekly(None, figures.period_start())) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_filings_of_one_day_and_category_are_all_counted(file, member, capacity):
    import threading

    file(subject="first")  # the day's row exists: the others wait on its lock
    barrier = threading.Barrier(4)
    errors = []

    def file_one(n):
        try:
            barrier.wait()
            file(subject=f"at once {n}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=file_one, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert counts.weekly(None, figures.period_start())[-1][1] == 5
    assert dict(counts.open_by_status(None))[Status.WAITING] == 5
    assert_counts_agree()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_filings_on_behalf_and_assignments_at_once_are_all_kept(file, member, responsible):
    """A filing on behalf moves the open counts twice (filed, then taken by its filer),
    an assignment once: neither may lock the other out (a deadlock loses one)."""
    import threading

    from tickets import services

    waiting = [file(subject=f"waiting {n}") for n in range(4)]
    barrier = threading.Barrier(8)
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    actions = [
        lambda n=n: file(by=responsible, requester=member, subject=f"for them {n}")
        for n in range(4)
    ] + [lambda t=t: services.assign(t, by=responsible, assignee=responsible) for t in waiting]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert dict(counts.open_by_status(None))[Status.IN_PROGRESS] == 8
    assert_counts_agree()


def test_the_kept_counts_agree_with_seed_bulks_generated_tickets(db):
    """The seeder writes behind the services: it counts the dashboard's rollups afresh."""
    seed_bulk(tickets=60)
    tickets = Ticket.objects.all()
    open_tickets = tickets.filter(status__in=OPEN_STATUSES)

    assert OpenTotal.objects.aggregate(n=Sum("tickets"))["n"] == open_tickets.count()
    assert DayCount.objects.aggregate(n=Sum("filed"))["n"] == tickets.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="table locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_recount_while_tickets_are_filed_and_resolved_leaves_the_counts_right(
    file, member, responsible, monkeypatch
):
    """`refresh_dashboard --counts` on a live site: changes that come while it counts
    are in the rows it leaves, not lost under them."""
    import threading
    import time

    # given tickets, and a recount that takes a second between its count and its end
    waiting = [file(subject=f"waiting {n}") for n in range(2)]
    counted, errors = threading.Event(), []
    count = counts._count

    def slow_count(*args):
        found = count(*args)
        if threading.current_thread().name == "recount":
            counted.set()
            time.sleep(1)  # the changes below come now
        return found

    monkeypatch.setattr(counts, "_count", slow_count)

    def run(action, after=None):
        try:
            if after is not None:
                after.wait(timeout=10)
            action()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    # when tickets are filed and one resolved while it counts
    changes = [lambda n=n: file(subject=f"during {n}") for n in range(3)] + [
        lambda: services.resolve(waiting[0], by=responsible, explanation="Tamam")
    ]
    threads = [threading.Thread(target=run, args=(counts.fill,), name="recount")] + [
        threading.Thread(target=run, args=(change, counted)) for change in changes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the kept counts equal a count of the tickets
    assert errors == [] and counted.is_set()
    assert dict(counts.open_by_status(None))[Status.WAITING] == 4
    assert counts.weekly(None, figures.period_start())[-1][1:] == (5, 1)
    assert_counts_agree()
