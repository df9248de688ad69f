"""The new-ticket form's suggestions, and the deflection rule: a suggested article opened
and no ticket filed by the same person within the hour after."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kb import selectors
from kb.models import View, Visibility


def suggest(client, **params):
    response = client.get("/kb/suggest/", params)
    assert response.status_code == 200
    return json.loads(response.content)["results"]


def test_typing_the_subject_finds_the_article(client, member, write):
    # given
    write(title="Kapasite raporunda prod kodları nasıl girilir", slug="prod-kodlari")
    write(title="Yerli malı belgesi", body="Belge başvurusu.", slug="yerli")
    client.force_login(member)
    # when
    results = suggest(client, q="kapasite raporu prod kodu")
    # then
    assert [row["url"] for row in results] == ["/kb/prod-kodlari/?from=suggest"]
    assert results[0]["title"] == "Kapasite raporunda prod kodları nasıl girilir"


def test_suggestions_hold_only_published_articles_the_member_may_read(client, member, write):
    write(title="Prod kodu açık", slug="public")
    write(title="Prod kodu üyeler", slug="members", visibility=Visibility.MEMBERS)
    write(title="Prod kodu iç", slug="internal", visibility=Visibility.INTERNAL)
    write(title="Prod kodu taslak", slug="draft", visibility=Visibility.DRAFT)
    client.force_login(member)
    urls = {row["url"] for row in suggest(client, q="prod kodu")}
    assert urls == {"/kb/public/?from=suggest", "/kb/members/?from=suggest"}


def test_the_chosen_categorys_articles_come_first(client, member, write, technical):
    write(title="Prod kodu teknik hata", slug="technical", category=technical)
    write(title="Prod kodu", slug="capacity")
    client.force_login(member)
    results = suggest(client, q="prod kodu teknik hata", category=technical.pk)
    assert results[0]["url"] == "/kb/technical/?from=suggest"
    results = suggest(client, q="prod kodu teknik hata", category="x")
    assert len(results) == 2


def test_suggestions_are_few_and_cost_the_same_queries_for_one_or_many(
    client, member, write, django_assert_max_num_queries
):
    client.force_login(member)
    write(title="Prod kodu 0", slug="p0")
    client.get("/kb/suggest/", {"q": "prod"})  # the session is loaded once
    with django_assert_max_num_queries(6) as one:
        assert len(suggest(client, q="prod")) == 1
    for n in range(1, 12):
        write(title=f"Prod kodu {n}", slug=f"p{n}")
        write(article=None, title=f"Prod code {n}", slug=f"e{n}", language="en")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(suggest(client, q="prod kodu code " + "x " * 50)) == 5


@pytest.mark.parametrize("query", ["", " ", "a", "%_%", "x" * 10_000])
def test_an_empty_or_odd_query_suggests_nothing_and_never_fails(client, member, write, query):
    write(title="Prod kodu")
    client.force_login(member)
    assert suggest(client, q=query) == []


def test_suggestions_need_a_signed_in_user(client, db):
    response = client.get("/kb/suggest/", {"q": "prod"})
    assert response.status_code == 302


def test_the_form_offers_the_help_without_javascript(client, member):
    client.force_login(member)
    text = client.get("/tickets/new/").text
    assert 'href="/kb/?from=suggest"' in text
    assert 'data-suggest="/kb/suggest/"' in text


def test_the_help_reached_from_the_form_links_articles_as_suggestions(client, member, write):
    write(slug="prod")
    client.force_login(member)
    assert 'href="/kb/prod/?from=suggest"' in client.get("/kb/?from=suggest&q=prod").text
    assert 'href="/kb/prod/"' in client.get("/kb/?q=prod").text


def test_opening_a_suggestion_and_not_filing_is_a_deflection(client, member, write):
    article = write()
    client.force_login(member)
    client.get(f"/kb/{article.slug}/?from=suggest")
    client.get(f"/kb/{article.slug}/")
    assert list(View.objects.values_list("from_suggestion", "filed")) == [
        (True, False),
        (False, False),
    ]


def test_filing_within_the_hour_after_a_suggestion_is_no_deflection(client, member, write, file):
    article = write()
    client.force_login(member)
    client.get(f"/kb/{article.slug}/?from=suggest")
    client.get(f"/kb/{article.slug}/?from=suggest")
    old = View.objects.create(article=article, user=member, from_suggestion=True)
    View.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    file()
    assert View.objects.filter(filed=True).count() == 2
    assert View.objects.get(pk=old.pk).filed is False


def test_an_anonymous_reader_is_never_counted_as_deflected(client, write):
    article = write()
    client.get(f"/kb/{article.slug}/?from=suggest")
    assert list(View.objects.values_list("user", "from_suggestion")) == [(None, False)]


def test_the_figures_count_views_votes_and_settled_deflections(client, member, write, file):
    article = write()
    client.force_login(member)
    client.get(f"/kb/{article.slug}/?from=suggest")
    client.post(f"/kb/{article.slug}/vote/", {"useful": "yes"})
    # Within the hour the member may still file: not yet a deflection.
    assert selectors.figures() == {
        "viewed": 1,
        "deflected": 0,
        "useful_votes": 1,
        "not_useful_votes": 0,
    }
    View.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert selectors.figures()["deflected"] == 1
    assert selectors.figures(since=timezone.now() - timedelta(hours=1))["viewed"] == 0
