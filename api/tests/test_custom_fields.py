"""The API files and shows custom field values and the record a ticket is about."""

import pytest

from tickets.models import CustomField, ParentRecord, Ticket
from tickets.records import FieldType, ParentKind


@pytest.fixture
def region(capacity):
    return CustomField.objects.create(
        category=capacity,
        key="region",
        type=FieldType.CHOICE,
        label="Region",
        required=True,
        choices=[{"value": "north", "label": "North"}],
    )


def filing(capacity, **extra):
    return {
        "category": capacity.pk,
        "kind": "problem",
        "subject": "Kapasite raporu",
        "description": "Prod kodları eksik.",
        **extra,
    }


def test_a_ticket_filed_with_custom_values_shows_them(api, member, capacity, region):
    client = api(member)

    response = client.post(
        "/api/v1/tickets/", filing(capacity, custom={"region": "north"}), format="json"
    )

    assert response.status_code == 201
    assert response.json()["custom"] == {"region": "north"}
    assert Ticket.objects.get().custom == {"region": "north"}


@pytest.mark.parametrize("custom", [{}, {"region": "west"}])
def test_a_missing_or_unoffered_value_is_a_400_and_nothing_saved(
    api, member, capacity, region, custom
):
    response = api(member).post("/api/v1/tickets/", filing(capacity, custom=custom), format="json")

    assert response.status_code == 400
    assert "region" in response.json()["fields"]
    assert not Ticket.objects.exists()


def test_a_record_of_another_organisation_is_refused(
    api, member, capacity, region, other_union_member
):
    theirs = ParentRecord.objects.create(
        kind=ParentKind.ORDER,
        number="SP-1",
        title="Their order",
        organisation=other_union_member.organisation,
    )

    response = api(member).post(
        "/api/v1/tickets/",
        filing(capacity, parent=theirs.pk, custom={"region": "north"}),
        format="json",
    )

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_the_detail_names_the_record_it_is_about(api, member, capacity, region):
    ours = ParentRecord.objects.create(
        kind=ParentKind.ORDER, number="SP-2", title="Our order", organisation=member.organisation
    )

    response = api(member).post(
        "/api/v1/tickets/",
        filing(capacity, parent=ours.pk, custom={"region": "north"}),
        format="json",
    )

    body = response.json()
    assert (body["parent"], body["parent_record"]) == (
        ours.pk,
        {"id": ours.pk, "name": "SP-2 — Our order"},
    )
