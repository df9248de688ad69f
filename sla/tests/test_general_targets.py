"""A general target (no contract) edited in the admin moves the open tickets it reached
or now reaches, and only those: its priority's, and its category's and kind's where it
names them. Resolved and closed tickets keep the dues they were measured against."""

from datetime import datetime

import pytest

from sla.models import Recompute, Target
from sla.tests.conftest import istanbul, post, recomputed
from sla.tests.test_clocks import fresh, sla_events
from tickets import services
from tickets.models import Priority

# Monday 7 December 2026, 10:00 in Istanbul; the default calendar works 09:00-17:00 on
# weekdays. A high ticket has 1 h to be answered, 8 h to be resolved: Tuesday 10:00.
MONDAY_TEN = istanbul(2026, 12, 7, 10, 0)
TUESDAY_TEN = istanbul(2026, 12, 8, 10, 0)


def target_form(target, **changes) -> dict:
    data = {
        "priority": target.priority,
        "contract": str(target.contract_id or ""),
        "category": str(target.category_id or ""),
        "kind": str(target.kind_id or ""),
        "first_response_minutes": str(target.first_response_minutes),
        "resolution_minutes": str(target.resolution_minutes),
    }
    return {**data, **changes}


def moves(ticket) -> list:
    return [e for e in sla_events(ticket) if e.data["change"] == "moved"]


def test_a_priority_target_cut_from_8_to_4_hours_moves_its_open_tickets_and_logs_it(
    admin_client, at, ticket_factory, targets, responsible
):
    # given an open and a resolved high ticket, and an open medium one
    at(MONDAY_TEN)
    high = ticket_factory(priority=Priority.HIGH, subject="high")
    resolved = ticket_factory(priority=Priority.HIGH, subject="resolved")
    services.resolve(resolved, by=responsible, explanation="Done.")
    medium = ticket_factory(subject="medium")
    medium_due = fresh(medium).resolution_due_at
    assert fresh(high).resolution_due_at == TUESDAY_TEN
    # when the admin gives high tickets 4 working hours to be resolved
    target = targets[Priority.HIGH]
    response = post(
        admin_client,
        f"/admin/sla/target/{target.pk}/change/",
        target_form(target, resolution_minutes="240"),
    )
    assert response.status_code == 302
    # then the admin is told the open high ticket's dues are being recomputed
    page = admin_client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open tickets&#x27; due times are being recomputed (1 ticket)." in page
    assert fresh(high).resolution_due_at == TUESDAY_TEN  # not yet: the job does it
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    # and once it ran, the open high ticket is due at 14:00, and its log says so
    assert fresh(high).resolution_due_at == istanbul(2026, 12, 7, 14, 0)
    [moved] = moves(high)
    assert moved.data["reason"] == "targets"
    assert datetime.fromisoformat(moved.data["resolution_due"]) == istanbul(2026, 12, 7, 14, 0)
    # and the others keep their dues
    assert fresh(resolved).resolution_due_at == TUESDAY_TEN and moves(resolved) == []
    assert fresh(medium).resolution_due_at == medium_due and moves(medium) == []
    assert Recompute.objects.values_list("tickets", "moved").get() == (1, 1)


@pytest.fixture
def special(targets, capacity):
    """A category target: capacity's medium tickets get 30 minutes to answer."""
    return Target.objects.create(
        priority=Priority.MEDIUM,
        category=capacity,
        first_response_minutes=30,
        resolution_minutes=960,
    )


def test_a_target_moved_to_another_category_moves_the_tickets_of_both(
    admin_client, at, ticket_factory, special, technical, other_responsible
):
    # given a category target giving capacity's medium tickets 30 minutes to answer
    at(MONDAY_TEN)
    in_capacity = ticket_factory(subject="capacity")
    in_technical = ticket_factory(category=technical, subject="technical")
    assert fresh(in_capacity).first_response_due_at == istanbul(2026, 12, 7, 10, 30)
    assert fresh(in_technical).first_response_due_at == istanbul(2026, 12, 7, 14, 0)
    # when the admin moves it to the technical category
    response = post(
        admin_client,
        f"/admin/sla/target/{special.pk}/change/",
        target_form(special, category=str(technical.pk)),
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    # then capacity's ticket falls back to the medium target, technical's takes it
    assert fresh(in_capacity).first_response_due_at == istanbul(2026, 12, 7, 14, 0)
    assert fresh(in_technical).first_response_due_at == istanbul(2026, 12, 7, 10, 30)


def test_deleting_a_category_target_gives_its_tickets_the_priority_target(
    admin_client, at, ticket_factory, special
):
    at(MONDAY_TEN)
    ticket = ticket_factory()
    response = post(admin_client, f"/admin/sla/target/{special.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 14, 0)
    assert len(moves(ticket)) == 1


def test_deleting_targets_from_the_list_moves_the_tickets_they_reached(
    admin_client, at, ticket_factory, targets, capacity, problem
):
    # given a category target and a kind target for high tickets
    for scope in ({"category": capacity}, {"kind": problem}):
        Target.objects.create(
            priority=Priority.HIGH, first_response_minutes=15, resolution_minutes=120, **scope
        )
    at(MONDAY_TEN)
    high = ticket_factory(priority=Priority.HIGH)
    low = ticket_factory(priority=Priority.LOW)
    low_due = fresh(low).first_response_due_at
    assert fresh(high).first_response_due_at == istanbul(2026, 12, 7, 10, 15)
    # when the admin deletes both from the changelist
    chosen = Target.objects.filter(priority=Priority.HIGH).exclude(pk=targets[Priority.HIGH].pk)
    response = post(
        admin_client,
        "/admin/sla/target/",
        {
            "action": "delete_selected",
            "_selected_action": [str(pk) for pk in chosen.values_list("pk", flat=True)],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert not chosen.exists()
    # then the high ticket counts by the priority's target again; the low one stays
    assert fresh(high).first_response_due_at == istanbul(2026, 12, 7, 11, 0)
    assert fresh(low).first_response_due_at == low_due and moves(low) == []


def test_a_new_general_target_starts_the_clocks_of_tickets_that_had_none(
    admin_client, at, ticket_factory, targets
):
    # given a low ticket filed while low tickets had no target
    targets[Priority.LOW].delete()
    at(MONDAY_TEN)
    ticket = ticket_factory(priority=Priority.LOW)
    assert fresh(ticket).due_at is None
    # when the admin adds one
    response = post(
        admin_client,
        "/admin/sla/target/add/",
        {"priority": "low", "first_response_minutes": "120", "resolution_minutes": "480"},
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    # then the ticket's clocks run from its filing
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 12, 0)
    assert [e.data["change"] for e in sla_events(ticket)] == ["started"]
