import re
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from outbox.models import OutgoingMail
from satisfaction import services, tokens
from satisfaction.models import Survey
from tickets import services as ticket_services
from tickets.models import Ticket

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _link(ticket) -> str:
    mail = OutgoingMail.objects.get(ticket_id=ticket.pk, topic=services.TOPIC)
    return re.search(r"https?://\S+(/survey/\S+/)", mail.text).group(1)


def test_closing_a_ticket_mails_its_requester_one_survey_link(closed, member):
    # then
    mails = OutgoingMail.objects.filter(ticket_id=closed.pk, topic=services.TOPIC)
    assert [m.to for m in mails] == [member.email]
    assert Survey.objects.filter(ticket=closed, requester=member, rating=None).count() == 1


def test_resolving_alone_sends_no_survey(ticket, responsible):
    ticket_services.resolve(ticket, by=responsible, explanation="Done.")
    assert not Survey.objects.exists()


def test_the_requester_rates_without_signing_in(client, closed):
    # when
    response = client.post(_link(closed), {"rating": "4", "comment": "Hızlıydı"}, **EN)
    # then
    assert response.status_code == 200
    assert "your answer is saved" in response.content.decode()
    survey = Survey.objects.get(ticket=closed)
    assert (survey.rating, survey.comment) == (4, "Hızlıydı")
    assert survey.answered_at is not None


def test_the_answer_can_be_changed_within_a_day_then_not(client, closed):
    url = _link(closed)
    client.post(url, {"rating": "4"})
    client.post(url, {"rating": "5", "comment": "Better"})
    assert Survey.objects.get(ticket=closed).rating == 5
    # a day later the link is used
    Survey.objects.filter(ticket=closed).update(answered_at=timezone.now() - timedelta(hours=25))
    response = client.post(url, {"rating": "1"}, **EN)
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    assert Survey.objects.get(ticket=closed).rating == 5


def test_a_forged_link_gets_a_clear_page_and_stores_nothing(client, closed):
    survey = Survey.objects.get(ticket=closed)
    forged = signing.dumps([survey.pk, survey.key], salt="another salt")
    response = client.post(f"/survey/{forged}/", {"rating": "5"}, **EN)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert Survey.objects.get(ticket=closed).rating is None


def test_a_link_naming_the_survey_with_another_key_is_forged(client, closed):
    survey = Survey.objects.get(ticket=closed)
    token = signing.dumps([survey.pk, "0" * 32], salt=tokens.SALT)
    assert client.post(f"/survey/{token}/", {"rating": "5"}).status_code == 404
    assert Survey.objects.get(ticket=closed).rating is None


def test_an_expired_link_gets_a_clear_page_and_stores_nothing(client, closed, settings):
    url = _link(closed)
    settings.HELPDESK_SURVEY_DAYS = 0
    response = client.post(url, {"rating": "5"}, **EN)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert Survey.objects.get(ticket=closed).rating is None


@pytest.mark.parametrize("rating", ["0", "6", "x", ""])
def test_a_rating_outside_one_to_five_is_refused(client, closed, rating):
    response = client.post(_link(closed), {"rating": rating}, **EN)
    assert response.status_code == 400
    assert Survey.objects.get(ticket=closed).rating is None


def test_a_low_rating_tells_the_supervisors_once(client, closed, supervisor):
    url = _link(closed)
    client.post(url, {"rating": "2", "comment": "Slow"})
    client.post(url, {"rating": "1"})
    mails = OutgoingMail.objects.filter(to=supervisor.email, ticket_id=closed.pk)
    assert mails.count() == 1
    assert "2" in mails.get().subject


def test_a_good_rating_tells_nobody(client, closed, supervisor):
    client.post(_link(closed), {"rating": "4"})
    assert not OutgoingMail.objects.filter(to=supervisor.email).exists()


def test_handlers_see_the_rating_on_the_ticket_and_members_do_not(
    client, closed, responsible, member
):
    services.answer(Survey.objects.get(ticket=closed), rating=2, comment="Geç <b>kaldı</b>")
    client.force_login(responsible)
    page = client.get(closed.get_absolute_url(), **EN).content.decode()
    assert "Requester&#x27;s satisfaction" in page or "Requester's satisfaction" in page
    assert "2/5" in page
    assert "Geç &lt;b&gt;kaldı&lt;/b&gt;" in page
    client.force_login(member)
    page = client.get(closed.get_absolute_url(), **EN).content.decode()
    assert "2/5" not in page


def test_the_survey_page_is_never_stored(client, closed):
    assert "no-store" in client.get(_link(closed))["Cache-Control"]


def test_a_supervisor_who_turned_team_notices_off_is_not_told(client, closed, supervisor):
    supervisor.muted_topics = ["team"]
    supervisor.save()
    client.post(_link(closed), {"rating": "1"})
    assert not OutgoingMail.objects.filter(to=supervisor.email).exists()


def test_a_ticket_closed_by_the_passing_of_its_reopen_window_sends_a_survey_too(
    ticket, responsible, member
):
    ticket_services.resolve(ticket, by=responsible, explanation="ok")
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=30))
    assert ticket_services.close_expired() == 1
    assert Survey.objects.filter(ticket=ticket, requester=member).count() == 1


def test_a_duplicate_closed_by_a_merge_sends_no_survey(file, ticket, responsible):
    duplicate = file(subject="Aynı sorun")

    ticket_services.merge(duplicate, by=responsible, into=ticket)

    duplicate.refresh_from_db()
    assert duplicate.status == "closed"
    assert not Survey.objects.filter(ticket=duplicate).exists()
    assert not OutgoingMail.objects.filter(ticket_id=duplicate.pk, topic=services.TOPIC).exists()
