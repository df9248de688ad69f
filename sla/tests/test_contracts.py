"""A contract may carry its own service levels: its targets win over the category's and
the kind's, its calendar over the category's; changing them moves its open tickets."""

from datetime import date, datetime

import pytest

from categories.tests.factories import CategoryFactory
from sla import clocks, seeding
from sla.models import CategoryCalendar, Clock, ContractCalendar, Target
from sla.tests.conftest import inline_rows, istanbul, make_calendar, post, recomputed
from sla.tests.test_clocks import fresh, sla_events
from tickets import services
from tickets.models import Contract, EventKind, Priority, Ticket
from tickets.tests.profiles import seed, user

# Monday 7 December 2026 in Istanbul; the default calendar works 09:00-17:00 on weekdays
# and a medium ticket has 4 h to be answered, 16 h to be resolved.
MONDAY_TEN = istanbul(2026, 12, 7, 10, 0)


def contract_target(contract, first=15, resolution=120, **scope):
    return Target.objects.create(
        priority=Priority.MEDIUM,
        contract=contract,
        first_response_minutes=first,
        resolution_minutes=resolution,
        **scope,
    )


def test_a_contracts_target_wins_over_the_category_and_kind_targets(
    at, ticket_factory, capacity, problem, contract
):
    # given targets for the category and kind, the kind alone, and the contract
    Target.objects.create(
        priority=Priority.MEDIUM,
        category=capacity,
        kind=problem,
        first_response_minutes=30,
        resolution_minutes=60,
    )
    Target.objects.create(
        priority=Priority.MEDIUM, kind=problem, first_response_minutes=45, resolution_minutes=90
    )
    contract_target(contract, first=15, resolution=120)
    # when the chamber working under the contract files
    at(MONDAY_TEN)
    ticket = fresh(ticket_factory())
    # then the contract's target counts
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 10, 15)
    assert ticket.resolution_due_at == istanbul(2026, 12, 7, 12, 0)


def test_the_most_specific_of_a_contracts_targets_wins(db, capacity, problem, contract):
    general = contract_target(contract, first=15)
    for_category = contract_target(contract, first=20, category=capacity)
    chosen = clocks.target_for(
        priority=Priority.MEDIUM,
        category_id=capacity.pk,
        kind_id=problem.pk,
        contract_id=contract.pk,
    )
    assert chosen == for_category
    for_category.delete()
    chosen = clocks.target_for(
        priority=Priority.MEDIUM,
        category_id=capacity.pk,
        kind_id=problem.pk,
        contract_id=contract.pk,
    )
    assert chosen == general


def test_an_organisation_without_a_contract_gets_the_general_targets(
    at, ticket_factory, contract, other_union_member, capacity
):
    contract_target(contract)
    Target.objects.create(
        priority=Priority.MEDIUM,
        category=capacity,
        first_response_minutes=30,
        resolution_minutes=60,
    )
    at(MONDAY_TEN)
    # the Ankara union has no contract: the category's target
    outside = fresh(ticket_factory(by=other_union_member))
    assert outside.first_response_due_at == istanbul(2026, 12, 7, 10, 30)


def test_an_inactive_contract_gives_nothing(at, ticket_factory, contract):
    contract_target(contract)
    contract.is_active = False
    contract.save()
    at(MONDAY_TEN)
    ticket = fresh(ticket_factory())
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 14, 0)


def test_the_contracts_calendar_wins_over_the_categorys(at, ticket_factory, capacity, contract):
    # given a category working Saturdays and a contract served every day 09:00-21:00
    CategoryCalendar.objects.create(
        category=capacity, calendar=make_calendar("Six days", days=range(6))
    )
    every_day = make_calendar("Every day", days=range(7), hours=(9, 21))
    ContractCalendar.objects.create(contract=contract, calendar=every_day)
    # when the chamber files on Friday 16:00 (4 working hours to answer)
    at(istanbul(2026, 12, 11, 16, 0))
    ticket = fresh(ticket_factory())
    # then it is due Friday 20:00, not Saturday noon
    assert ticket.first_response_due_at == istanbul(2026, 12, 11, 20, 0)
    assert Clock.objects.get(ticket=ticket).calendar == every_day


def test_of_several_contracts_the_lowest_number_with_service_levels_applies(
    at, ticket_factory, contract, bursa_union, inegol_chamber
):
    # given three contracts: a lower number without service levels, a higher one with
    bare = Contract.objects.create(customer=bursa_union, number="BS-050")
    bare.organisations.add(inegol_chamber)
    later = Contract.objects.create(customer=inegol_chamber, number="BS-200")
    contract_target(later, first=20)
    contract_target(contract, first=15)
    at(MONDAY_TEN)
    ticket = fresh(ticket_factory())
    assert clocks.contract_for(ticket) == contract
    assert ticket.first_response_due_at == istanbul(2026, 12, 7, 10, 15)


def test_a_redirect_keeps_the_contracts_calendar(
    at, ticket_factory, contract, responsible, technical
):
    every_day = make_calendar("Every day", days=range(7), hours=(9, 21))
    ContractCalendar.objects.create(contract=contract, calendar=every_day)
    at(MONDAY_TEN)
    ticket = ticket_factory()
    services.redirect_to_category(ticket, by=responsible, category=technical)
    assert Clock.objects.get(ticket=ticket).calendar == every_day
    # and a run over every ticket (a new default calendar) leaves it there too
    clocks.recompute()
    assert Clock.objects.get(ticket=ticket).calendar == every_day


def test_changing_a_contracts_target_moves_its_open_tickets_and_logs_it(
    admin_client, at, ticket_factory, contract, responsible, other_union_member
):
    # given an open and a closed ticket under the contract, and one outside it
    target = contract_target(contract, first=15, resolution=120)
    at(MONDAY_TEN)
    open_ticket = ticket_factory(subject="open")
    closed = ticket_factory(subject="closed")
    services.resolve(closed, by=responsible, explanation="Done.")
    services.close(fresh(closed), by=closed.requester)
    outside = ticket_factory(by=other_union_member, subject="outside")
    closed_due = fresh(closed).first_response_due_at
    # when the admin gives the contract 30 minutes to answer
    response = post(
        admin_client,
        f"/admin/sla/target/{target.pk}/change/",
        {
            "priority": "medium",
            "contract": str(contract.pk),
            "first_response_minutes": "30",
            "resolution_minutes": "120",
        },
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    # then the open ticket's due moves, and its log says so
    assert fresh(open_ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 30)
    assert sla_events(open_ticket)[-1].data["change"] == "moved"
    assert fresh(closed).first_response_due_at == closed_due
    assert fresh(outside).first_response_due_at == istanbul(2026, 12, 7, 14, 0)


def test_deleting_a_contracts_target_gives_its_tickets_the_general_one(
    admin_client, at, ticket_factory, contract
):
    target = contract_target(contract)
    at(MONDAY_TEN)
    ticket = ticket_factory()
    response = post(admin_client, f"/admin/sla/target/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 14, 0)


def test_giving_a_contract_a_calendar_moves_its_open_tickets_and_logs_it(
    admin_client, at, ticket_factory, contract
):
    every_day = make_calendar("Every day", days=range(7), hours=(9, 21))
    at(istanbul(2026, 12, 11, 16, 0))  # Friday
    ticket = ticket_factory()
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 14, 12, 0)
    response = post(
        admin_client,
        "/admin/sla/contractcalendar/add/",
        {"contract": str(contract.pk), "calendar": str(every_day.pk)},
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 11, 20, 0)
    moved = sla_events(ticket)[-1]
    assert moved.data["change"] == "moved"
    due = datetime.fromisoformat(moved.data["first_response_due"])
    assert due == istanbul(2026, 12, 11, 20, 0)


def test_a_second_target_for_the_same_contract_and_priority_is_refused(admin_client, contract):
    contract_target(contract)
    response = post(
        admin_client,
        "/admin/sla/target/add/",
        {
            "priority": "medium",
            "contract": str(contract.pk),
            "first_response_minutes": "30",
            "resolution_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert (
        "There is already a target for this priority, contract, category and kind."
        in response.content.decode()
    )
    assert Target.objects.count() == 1


def contract_form(contract, *, targets=(), organisations=None):
    organisations = organisations or contract.organisations.all()
    data = {
        "number": contract.number,
        "customer": str(contract.customer_id),
        "organisations": [str(o.pk) for o in organisations],
        "is_active": "on",
    }
    return {**data, **inline_rows("sla_calendar", []), **inline_rows("sla_targets", targets)}


def test_targets_added_on_the_contracts_page_move_its_open_tickets(
    admin_client, at, ticket_factory, contract
):
    at(MONDAY_TEN)
    ticket = ticket_factory()
    response = post(
        admin_client,
        f"/admin/tickets/contract/{contract.pk}/change/",
        contract_form(
            contract,
            targets=[
                {"priority": "medium", "first_response_minutes": "15", "resolution_minutes": "60"}
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert contract.sla_targets.count() == 1
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 15)


def test_the_contracts_page_refuses_two_targets_for_one_priority_and_saves_nothing(
    admin_client, contract
):
    row = {"priority": "medium", "first_response_minutes": "15", "resolution_minutes": "60"}
    response = post(
        admin_client,
        f"/admin/tickets/contract/{contract.pk}/change/",
        contract_form(contract, targets=[row, row]),
    )
    assert response.status_code == 200
    assert (
        "There is already a target for this priority, contract, category and kind."
        in response.content.decode()
    )
    assert not Target.objects.exists()


def test_an_organisation_leaving_the_contract_gets_the_general_targets_back(
    admin_client, at, ticket_factory, contract
):
    contract_target(contract)
    at(MONDAY_TEN)
    ticket = ticket_factory()
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 15)
    response = post(
        admin_client,
        f"/admin/tickets/contract/{contract.pk}/change/",
        contract_form(contract, organisations=[contract.customer]),
    )
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 14, 0)


def test_a_new_contract_with_targets_on_its_page_is_saved(admin_client, bursa_union):
    unsaved = Contract(customer=bursa_union, number="BS-300")
    data = contract_form(
        unsaved,
        organisations=[bursa_union],
        targets=[{"priority": "high", "first_response_minutes": "15", "resolution_minutes": "60"}],
    )
    # a general target for the same priority is no duplicate of the contract's
    Target.objects.create(priority=Priority.HIGH, first_response_minutes=60, resolution_minutes=480)
    response = post(admin_client, "/admin/tickets/contract/add/", data)
    assert response.status_code == 302, response.content.decode()
    assert Contract.objects.get(number="BS-300").sla_targets.get().first_response_minutes == 15


def test_the_contracts_page_and_the_target_list_show_its_service_levels(
    admin_client, contract, django_assert_max_num_queries
):
    every_day = make_calendar("Every day", days=range(7), hours=(9, 21))
    ContractCalendar.objects.create(contract=contract, calendar=every_day)
    for n in range(5):
        contract_target(contract, first=15 + n, category=CategoryFactory())
    page = admin_client.get(f"/admin/tickets/contract/{contract.pk}/change/").content.decode()
    assert "Every day" in page and 'value="19"' in page
    with django_assert_max_num_queries(8):
        listing = admin_client.get("/admin/sla/target/")
    assert listing.status_code == 200 and "BS-100" in listing.content.decode()


@pytest.fixture
def vendor(db, settings):
    settings.DEBUG = True
    seed("vendor")


def test_the_vendor_seed_gives_its_contract_faster_targets_and_extended_hours_once(vendor):
    contract = Contract.objects.get(number="КС-2024/117")
    targets = {t.priority: t for t in contract.sla_targets.all()}
    assert set(targets) == set(Priority)
    for priority, target in targets.items():
        general_first, general_resolution = seeding.DEFAULT_TARGETS[priority]
        assert target.first_response_minutes < general_first
        assert target.resolution_minutes < general_resolution
    calendar = contract.sla_calendar.calendar
    assert calendar.name == seeding.EXTENDED
    assert calendar.schedule().hours.keys() == set(range(6))
    assert calendar.holidays.filter(first_day=date(2026, 6, 12)).exists()
    # the customer's ticket counts by them
    filed = Ticket.objects.get(requester=user("ru_client"), priority=Priority.HIGH)
    clock = Clock.objects.get(ticket=filed)
    assert (clock.calendar, clock.first_response_minutes) == (calendar, 30)
    assert filed.events.filter(kind=EventKind.SERVICE_LEVEL).exists()

    seed("vendor")

    assert contract.sla_targets.count() == len(Priority)
    assert ContractCalendar.objects.count() == 1
    assert seeding.seed_vendor_contract() == []


def test_renumbering_a_contract_moves_its_tickets_to_the_contract_that_now_applies(
    admin_client, at, ticket_factory, contract, inegol_chamber
):
    later = Contract.objects.create(customer=inegol_chamber, number="BS-200")
    contract_target(later, first=20)
    contract_target(contract, first=15)
    at(MONDAY_TEN)
    ticket = ticket_factory()
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 15)

    form = contract_form(contract)
    form["number"] = "BS-300"
    response = post(admin_client, f"/admin/tickets/contract/{contract.pk}/change/", form)

    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 20)


def test_deleting_a_contract_gives_its_tickets_the_general_targets(
    admin_client, at, ticket_factory, contract
):
    contract_target(contract)
    at(MONDAY_TEN)
    ticket = ticket_factory()
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 15)

    response = post(admin_client, f"/admin/tickets/contract/{contract.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert not Contract.objects.filter(pk=contract.pk).exists()
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 14, 0)


def test_a_contract_given_targets_starts_the_clocks_its_tickets_did_not_have(
    admin_client, at, ticket_factory, contract
):
    # given a ticket filed when no target applied to it
    Target.objects.all().delete()
    at(MONDAY_TEN)
    ticket = ticket_factory()
    assert not Clock.objects.filter(ticket=ticket).exists()

    # when its organisation's contract is given a target on the contract's page
    row = {"priority": Priority.MEDIUM, "first_response_minutes": 15, "resolution_minutes": 60}
    response = post(
        admin_client,
        f"/admin/tickets/contract/{contract.pk}/change/",
        contract_form(contract, targets=[row]),
    )

    # then its clocks start from its filing
    assert response.status_code == 302
    assert recomputed() == 1  # the job the save left, as the periodic run takes it
    assert fresh(ticket).first_response_due_at == istanbul(2026, 12, 7, 10, 15)
