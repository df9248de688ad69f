""" "Was this useful?": one vote per user, or per address for anonymous readers."""

from kb.models import Visibility


def test_a_member_votes_once_however_often_they_post(client, member, write):
    article = write(visibility=Visibility.MEMBERS)
    client.force_login(member)
    for _ in range(3):
        response = client.post(
            f"/kb/{article.slug}/vote/",
            {"useful": "no", "comment": "Eksik."},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert list(article.votes.values_list("useful", "comment")) == [(False, "Eksik.")]
    assert "Your answer was already recorded." in response.text


def test_anonymous_votes_from_one_address_count_once(client, write):
    article = write()
    for useful in ("yes", "yes", "no"):
        client.cookies.clear()
        client.post(f"/kb/{article.slug}/vote/", {"useful": useful}, REMOTE_ADDR="203.0.113.9")
    client.post(f"/kb/{article.slug}/vote/", {"useful": "yes"}, REMOTE_ADDR="203.0.113.10")
    assert article.votes.filter(useful=True).count() == 2
    assert article.votes.filter(useful=False).count() == 0
    # The address itself is not kept.
    assert not article.votes.filter(voter__contains="203.0.113").exists()


def test_two_members_behind_one_address_each_vote(client, member, chamber_colleague, write):
    article = write()
    for user in (member, chamber_colleague):
        client.force_login(user)
        client.post(f"/kb/{article.slug}/vote/", {"useful": "yes"}, REMOTE_ADDR="203.0.113.9")
    assert article.votes.count() == 2


def test_a_vote_without_an_answer_changes_nothing(client, write):
    article = write()
    response = client.post(
        f"/kb/{article.slug}/vote/", {"useful": "maybe"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Choose yes or no" in response.text
    assert article.votes.count() == 0


def test_writers_see_the_count_of_votes(client, responsible, member, write):
    article = write()
    client.force_login(member)
    client.post(f"/kb/{article.slug}/vote/", {"useful": "yes"})
    client.force_login(responsible)
    page = client.get(f"/kb/{article.slug}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Useful: 1 · Not useful: 0" in page
