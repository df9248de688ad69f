"""The case (or order) page: the record and the requests filed about it."""

import pytest

from tickets import services
from tickets.models import ParentRecord, TicketKind
from tickets.records import ParentKind
from tickets.tests.profiles import case, seed, unit, user


@pytest.fixture
def agency(db, settings):
    settings.DEBUG = True
    seed("tesk", "agency", "portal")


def file_about(record, by, subject):
    return services.file_ticket(
        by=by,
        parent=record,
        category=unit("واحد امور کارشناسان"),
        kind=TicketKind.objects.get(code="extension"),
        priority="medium",
        subject=subject,
        description="...",
    ).ticket


def test_the_case_page_lists_its_requests_only(client, agency):
    expert = user("fa_expert")
    first = file_about(case("1402-11873"), expert, "استمهال اول")
    other = file_about(case("1402-12051"), expert, "پرونده دوم")
    client.force_login(expert)

    response = client.get(f"/cases/{case('1402-11873').pk}/")

    assert response.status_code == 200
    assert list(response.context["tickets"]) == [first]
    assert other.subject not in response.content.decode()
    assert f'href="/tickets/new/?parent={case("1402-11873").pk}"' in response.content.decode()


def test_the_reviewer_sees_the_case_page_without_the_filing_button(client, agency):
    expert, reviewer = user("fa_expert"), user("fa_reviewer")
    first = file_about(case("1402-11873"), expert, "استمهال اول")
    client.force_login(reviewer)

    response = client.get(f"/cases/{case('1402-11873').pk}/")

    assert list(response.context["tickets"]) == [first]
    assert 'id="add-request"' not in response.content.decode()


@pytest.mark.parametrize("username", ["oda", "portal_customer", "fa_unit"])
def test_a_case_the_user_may_not_see_is_404(client, agency, username):
    client.force_login(user(username))

    assert client.get(f"/cases/{case('1402-11873').pk}/").status_code == 404


def test_the_index_lists_the_users_own_records(client, agency):
    client.force_login(user("portal_customer"))

    response = client.get("/cases/")

    numbers = sorted(record.number for record in response.context["records"])
    assert numbers == ["IA-000007", "SP-000123", "SP-000131"]


def test_an_order_links_to_the_erp_when_the_site_names_it(client, agency, settings):
    settings.HELPDESK_ERP_ORDER_URL = "https://erp.example.org/orders/{number}"
    client.force_login(user("portal_customer"))
    order = ParentRecord.objects.get(number="SP-000123")

    page = client.get(f"/cases/{order.pk}/").content.decode()

    assert 'href="https://erp.example.org/orders/SP-000123"' in page


def test_without_the_setting_there_is_no_erp_link(client, agency, settings):
    settings.HELPDESK_ERP_ORDER_URL = ""
    order = ParentRecord.objects.get(number="SP-000123")
    client.force_login(user("portal_customer"))

    assert "erp.example.org" not in client.get(f"/cases/{order.pk}/").content.decode()
    assert order.erp_url == ""
    assert ParentRecord(kind=ParentKind.CASE, number="1").erp_url == ""


@pytest.mark.parametrize("count", [1, 20])
def test_the_case_page_makes_a_fixed_number_of_queries(
    client, agency, count, django_assert_max_num_queries
):
    expert = user("fa_expert")
    for n in range(count):
        file_about(case("1402-11873"), expert, f"درخواست {n}")
    client.force_login(expert)

    with django_assert_max_num_queries(10):
        client.get(f"/cases/{case('1402-11873').pk}/")
    with django_assert_max_num_queries(10):
        client.get("/cases/")


MENU_LINK = 'href="/cases/"'


@pytest.mark.parametrize(
    "username",
    ["fa_expert", "fa_reviewer", "fa_unit", "portal_customer", "portal_agent", "tesk"],
)
def test_the_menu_links_the_cases_for_those_who_have_any(client, agency, username):
    client.force_login(user(username))

    assert MENU_LINK in client.get("/tickets/").content.decode()


@pytest.mark.parametrize("username", ["oda", "bursa", "kapasite", "ru_client"])
def test_the_menu_has_no_cases_link_for_those_who_have_none(client, agency, username):
    seed("vendor")
    client.force_login(user(username))

    assert MENU_LINK not in client.get("/tickets/").content.decode()


def test_a_supervisor_sees_no_cases_link_while_there_are_no_records(client, supervisor):
    client.force_login(supervisor)

    assert MENU_LINK not in client.get("/tickets/").content.decode()
