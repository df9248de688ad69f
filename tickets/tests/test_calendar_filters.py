"""The list's date filters read the calendar of the page's language."""

import datetime

import pytest

from tickets.models import Ticket

# 28 January 2023 11:25 in Istanbul (UTC+3) is 8 Bahman 1401.
BAHMAN_8 = datetime.datetime(2023, 1, 28, 8, 25, tzinfo=datetime.UTC)


def _created_on(ticket: Ticket, moment: datetime.datetime) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(created_at=moment)
    return ticket


def test_the_persian_list_filters_by_solar_hijri_dates(client, file, member):
    before = _created_on(file(subject="Before"), BAHMAN_8 - datetime.timedelta(days=1))
    on_the_day = _created_on(file(subject="On the day"), BAHMAN_8)
    client.force_login(member)

    response = client.get(
        "/tickets/",
        {"created_from": "۱۴۰۱/۱۱/۰۸", "created_to": "1401-11-08"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )

    assert [t.pk for t in response.context["page"].object_list] == [on_the_day.pk]
    assert before.pk != on_the_day.pk
    assert "۸ بهمن ۱۴۰۱ ۱۱:۲۵" in response.content.decode()


@pytest.mark.parametrize(
    "language, typed",
    [("fa", "1401-13-40"), ("fa", "۱۴۰۱/۱۲/۳۰"), ("tr", "1401-11-08"), ("tr", "30.02.2019")],
)
def test_a_date_in_the_wrong_calendar_or_format_gets_a_message_not_an_error(
    client, ticket, member, language, typed
):
    client.force_login(member)

    response = client.get("/tickets/", {"created_from": typed}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    form = response.context["filter"].form
    assert form.errors["created_from"]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "id_created_from_error" in page
    # The other filters still apply: here none, so the ticket is listed.
    assert [t.pk for t in response.context["page"].object_list] == [ticket.pk]
