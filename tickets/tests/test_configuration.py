"""The categories, kinds and custom fields each process keeps (tickets/configuration.py):
read once, and again on the next request after any change, in this process or another."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import OrganisationKind
from accounts.tests.factories import OrganisationFactory, UserFactory
from categories.models import Category
from categories.tests.factories import CategoryFactory
from common import versions
from tickets import configuration
from tickets.models import TicketKind

CONFIGURATION_TABLES = ("categories_category", "tickets_ticketkind", "tickets_customfield")


@pytest.fixture
def admin_client(db):
    admin = UserFactory(username="root", organisation=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def new_ticket_page(client, user) -> str:
    client.force_login(user)
    response = client.get("/tickets/new/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_category_renamed_in_the_admin_shows_on_the_next_request(
    client, admin_client, member, capacity, problem
):
    assert "Kapasite Raporu" in new_ticket_page(client, member)

    response = admin_client.post(
        f"/admin/categories/category/{capacity.pk}/change/",
        {"name": "Kapasite Raporu (yeni)", "description": "", "is_active": "on", "scope": ""},
    )

    assert response.status_code == 302
    assert "Kapasite Raporu (yeni)" in new_ticket_page(client, member)


def test_a_kind_added_in_the_admin_is_offered_on_the_next_request(
    client, admin_client, member, capacity, problem
):
    assert "Extension request" not in new_ticket_page(client, member)

    response = admin_client.post(
        "/admin/tickets/ticketkind/add/",
        {"code": "extension", "name": "Extension request", "is_active": "on", "scope": ""},
    )

    assert response.status_code == 302
    assert "Extension request" in new_ticket_page(client, member)


def test_a_page_reads_no_configuration_rows_while_nothing_changed(
    client, member, capacity, problem
):
    new_ticket_page(client, member)

    with CaptureQueriesContext(connection) as queries:
        new_ticket_page(client, member)

    tables = [q["sql"].split(" FROM ", 1)[-1].split()[0].strip('"') for q in queries]
    read = [table for table in tables if table in CONFIGURATION_TABLES]
    assert read == []


def test_a_change_made_by_another_process_shows_on_the_next_request(
    client, member, capacity, problem
):
    new_ticket_page(client, member)  # this process keeps its copy

    # Another process saves: the row and the token change, this process's copy stays.
    with transaction.atomic():
        Category.objects.filter(pk=capacity.pk).update(name="Renamed elsewhere")
        versions.bump(configuration.NAME)

    assert "Renamed elsewhere" in new_ticket_page(client, member)


def test_a_change_rolled_back_is_not_kept(client, member, capacity, problem):
    with pytest.raises(RuntimeError), transaction.atomic():
        capacity.name = "Never saved"
        capacity.save()
        assert "Never saved" in str(configuration.current().categories)
        raise RuntimeError

    html = new_ticket_page(client, member)

    assert "Never saved" not in html
    assert "Kapasite Raporu" in html


def test_one_copy_serves_each_deployment_its_own_categories(client, member, capacity, problem):
    agency = OrganisationFactory(name="Agency", kind=OrganisationKind.AGENCY)
    CategoryFactory(name="Experts' unit", scope=agency)
    expert = UserFactory(username="expert", organisation=agency)

    agency_page = new_ticket_page(client, expert)
    chamber_page = new_ticket_page(client, member)

    assert "Experts&#x27; unit" in agency_page
    assert "Kapasite Raporu" not in agency_page
    assert "Kapasite Raporu" in chamber_page
    assert "Experts&#x27; unit" not in chamber_page


def test_outside_a_request_the_token_is_asked_each_time(capacity, problem):
    kept = configuration.current()
    TicketKind.objects.filter(pk=problem.pk).update(name="Renamed by a worker")
    versions.bump(configuration.NAME)

    assert configuration.current() is not kept
    assert "Renamed by a worker" in [kind.name for kind in configuration.current().kinds]
