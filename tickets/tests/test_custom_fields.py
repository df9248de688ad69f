"""Custom fields per category: on the form, the page, the list's filters, the export,
the mail notices; validated on the server; a definition edited keeps stored values."""

import os

import pytest

from outbox.models import OutgoingMail
from tickets.models import CustomField, Ticket, TicketKind
from tickets.records import FieldType
from tickets.tests.test_list import read_csv

POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def fields(capacity):
    make = CustomField.objects.create
    return {
        "serial": make(
            category=capacity,
            key="serial",
            type=FieldType.TEXT,
            label="Serial number",
            labels={"tr": "Seri numarası"},
            required=True,
            position=1,
        ),
        "count": make(category=capacity, key="count", type=FieldType.NUMBER, label="Count"),
        "due": make(category=capacity, key="due", type=FieldType.DATE, label="Due"),
        "region": make(
            category=capacity,
            key="region",
            type=FieldType.CHOICE,
            label="Region",
            labels={"tr": "Bölge"},
            choices=[
                {"value": "north", "label": "North", "labels": {"tr": "Kuzey"}},
                {"value": "south", "label": "South", "labels": {"tr": "Güney"}},
            ],
        ),
        "codes": make(
            category=capacity,
            key="codes",
            type=FieldType.MULTIPLE_CHOICE,
            label="Codes",
            choices=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
        ),
        "urgent": make(category=capacity, key="urgent", type=FieldType.CHECKBOX, label="Urgent"),
    }


def cf(fields, key):
    return f"cf_{fields[key].pk}"


def post(client, capacity, fields, **values):
    data = {
        "category": capacity.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": "Kapasite raporu",
        "description": "Prod kodları eksik.",
    }
    data.update({cf(fields, key): value for key, value in values.items()})
    return client.post("/tickets/new/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_values_are_stored_typed(client, member, capacity, fields):
    client.force_login(member)

    response = post(
        client,
        capacity,
        fields,
        serial="SN-1",
        count="12",
        due="2026-12-01",
        region="north",
        codes=["a", "b"],
        urgent="on",
    )

    assert response.status_code == 302
    assert Ticket.objects.get().custom == {
        "serial": "SN-1",
        "count": 12,
        "due": "2026-12-01",
        "region": "north",
        "codes": ["a", "b"],
        "urgent": True,
    }


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({}, "serial", "This field is required."),
        ({"serial": "x", "region": "east"}, "region", None),
        ({"serial": "x", "codes": ["a", "z"]}, "codes", None),
        ({"serial": "x", "count": "twelve"}, "count", "Enter a number."),
        ({"serial": "x", "due": "1405-09-12x"}, "due", None),
        ({"serial": "x", "due": "31/31/2026"}, "due", None),
    ],
)
def test_a_bad_value_shows_the_form_again_and_saves_nothing(
    client, member, capacity, fields, values, field, message
):
    client.force_login(member)

    response = post(client, capacity, fields, **values)

    assert response.status_code == 200
    errors = response.context["form"].errors[cf(fields, field)]
    assert errors
    if message:
        assert errors == [message]
    assert not Ticket.objects.exists()


def test_another_categorys_required_field_is_not_asked(client, member, capacity, technical):
    CustomField.objects.create(
        category=technical, key="os", type=FieldType.TEXT, label="OS", required=True
    )
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "low",
            "subject": "S",
            "description": "D",
        },
    )

    assert response.status_code == 302


def test_a_field_for_one_kind_only_is_asked_for_that_kind(client, member, capacity):
    suggestion = TicketKind.objects.get(code="suggestion")
    field = CustomField.objects.create(
        category=capacity,
        kind=suggestion,
        key="idea",
        type=FieldType.TEXT,
        label="Idea",
        required=True,
    )
    client.force_login(member)
    data = {"category": capacity.pk, "priority": "low", "subject": "S", "description": "D"}

    problem = client.post("/tickets/new/", {**data, "kind": "problem"})
    refused = client.post("/tickets/new/", {**data, "kind": "suggestion"})

    assert problem.status_code == 302
    assert refused.status_code == 200
    assert refused.context["form"].errors[f"cf_{field.pk}"]


def test_the_ticket_page_shows_the_values_in_the_readers_language(
    client, member, capacity, fields, file
):
    ticket = file(custom={"serial": "SN-1", "region": "south"})
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()

    assert "Seri numarası" in page and "SN-1" in page
    assert "Bölge" in page and "Güney" in page


def test_editing_a_definition_keeps_the_stored_values(client, member, capacity, fields, file):
    ticket = file(custom={"serial": "SN-1", "region": "south"})
    region = fields["region"]
    region.label = "Area"
    region.labels = {}
    region.choices = [{"value": "north", "label": "North"}]  # "south" no longer offered
    region.required = True
    region.save()
    fields["serial"].is_active = False
    fields["serial"].save()
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    ticket.refresh_from_db()
    assert ticket.custom == {"serial": "SN-1", "region": "south"}
    assert "Area" in page and "south" in page
    assert "SN-1" in page


def test_the_list_filters_by_a_choice_field(client, member, capacity, fields, file):
    north = file(subject="Kuzey", custom={"serial": "1", "region": "north"})
    file(subject="Güney", custom={"serial": "2", "region": "south"})
    file(subject="Boş", custom={"serial": "3"})
    client.force_login(member)

    response = client.get("/tickets/?cf_region=north")

    assert [ticket.pk for ticket, _cells in response.context["rows"]] == [north.pk]
    assert 'name="cf_region"' in response.content.decode()


def test_the_list_filters_by_a_multiple_choice_field(client, member, capacity, fields, file):
    both = file(subject="İkisi", custom={"serial": "1", "codes": ["a", "b"]})
    file(subject="Biri", custom={"serial": "2", "codes": ["a"]})
    client.force_login(member)

    response = client.get("/tickets/?cf_codes=b")

    assert [ticket.pk for ticket, _cells in response.context["rows"]] == [both.pk]


def test_an_unknown_choice_in_the_filter_is_ignored_not_an_error(client, member, fields, file):
    file(custom={"serial": "1", "region": "north"})
    client.force_login(member)

    response = client.get("/tickets/?cf_region=<script>")

    assert response.status_code == 200


def test_the_export_has_the_values(client, member, capacity, fields, file):
    file(custom={"serial": "=SN-1", "region": "north"})
    client.force_login(member)

    rows = read_csv(client.get("/tickets/export.csv", HTTP_ACCEPT_LANGUAGE="en"))

    assert rows[0][-1] == "More fields"
    # In the form's order (positions); the cell starts with a label, not the "=".
    assert rows[1][-1] == "Region: North; Serial number: =SN-1"


def test_the_filing_notice_lists_the_values(
    member, responsible, capacity, fields, file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file(custom={"serial": "SN-7", "region": "north"})

    notice = OutgoingMail.objects.get(ticket_id=ticket.pk, to=responsible.email)
    assert "SN-7" in notice.text
    assert "SN-7" in notice.html


def test_the_service_refuses_a_bad_value_whatever_the_caller(member, capacity, fields, file):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        file(custom={"serial": "x", "region": "west"})

    assert not Ticket.objects.exists()


@pytest.fixture
def applicant(capacity):
    make = CustomField.objects.create
    return {
        "email": make(category=capacity, key="email", type=FieldType.EMAIL, label="E-mail"),
        "phone": make(category=capacity, key="phone", type=FieldType.PHONE, label="Phone"),
    }


@pytest.mark.parametrize(
    "key, typed",
    [("email", "ivanov@"), ("phone", "8352 123456"), ("phone", "+7 12")],
)
def test_a_typed_in_applicants_bad_address_or_phone_is_refused(
    client, member, capacity, applicant, key, typed
):
    client.force_login(member)

    response = post(client, capacity, applicant, **{key: typed})

    assert response.status_code == 200
    assert response.context["form"].errors[cf(applicant, key)]
    assert not Ticket.objects.exists()


def test_a_typed_in_applicants_phone_is_kept_in_international_format(
    client, member, capacity, applicant
):
    client.force_login(member)

    post(client, capacity, applicant, email="ivanov@example.org", phone="+7 (8352) 62-35-11")

    assert Ticket.objects.get().custom == {"email": "ivanov@example.org", "phone": "+78352623511"}


def in_country(member, scheme):
    member.organisation.tax_scheme = scheme
    member.organisation.save(update_fields=["tax_scheme"])


@pytest.mark.parametrize(
    "scheme, typed, stored",
    [
        ("tr", "0532 123 45 67", "+905321234567"),
        ("ru", "8 (835) 262-35-11", "+78352623511"),
        ("ru", "+7 (912) 345-67-89", "+79123456789"),
        ("ir", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "+989123456789"),
        ("ir", "+90 532 123 45 67", "+905321234567"),
    ],
)
def test_a_phone_typed_without_its_code_is_read_in_the_requesters_country(
    client, member, capacity, applicant, scheme, typed, stored
):
    in_country(member, scheme)
    client.force_login(member)

    post(client, capacity, applicant, phone=typed)

    assert Ticket.objects.get().custom == {"phone": stored}


@pytest.mark.parametrize(
    "scheme, example",
    [("tr", "+90 501 234 56 78"), ("ru", "+7 912 345-67-89"), ("ir", "+98 912 345 6789")],
)
def test_a_wrong_phone_is_refused_with_an_example_of_the_requesters_country(
    client, member, capacity, applicant, scheme, example
):
    in_country(member, scheme)
    client.force_login(member)

    response = post(client, capacity, applicant, phone="12-34")

    assert response.context["form"].errors[cf(applicant, "phone")] == [
        f"Enter a valid phone number, e.g. {example}."
    ]
    assert not Ticket.objects.exists()


def test_the_service_reads_a_phone_in_the_requesters_country_whoever_files(
    member, responsible, capacity, applicant, file
):
    in_country(member, "ru")
    typed = {"phone": "8 912 345 67 89"}

    ticket = file(by=responsible, requester=member, channel="phone", custom=typed)

    assert ticket.custom == {"phone": "+79123456789"}


def test_a_phone_is_asked_with_the_phone_keyboard_and_the_filers_countrys_mask(
    client, member, capacity, applicant
):
    in_country(member, "ru")
    client.force_login(member)

    response = client.get("/tickets/new/")

    html = response.content.decode()
    start = html.index(f'name="{cf(applicant, "phone")}"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    for attribute in ['type="tel"', 'inputmode="tel"', 'autocomplete="tel"', 'dir="ltr"']:
        assert attribute in tag
    assert 'data-phone-mask="+7 (___) ___-__-__" data-phone-trunk="8"' in tag
    assert 'src="/static/js/phone-mask.js"' in html


def test_a_solar_hijri_date_on_a_gregorian_page_is_refused(client, member, capacity, fields):
    client.force_login(member)

    response = post(client, capacity, fields, serial="x", due="1402-09-12")

    assert response.status_code == 200
    assert "Solar Hijri" in str(response.context["form"].errors[cf(fields, "due")])
    assert not Ticket.objects.exists()


def test_a_persian_page_takes_the_date_in_the_solar_hijri_calendar(
    client, member, capacity, fields
):
    client.force_login(member)
    data = {
        "category": capacity.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": "S",
        "description": "D",
        cf(fields, "serial"): "x",
        cf(fields, "due"): "۱۴۰۲/۰۹/۱۲",
    }

    client.post("/tickets/new/", data, HTTP_ACCEPT_LANGUAGE="fa")

    ticket = Ticket.objects.get()
    assert ticket.custom["due"] == "2023-12-03"
    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۱۲ آذر ۱۴۰۲" in page


def test_the_service_refuses_a_solar_hijri_year_as_a_gregorian_date(member, fields, file):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        file(custom={"serial": "x", "due": "1402-09-12"})


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's GIN index")
def test_the_values_are_gin_indexed_for_the_filters_containment(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'ticket_custom_gin'")
        (definition,) = cursor.fetchone()

    assert "gin (custom jsonb_path_ops)" in definition


def test_the_list_offers_only_the_choice_fields_of_the_users_deployment(
    client, member, capacity, fields, file
):
    from accounts.models import Organisation
    from categories.tests.factories import CategoryFactory

    vendor = Organisation.objects.create(name="Yazılım A.Ş.", kind="company")
    elsewhere = CategoryFactory(name="Первая линия", scope=vendor)
    CustomField.objects.create(
        category=elsewhere,
        key="connection",
        type=FieldType.CHOICE,
        label="Connection type",
        choices=[{"value": "vpn", "label": "VPN"}],
    )
    client.force_login(member)

    page = client.get("/tickets/").content.decode()

    assert 'name="cf_region"' in page  # its own category's
    assert 'name="cf_connection"' not in page  # another deployment's


def test_a_key_two_deployments_share_offers_each_its_own_choices(
    client, member, capacity, fields, file
):
    """The list draws its filter fields once for the same criteria: not across users
    whose field of one key is another (common/templatetags/fragments.py)."""
    from accounts.models import Organisation
    from accounts.tests.factories import UserFactory
    from categories.tests.factories import CategoryFactory

    vendor = Organisation.objects.create(name="Yazılım A.Ş.", kind="company")
    elsewhere = CategoryFactory(name="Первая линия", scope=vendor)
    for key, kind in (("region", FieldType.CHOICE), ("codes", FieldType.MULTIPLE_CHOICE)):
        CustomField.objects.create(
            category=elsewhere,
            key=key,  # the same keys as the member's
            type=kind,
            label=key.title(),
            choices=[{"value": "moscow", "label": "Moscow"}],
        )
    seen = []
    for user in (member, UserFactory(organisation=vendor), member):
        client.force_login(user)
        seen.append(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert 'value="north"' in seen[0] and 'value="moscow"' not in seen[0]
    assert 'value="moscow"' in seen[1] and 'value="north"' not in seen[1]
    assert 'value="north"' in seen[2]


@pytest.mark.parametrize("raw", [5, "a", {"a": 1}])
def test_a_multiple_choice_value_that_is_not_a_list_is_refused_not_an_error(fields, raw):
    from django.core.exceptions import ValidationError

    from tickets import filing

    with pytest.raises(ValidationError):
        filing.clean_value(fields["codes"], raw)


def test_a_ticket_is_not_redirected_into_another_deployments_category(ticket, responsible):
    from accounts.models import Organisation
    from categories.tests.factories import CategoryFactory
    from tickets import services
    from tickets.workflow import TicketStateError

    vendor = Organisation.objects.create(name="Yazılım A.Ş.", kind="company")
    elsewhere = CategoryFactory(name="Первая линия", scope=vendor)

    with pytest.raises(TicketStateError):
        services.redirect_to_category(ticket, by=responsible, category=elsewhere)

    ticket.refresh_from_db()
    assert ticket.category != elsewhere
