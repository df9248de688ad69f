"""The vendor's shape: a contract decides the kinds and products; first line keeps what
it files; the second line takes an escalated ticket by asking for information."""

import pytest

from outbox.models import OutgoingMail
from tickets.models import Component, EventKind, Product, Status, Ticket

from .profiles import post_ticket, seed, unit, user

FIRST, SECOND = "Первая линия поддержки", "Вторая линия поддержки"


@pytest.fixture
def vendor(db, settings):
    settings.DEBUG = True
    seed("tesk", "vendor")


def kinds_offered(client):
    form = client.get("/tickets/new/").context["form"]
    return sorted(form.fields["kind"].queryset.values_list("code", flat=True))


def test_without_a_contract_only_a_consultation_is_offered(client, vendor):
    client.force_login(user("ru_nocontract"))

    assert kinds_offered(client) == ["consultation"]


def test_with_a_contract_its_four_kinds_are_offered(client, vendor):
    client.force_login(user("ru_client"))

    assert kinds_offered(client) == ["consultation", "error", "improvement", "setup"]


def test_a_kind_the_contract_does_not_allow_is_refused_and_nothing_saved(client, vendor):
    client.force_login(user("ru_nocontract"))
    before = Ticket.objects.count()

    response = post_ticket(client, unit(FIRST), "error")

    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert Ticket.objects.count() == before


def test_first_line_filing_for_a_customer_without_a_contract_may_only_consult(client, vendor):
    client.force_login(user("ru_line1"))
    nocontract = user("ru_nocontract")
    before = Ticket.objects.count()

    refused = post_ticket(client, unit(FIRST), "error", requester=nocontract.pk, channel="phone")
    filed = post_ticket(
        client, unit(FIRST), "consultation", requester=nocontract.pk, channel="phone"
    )

    assert refused.status_code == 200
    # In the first line's language (Russian, as the vendor profile seeds its users).
    assert refused.context["form"].errors["kind"] == [
        "Договор вашей организации не допускает заявки такого вида."
    ]
    assert filed.status_code == 302
    assert Ticket.objects.count() == before + 1


def test_first_lines_ticket_is_assigned_to_them_and_the_applicant_told_its_number(
    client, vendor, django_capture_on_commit_callbacks
):
    line1, applicant = user("ru_line1"), user("ru_client")
    client.force_login(line1)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_ticket(
            client, unit(FIRST), "error", requester=applicant.pk, channel="phone"
        )

    ticket = Ticket.objects.get(subject="Тема обращения")
    assert response.status_code == 302
    assert ticket.assignee == line1
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Её номер: {ticket.pk}." in page  # in the first line's language, Russian
    mail = OutgoingMail.objects.get(to=applicant.email, ticket_id=ticket.pk)
    assert mail.topic == "filed"
    assert f"№{ticket.pk} " in mail.subject  # in the applicant's language


def test_a_product_not_under_the_customers_contract_is_refused(client, vendor):
    client.force_login(user("ru_client"))
    foreign = Product.objects.get(name="Web-Торги-КС")
    before = Ticket.objects.count()

    response = post_ticket(client, unit(FIRST), "error", product=foreign.pk)

    assert response.status_code == 200
    assert "product" in response.context["form"].errors
    assert Ticket.objects.count() == before


def test_a_product_and_component_of_the_contract_are_kept(client, vendor):
    client.force_login(user("ru_client"))
    product = Product.objects.get(name="Бюджет-СМАРТ")
    component = Component.objects.get(product=product, name="Планирование")

    post_ticket(client, unit(FIRST), "setup", product=product.pk, component=component.pk)

    ticket = Ticket.objects.get(subject="Тема обращения")
    assert (ticket.product, ticket.component) == (product, component)
    page = client.get(ticket.get_absolute_url()).text
    assert f"<bdi>{product}</bdi> / <bdi>{component.name}</bdi>" in page


def test_a_component_of_another_product_is_refused(client, vendor):
    client.force_login(user("ru_client"))
    product = Product.objects.get(name="Бюджет-СМАРТ")
    other = Component.objects.get(name="Отчётность")

    response = post_ticket(client, unit(FIRST), "setup", product=product.pk, component=other.pk)

    assert response.status_code == 200
    assert "component" in response.context["form"].errors


def test_the_second_line_takes_an_escalated_ticket_by_asking_without_a_comment(client, vendor):
    # given a ticket the first line filed and escalated to the second line
    line1, line2 = user("ru_line1"), user("ru_line2")
    client.force_login(line1)
    post_ticket(client, unit(FIRST), "error", requester=user("ru_client").pk, channel="phone")
    ticket = Ticket.objects.get(subject="Тема обращения")
    client.post(f"/tickets/{ticket.pk}/redirect/", {"category": unit(SECOND).pk})

    # when the second line asks for information without a comment
    client.force_login(line2)
    response = client.post(f"/tickets/{ticket.pk}/request-info/", {"body": ""})

    # then
    ticket.refresh_from_db()
    assert response.status_code == 302
    assert ticket.status == Status.INFO_REQUESTED
    assert ticket.events.filter(kind=EventKind.INFO_REQUESTED, actor=line2).count() == 1


def test_asking_without_a_comment_is_refused_on_a_ticket_not_escalated(client, vendor):
    line1 = user("ru_line1")
    client.force_login(line1)
    post_ticket(client, unit(FIRST), "error", requester=user("ru_client").pk, channel="phone")
    ticket = Ticket.objects.get(subject="Тема обращения")

    response = client.post(f"/tickets/{ticket.pk}/request-info/", {"body": ""})

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert ticket.status == Status.IN_PROGRESS


def test_the_first_line_chooses_the_applicant_from_its_own_directory(client, vendor):
    client.force_login(user("ru_line1"))

    form = client.get("/tickets/new/").context["form"]

    names = set(form.fields["requester"].queryset.values_list("username", flat=True))
    assert {"ru_client", "ru_nocontract", "ru_line2"} <= names
    assert not names & {"oda", "tesk", "kapasite"}


@pytest.fixture
def contract_field(vendor):
    from tickets.models import Contract, CustomField
    from tickets.records import FieldType

    return CustomField.objects.create(
        category=unit(FIRST),
        contract=Contract.objects.get(number="КС-2024/117"),
        key="contract_ref",
        type=FieldType.TEXT,
        label="Contract reference",
        required=True,
    )


def test_a_contracts_own_field_is_asked_only_under_that_contract(client, contract_field):
    name = f"cf_{contract_field.pk}"
    client.force_login(user("ru_nocontract"))
    assert name not in client.get("/tickets/new/").context["form"].fields
    assert post_ticket(client, unit(FIRST), "consultation").status_code == 302

    client.force_login(user("ru_client"))
    refused = post_ticket(client, unit(FIRST), "consultation", subject="Без ссылки")
    filed = post_ticket(client, unit(FIRST), "consultation", subject="Со ссылкой", **{name: "A-1"})

    assert refused.status_code == 200
    assert refused.context["form"].errors[name]
    assert filed.status_code == 302
    assert Ticket.objects.get(subject="Со ссылкой").custom["contract_ref"] == "A-1"


def test_the_first_line_is_asked_the_field_of_the_applicants_contract(client, contract_field):
    client.force_login(user("ru_line1"))
    name = f"cf_{contract_field.pk}"

    for_client = post_ticket(
        client, unit(FIRST), "error", requester=user("ru_client").pk, channel="phone"
    )
    for_nocontract = post_ticket(
        client, unit(FIRST), "consultation", requester=user("ru_nocontract").pk, channel="phone"
    )

    assert for_client.status_code == 200
    assert for_client.context["form"].errors[name]
    assert for_nocontract.status_code == 302
