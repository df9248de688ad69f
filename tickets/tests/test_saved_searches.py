"""Saved searches: private or shared with a team; another's is a 404."""

import pytest

from tickets.models import SavedSearch


@pytest.fixture
def saved(client, responsible, capacity):
    def save(name="High ones", query="priority=high&view=open", team=""):
        client.force_login(responsible)
        data = {"name": name, "query": query, "team": team and str(team.pk)}
        return client.post("/tickets/searches/", data, HTTP_ACCEPT_LANGUAGE="en")

    return save


def test_a_saved_search_keeps_the_lists_criteria_and_opens_them(client, saved, responsible):
    response = saved(query="priority=high&view=open&page=3&evil=1&sort=-activity")

    search = SavedSearch.objects.get(owner=responsible)
    assert search.query == "priority=high&view=open&sort=-activity"
    assert response["Location"] == f"/tickets/searches/{search.pk}/"
    opened = client.get(response["Location"])
    assert opened["Location"] == "/tickets/?priority=high&view=open&sort=-activity"


def test_saved_searches_are_shown_among_the_views(client, saved):
    saved(name="Yüksek öncelik")

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Yüksek öncelik" in page


def test_a_private_search_is_404_for_a_colleague(client, saved, capacity):
    from accounts.tests.factories import UserFactory

    saved()
    colleague = UserFactory(username="kapasite2")
    capacity.responsibles.add(colleague)
    search = SavedSearch.objects.get()
    client.force_login(colleague)

    assert client.get(f"/tickets/searches/{search.pk}/").status_code == 404
    assert "High ones" not in client.get("/tickets/").content.decode()


def test_a_team_search_is_shared_with_the_team_and_404_for_another_team(
    client, saved, capacity, other_responsible
):
    from accounts.tests.factories import UserFactory

    saved(team=capacity)
    search = SavedSearch.objects.get()
    colleague = UserFactory(username="kapasite2")
    capacity.responsibles.add(colleague)

    client.force_login(colleague)
    assert client.get(f"/tickets/searches/{search.pk}/").status_code == 302
    client.force_login(other_responsible)
    assert client.get(f"/tickets/searches/{search.pk}/").status_code == 404
    assert client.post(f"/tickets/searches/{search.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()


def test_one_cannot_share_with_a_team_one_is_not_on(client, saved, technical):
    response = saved(team=technical)

    assert response.status_code == 302
    assert not SavedSearch.objects.exists()


def test_a_search_without_criteria_is_not_saved(client, saved):
    saved(query="page=2")

    assert not SavedSearch.objects.exists()


def test_the_owner_removes_their_search(client, saved):
    saved()
    search = SavedSearch.objects.get()

    response = client.post(f"/tickets/searches/{search.pk}/delete/")

    assert response.status_code == 302
    assert not SavedSearch.objects.exists()


def test_criteria_too_long_to_keep_are_refused_with_a_message(saved):
    query = "&".join(f"q={'ş' * 190}{n}" for n in range(5)) + "&priority=high"

    response = saved(query=query)

    assert not SavedSearch.objects.exists()
    page = response.content.decode() if response.status_code == 200 else ""
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "These criteria are too long to save." in page + " ".join(messages)


def test_a_team_search_is_among_the_views_of_the_team_only(
    client, saved, capacity, other_responsible
):
    from accounts.tests.factories import UserFactory

    saved(team=capacity)
    link = f'href="/tickets/searches/{SavedSearch.objects.get().pk}/"'
    colleague = UserFactory(username="kapasite2")
    capacity.responsibles.add(colleague)

    client.force_login(colleague)
    assert link in client.get("/tickets/").content.decode()
    client.force_login(other_responsible)
    assert link not in client.get("/tickets/").content.decode()
