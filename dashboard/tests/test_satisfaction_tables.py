"""Satisfaction per category and per handler, against the answers counted in Python.
The surveys are answered through their links, as requesters do (the dashboard may not
import the satisfaction app; its rows are read with apps.get_model)."""

import csv
import io
import re

from django.apps import apps

from outbox.models import OutgoingMail
from tickets import services

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _close_and_rate(client, ticket, *, handler, requester, rating):
    services.assign(ticket, by=handler, assignee=handler)
    services.resolve(ticket, by=handler, explanation="ok")
    services.close(ticket, by=requester)
    mail = OutgoingMail.objects.get(ticket_id=ticket.pk, topic="survey")
    link = re.search(r"https?://\S+(/survey/\S+/)", mail.text).group(1)
    assert client.post(link, {"rating": str(rating)}).status_code == 200


def _csv(client, url):
    body = client.get(url, **EN).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_ratings_per_category_and_handler_match_the_answers(
    client, file, member, responsible, other_responsible, technical, supervisor
):
    for rating in (2, 5):
        _close_and_rate(client, file(), handler=responsible, requester=member, rating=rating)
    _close_and_rate(
        client, file(category=technical), handler=other_responsible, requester=member, rating=4
    )
    file()  # open, no survey
    survey = apps.get_model("satisfaction", "Survey")
    expected = {}
    for category, rating in survey.objects.values_list("ticket__category__name", "rating"):
        expected.setdefault(category, []).append(rating)
    client.force_login(supervisor)
    # when
    rows = _csv(client, "/dashboard/satisfaction-category.csv")
    handlers = _csv(client, "/dashboard/satisfaction-handler.csv")
    # then
    assert rows[0] == ["Category", "Answers", "Average rating (1–5)"]
    assert {name: (int(n), float(avg)) for name, n, avg in rows[1:]} == {
        name: (len(values), sum(values) / len(values)) for name, values in expected.items()
    }
    assert {name: int(n) for name, n, _avg in handlers[1:]} == {"kapasite": 2, "teknik": 1}
    # a handler sees their own categories' answers only
    client.force_login(other_responsible)
    assert _csv(client, "/dashboard/satisfaction-category.csv")[1:] == [
        ["Bilgi İşlem – Teknik", "1", "4.0"]
    ]
