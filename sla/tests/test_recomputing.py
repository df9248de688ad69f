"""A change of service levels in the admin leaves the recompute of its tickets to a job:
the save commits at once, the job moves the tickets a batch at a time after it, goes on
where a crashed run stopped, and moves (and logs) each ticket once however often it
runs."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from sla import clocks, recomputing
from sla.models import Recompute, Target
from sla.tests.conftest import istanbul, post
from sla.tests.test_clocks import fresh, sla_events
from sla.tests.test_general_targets import MONDAY_TEN, TUESDAY_TEN, target_form
from tickets.models import Priority

# High tickets given 4 working hours instead of 8: filed Monday 10:00, due at 14:00.
MONDAY_TWO = istanbul(2026, 12, 7, 14, 0)


def moved(ticket) -> int:
    return sum(e.data["change"] == "moved" for e in sla_events(ticket))


@pytest.fixture
def five_high(at, ticket_factory):
    at(MONDAY_TEN)
    return [ticket_factory(priority=Priority.HIGH, subject=f"high {n}") for n in range(5)]


def cut_high_to_four_hours(targets) -> Recompute:
    """The admin's save, as recorded: the high target cut, its recompute queued (and run
    by the test)."""
    high = targets[Priority.HIGH]
    high.resolution_minutes = 240
    high.save(update_fields=["resolution_minutes"])  # as the admin saves it
    return recomputing.queue(reach=[(Priority.HIGH, None, None)], targets=True, hand_over=False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_save_commits_and_hands_the_recompute_over_to_run_in_this_process(
    admin_client, five_high, targets, monkeypatch
):
    # given five open high tickets due Tuesday 10:00, and no broker
    target = targets[Priority.HIGH]
    answered = []
    run_all = recomputing.run_all
    monkeypatch.setattr(
        recomputing.handover, "send_here", lambda ids: (answered.append(ids), run_all(ids))
    )
    # when the admin cuts the target (the save commits for real: no test transaction)
    response = post(
        admin_client,
        f"/admin/sla/target/{target.pk}/change/",
        target_form(target, resolution_minutes="240"),
    )
    # then the recompute was handed over once, after the commit, and ran here
    assert response.status_code == 302
    job = Recompute.objects.get()
    assert answered == [[job.pk]]
    assert [fresh(t).resolution_due_at for t in five_high] == [MONDAY_TWO] * 5
    assert [moved(t) for t in five_high] == [1] * 5
    job.refresh_from_db()
    assert (job.tickets, job.moved, job.finished_at is not None) == (5, 5, True)


def test_a_recompute_goes_a_batch_at_a_time_and_the_next_run_goes_on(
    five_high, targets, monkeypatch
):
    monkeypatch.setattr(recomputing, "BATCH", 2)
    job = cut_high_to_four_hours(targets)
    # a run with no time left stops after one batch and gives the rest back
    assert recomputing.run(job.pk, budget=timedelta(0))
    job.refresh_from_db()
    assert (job.moved, job.after_clock, job.leased_until, job.finished_at) == (
        2,
        fresh(five_high[1]).sla_clock.pk,
        None,
        None,
    )
    assert [fresh(t).resolution_due_at for t in five_high] == [MONDAY_TWO] * 2 + [TUESDAY_TEN] * 3
    # the periodic job goes on from there to the end
    assert recomputing.run_pending() == 1
    job.refresh_from_db()
    assert job.moved == 5 and job.finished_at is not None
    assert [moved(t) for t in five_high] == [1] * 5
    assert recomputing.run_pending() == 0  # nothing left


def test_a_run_that_crashed_is_taken_over_from_its_last_batch_once_its_lease_ends(
    at, five_high, targets, monkeypatch
):
    # given a run that dies in its second batch (a killed worker)
    monkeypatch.setattr(recomputing, "BATCH", 2)
    job = cut_high_to_four_hours(targets)
    batches = []
    real = clocks.recompute_batch

    def dies_the_second_time(*args, **kwargs):
        batches.append(kwargs["after"])
        if len(batches) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(clocks, "recompute_batch", dies_the_second_time)
    with pytest.raises(RuntimeError):
        recomputing.run(job.pk)
    monkeypatch.setattr(clocks, "recompute_batch", real)
    # then its first batch stays done, and its lease keeps others off for now
    job.refresh_from_db()
    assert job.moved == 2 and job.finished_at is None
    assert recomputing.run_pending() == 0
    # once the lease ran out the periodic job goes on from the third ticket
    at(MONDAY_TEN + recomputing.LEASE + timedelta(seconds=1))
    assert recomputing.run_pending() == 1
    job.refresh_from_db()
    assert job.moved == 5 and job.finished_at is not None
    assert [moved(t) for t in five_high] == [1] * 5


def test_running_a_recompute_again_moves_and_logs_nothing_more(five_high, targets):
    job = cut_high_to_four_hours(targets)
    assert recomputing.run(job.pk)
    # the same recompute recorded twice (two saves in a row): the second finds it done
    again = recomputing.queue(reach=[(Priority.HIGH, None, None)], targets=True, hand_over=False)
    assert recomputing.run(again.pk)
    again.refresh_from_db()
    assert again.tickets == 5 and again.moved == 0
    assert [moved(t) for t in five_high] == [1] * 5
    assert recomputing.run(job.pk) is False  # finished: not run again


def test_a_held_recompute_is_left_to_its_run(five_high, targets):
    job = cut_high_to_four_hours(targets)
    assert recomputing._claim(job.pk, "another worker") is not None
    assert recomputing.run(job.pk) is False
    assert recomputing.run_pending() == 0
    assert [fresh(t).resolution_due_at for t in five_high] == [TUESDAY_TEN] * 5


def test_a_new_target_starts_missing_clocks_in_batches(at, ticket_factory, targets, monkeypatch):
    # given three low tickets filed while low tickets had no target
    monkeypatch.setattr(recomputing, "BATCH", 2)
    targets[Priority.LOW].delete()
    at(MONDAY_TEN)
    low = [ticket_factory(priority=Priority.LOW) for _ in range(3)]
    # when a low target is added and its recompute runs
    Target.objects.create(priority=Priority.LOW, first_response_minutes=120, resolution_minutes=480)
    job = recomputing.queue(reach=[(Priority.LOW, None, None)], targets=True, hand_over=False)
    assert job.tickets == 3
    assert recomputing.run(job.pk)
    # then each ticket's clocks run from its filing, started once
    job.refresh_from_db()
    assert (job.started, job.finished_at is not None) == (3, True)
    assert [fresh(t).first_response_due_at for t in low] == [istanbul(2026, 12, 7, 12, 0)] * 3
    assert [[e.data["change"] for e in sla_events(t)] for t in low] == [["started"]] * 3


def test_the_recompute_command_runs_a_recompute_to_its_end(five_high, calendar):
    from django.core.management import call_command

    from sla.models import Holiday

    Holiday.objects.create(calendar=calendar, name="Leave", first_day=TUESDAY_TEN.date(),
                           last_day=TUESDAY_TEN.date())  # fmt: skip
    call_command("recompute_sla", calendars=[calendar.pk])
    assert Recompute.objects.get().moved == 5
    assert [fresh(t).resolution_due_at for t in five_high] == [istanbul(2026, 12, 9, 10, 0)] * 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_recompute_beside_another_of_the_same_tickets_moves_and_logs_each_once(
    five_high, targets, monkeypatch
):
    # given two recomputes of the same tickets, the first halfway through its batch
    # (its tickets locked and read, not yet stored) when the second starts
    jobs = [cut_high_to_four_hours(targets) for _ in range(2)]
    inside, errors = threading.Event(), []
    store = clocks._store

    def slow_store(*args, **kwargs):
        if threading.current_thread().name == "first" and not inside.is_set():
            inside.set()
            time.sleep(1)  # the second run reads the tickets now, unless they are locked
        return store(*args, **kwargs)

    monkeypatch.setattr(clocks, "_store", slow_store)

    def run(pk, after=None):
        try:
            if after is not None:
                after.wait(timeout=10)
            recomputing.run(pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=run, args=(jobs[0].pk,), name="first"),
        threading.Thread(target=run, args=(jobs[1].pk, inside), name="second"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then each ticket moved once, by whichever run came first
    assert errors == []
    assert [fresh(t).resolution_due_at for t in five_high] == [MONDAY_TWO] * 5
    assert [moved(t) for t in five_high] == [1] * 5
    assert sum(Recompute.objects.values_list("moved", flat=True)) == 5


def test_a_workers_task_runs_the_recomputes_handed_to_it(five_high, targets):
    from sla import tasks

    job = cut_high_to_four_hours(targets)
    assert tasks.recompute([job.pk]) == "ran 1"
    assert tasks.recompute([job.pk]) == "ran 0"  # a repeated message finds it done
    assert [fresh(t).resolution_due_at for t in five_high] == [MONDAY_TWO] * 5
