"""Who reads which article, over HTTP: internal is 404 to members and anonymous readers,
a draft to all but its writers and supervisors."""

import pytest

from kb.models import Visibility

ROLES = ["anonymous", "member", "responsible", "other_responsible", "supervisor"]
# What each role gets for an article of the Kapasite Raporu category.
EXPECTED = {
    Visibility.PUBLIC: {
        "anonymous": 200,
        "member": 200,
        "responsible": 200,
        "other_responsible": 200,
        "supervisor": 200,
    },
    Visibility.MEMBERS: {
        "anonymous": 302,
        "member": 200,
        "responsible": 200,
        "other_responsible": 200,
        "supervisor": 200,
    },
    Visibility.INTERNAL: {
        "anonymous": 404,
        "member": 404,
        "responsible": 200,
        "other_responsible": 200,
        "supervisor": 200,
    },
    Visibility.DRAFT: {
        "anonymous": 404,
        "member": 404,
        "responsible": 200,
        "other_responsible": 404,
        "supervisor": 200,
    },
}


@pytest.mark.parametrize("visibility", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_an_article_page_answers_each_reader_by_its_visibility(
    client, request, write, visibility, role
):
    # given
    article = write(title="Prod kodu", visibility=visibility)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    # when
    response = client.get(f"/kb/{article.slug}/")
    # then
    assert response.status_code == EXPECTED[visibility][role]
    if response.status_code == 200:
        assert "Prod kodu" in response.text
    if response.status_code == 302:
        assert response["Location"].startswith(f"/accounts/login/?next=/kb/{article.slug}/")


def test_an_unknown_address_is_404_like_a_hidden_one(client, db):
    assert client.get("/kb/no-such-article/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_index_and_its_search_list_only_what_the_reader_may_see(client, request, write, role):
    write(title="Açık makale prod", slug="public-one")
    write(title="Üyelere prod", slug="members-one", visibility=Visibility.MEMBERS)
    write(title="İç not prod", slug="internal-one", visibility=Visibility.INTERNAL)
    write(title="Taslak prod", slug="draft-one", visibility=Visibility.DRAFT)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in ("/kb/", "/kb/?q=prod"):
        response = client.get(url)
        assert response.status_code == 200
        assert "/kb/public-one/" in response.text
        assert ("/kb/members-one/" in response.text) == (role == "member")
        assert "/kb/internal-one/" not in response.text
        assert "/kb/draft-one/" not in response.text


def test_a_writer_sees_the_drafts_of_their_category_in_the_index(client, responsible, write):
    write(title="Taslak", slug="draft-one", visibility=Visibility.DRAFT)
    client.force_login(responsible)
    assert "/kb/draft-one/" in client.get("/kb/").text


def test_a_hidden_article_cannot_be_voted_on(client, member, write):
    article = write(visibility=Visibility.INTERNAL)
    client.force_login(member)
    response = client.post(f"/kb/{article.slug}/vote/", {"useful": "yes"})
    assert response.status_code == 404
    assert article.votes.count() == 0


def test_an_author_who_left_every_team_no_longer_reads_their_internal_article(
    client, responsible, capacity, write
):
    from kb.models import Visibility as Seen

    article = write(by=responsible, visibility=Seen.INTERNAL)
    capacity.responsibles.remove(responsible)
    client.force_login(responsible)

    assert client.get(f"/kb/{article.slug}/").status_code == 404
