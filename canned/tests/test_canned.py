"""Canned replies: their team's and the shared ones, filled for the ticket, picked in the
reply form; another team's is a 404."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from canned.models import Action, CannedReply
from tickets import services
from tickets.models import Status, Ticket

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def canned(capacity, technical):
    def make(title, *, category=None, action=Action.REPLY, language="tr", body="Merhaba"):
        return CannedReply.objects.create(
            title=title, category=category, action=action, language=language, body=body
        )

    return make


def results(client, user, ticket):
    client.force_login(user)
    response = client.get(f"/canned/ticket/{ticket.pk}/", **EN)
    assert response.status_code == 200
    return response.json()["results"]


def test_a_handler_gets_the_categorys_and_the_shared_replies_filled_for_the_ticket(
    client, ticket, responsible, canned, capacity, technical, member
):
    canned(
        "Codes",
        category=capacity,
        body="Dear {requester} of {organisation}, ticket {ticket} is {unknown}.",
    )
    canned("Shared greeting")
    canned("Technical only", category=technical)

    found = results(client, responsible, ticket)

    assert sorted(choice["title"] for choice in found) == ["Codes", "Shared greeting"]
    codes = next(choice for choice in found if choice["title"] == "Codes")
    organisation = ticket.organisation.name
    assert codes["body"] == (
        f"Dear {member.display_name()} of {organisation}, ticket #{ticket.pk} is {{unknown}}."
    )
    assert (codes["form"], codes["field"]) == ("reply", "body")


def test_the_requesters_language_comes_first(client, ticket, responsible, canned, member):
    member.language = "ru"
    member.save(update_fields=["language"])
    canned("A Turkish", language="tr")
    canned("B Russian", language="ru")

    found = results(client, responsible, ticket)

    assert [choice["title"] for choice in found] == ["B Russian", "A Turkish"]


def test_a_status_setting_reply_is_offered_only_when_the_status_allows_it(
    client, ticket, responsible, canned, capacity
):
    canned("Need the number", category=capacity, action=Action.REQUEST_INFO)
    canned("Done", category=capacity, action=Action.RESOLVE)
    assert {c["form"] for c in results(client, responsible, ticket)} == {
        "request-info",
        "resolve",
    }

    services.resolve(ticket, by=responsible, explanation="Fixed.")

    assert results(client, responsible, ticket) == []


@pytest.mark.parametrize("user", ["member", "other_responsible", "union_member"])
def test_the_replies_of_a_ticket_are_a_404_for_anyone_but_its_handlers(
    client, ticket, canned, capacity, user, request
):
    canned("Codes", category=capacity)
    client.force_login(request.getfixturevalue(user))

    assert client.get(f"/canned/ticket/{ticket.pk}/").status_code == 404
    assert client.get(f"/canned/ticket/{ticket.pk}/pick/").status_code == 404


def test_another_teams_reply_cannot_be_edited_or_deleted(client, canned, technical, responsible):
    theirs = canned("Technical", category=technical)
    client.force_login(responsible)

    assert client.get(f"/canned/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/canned/{theirs.pk}/edit/", {"title": "Mine"}).status_code == 404
    assert client.post(f"/canned/{theirs.pk}/delete/").status_code == 404
    assert CannedReply.objects.get(pk=theirs.pk).title == "Technical"


def test_a_team_member_writes_a_reply_for_their_category(client, responsible, capacity):
    client.force_login(responsible)

    response = client.post(
        "/canned/new/",
        {
            "title": "Prod codes",
            "category": capacity.pk,
            "language": "tr",
            "action": Action.REQUEST_INFO,
            "body": "Sayın {requester}, kapasite numaranızı yazar mısınız?",
        },
    )

    assert response.status_code == 302
    saved = CannedReply.objects.get()
    assert (saved.category, saved.action, saved.created_by) == (
        capacity,
        Action.REQUEST_INFO,
        responsible,
    )


def test_a_team_member_cannot_write_for_another_team_or_for_everyone(
    client, responsible, technical
):
    client.force_login(responsible)
    data = {"title": "x", "language": "tr", "action": Action.REPLY, "body": "y"}

    other = client.post("/canned/new/", {**data, "category": technical.pk}, **EN)
    shared = client.post("/canned/new/", {**data, "category": ""}, **EN)

    assert other.status_code == shared.status_code == 200
    assert "Select a valid choice" in other.content.decode()
    assert "This field is required" in shared.content.decode()
    assert not CannedReply.objects.exists()


def test_a_supervisor_writes_shared_replies(client, supervisor):
    client.force_login(supervisor)

    client.post(
        "/canned/new/",
        {"title": "Thanks", "category": "", "language": "en", "action": "reply", "body": "Hi"},
    )

    assert CannedReply.objects.get().category is None


def test_members_have_no_canned_pages(client, member):
    client.force_login(member)

    assert client.get("/canned/").status_code == 404
    assert client.get("/canned/new/").status_code == 404


def test_the_list_shows_usable_replies_and_links_only_the_editable_ones(
    client, responsible, canned, capacity
):
    mine = canned("Mine", category=capacity)
    shared = canned("Everyone's")
    client.force_login(responsible)

    html = client.get("/canned/", **EN).content.decode()

    assert "Mine" in html and "Everyone&#x27;s" in html
    assert f"/canned/{mine.pk}/edit/" in html
    assert f"/canned/{shared.pk}/edit/" not in html


def test_without_javascript_the_pick_page_posts_to_the_action_that_sets_the_status(
    client, ticket, responsible, canned, capacity
):
    chosen = canned(
        "Need the number",
        category=capacity,
        action=Action.REQUEST_INFO,
        body="{requester}, which number?",
    )
    client.force_login(responsible)

    html = client.get(f"/canned/ticket/{ticket.pk}/pick/", **EN).content.decode()

    assert f'action="/tickets/{ticket.pk}/request-info/"' in html
    assert f'id="canned-{chosen.pk}-text" name="body"' in html
    assert f"{ticket.requester.display_name()}, which number?" in html
    # what that form posts goes through the ticket's own service
    client.post(f"/tickets/{ticket.pk}/request-info/", {"body": "Which number?"})
    assert Ticket.objects.get(pk=ticket.pk).status == Status.INFO_REQUESTED


def test_the_ticket_page_offers_the_picker_to_handlers_only(client, ticket, responsible, member):
    client.force_login(responsible)
    assert (
        f'data-source="/canned/ticket/{ticket.pk}/"'
        in client.get(ticket.get_absolute_url()).content.decode()
    )
    client.force_login(member)
    assert "canned-picker" not in client.get(ticket.get_absolute_url()).content.decode()


def test_the_admin_lists_and_edits_canned_replies(client, canned, capacity, tesk):
    admin = get_user_model().objects.create_superuser(
        username="root", password="x", email="root@example.org", organisation=tesk
    )
    reply = canned("Codes", category=capacity)
    client.force_login(admin)

    assert "Codes" in client.get("/admin/canned/cannedreply/", **EN).content.decode()
    assert client.get(f"/admin/canned/cannedreply/{reply.pk}/change/").status_code == 200


def test_the_demo_replies_are_seeded_once(capacity, technical, settings):
    settings.DEBUG = True

    call_command("seed_canned", stdout=io.StringIO())
    call_command("seed_canned", stdout=io.StringIO())

    assert CannedReply.objects.count() == 5
    assert CannedReply.objects.filter(category=capacity, action=Action.REQUEST_INFO).exists()
