"""Writing in the site: a category's team writes its articles, supervisors all; each save
is a revision; the preview renders without saving."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.prepared import statement_text
from kb import services as kb_services
from kb.models import AppendOnlyError, Article, Revision, Visibility
from tickets import services as tickets

FIELDS = {
    "visibility": Visibility.PUBLIC,
    "language": "tr",
    "title": "Yerli malı belgesi başvurusu",
    "body": "Başvuru **adımları**.",
}


def test_a_handler_writes_and_publishes_an_article_of_their_category(client, responsible, capacity):
    client.force_login(responsible)
    response = client.post("/kb/new/", {**FIELDS, "category": capacity.pk})
    article = Article.objects.get()
    assert response["Location"] == f"/kb/{article.slug}/"
    assert article.slug == "yerli-mali-belgesi-basvurusu"
    assert article.published_at is not None
    assert list(article.revisions.values_list("author", "title")) == [
        (responsible.pk, FIELDS["title"])
    ]
    assert "<strong>adımları</strong>" in client.get(response["Location"]).text


def test_a_handler_cannot_write_in_another_teams_category(client, responsible, technical):
    client.force_login(responsible)
    response = client.post("/kb/new/", {**FIELDS, "category": technical.pk})
    assert response.status_code == 200
    assert Article.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "union_member"])
def test_members_do_not_write(client, request, role, capacity):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/kb/new/").status_code == 404
    assert client.post("/kb/new/", {**FIELDS, "category": capacity.pk}).status_code == 404
    assert Article.objects.count() == 0


def test_another_team_cannot_edit_an_article_it_can_read(client, other_responsible, write):
    article = write(visibility=Visibility.INTERNAL)
    client.force_login(other_responsible)
    assert client.get(f"/kb/{article.slug}/edit/").status_code == 404
    response = client.post(f"/kb/{article.slug}/edit/", {**FIELDS, "category": article.category_id})
    assert response.status_code == 404
    assert article.revisions.count() == 1


def test_each_save_is_a_revision_and_a_translation_is_added(client, responsible, write):
    article = write(by=responsible)
    client.force_login(responsible)
    client.post(
        f"/kb/{article.slug}/edit/",
        {**FIELDS, "category": article.category_id, "title": "Yeni başlık"},
    )
    client.post(
        f"/kb/{article.slug}/edit/?language=en",
        {**FIELDS, "category": article.category_id, "language": "en", "title": "In English"},
    )
    assert [r.title for r in article.revisions.order_by("id")] == [
        "Kapasite raporunda prod kodu nasıl girilir",
        "Yeni başlık",
        "In English",
    ]
    assert sorted(article.translations.values_list("language", "title")) == [
        ("en", "In English"),
        ("tr", "Yeni başlık"),
    ]
    history = client.get(f"/kb/{article.slug}/history/")
    assert "Yeni başlık" in history.text
    assert "In English" in history.text


def test_the_preview_renders_safely_and_saves_nothing(client, supervisor, capacity):
    client.force_login(supervisor)
    response = client.post(
        "/kb/new/",
        {
            **FIELDS,
            "category": capacity.pk,
            "body": "# Başlık\n\n<script>x()</script>",
            "preview": "1",
        },
    )
    assert response.status_code == 200
    assert "<h1>Başlık</h1>" in response.text
    assert "<script>x()" not in response.text
    assert Article.objects.count() == 0


def test_a_taken_or_reserved_address_is_refused_with_a_message(client, supervisor, capacity, write):
    write(slug="taken")
    client.force_login(supervisor)
    for slug in ("taken", "new", "suggest"):
        response = client.post(
            "/kb/new/",
            {**FIELDS, "category": capacity.pk, "slug": slug},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "Another article has this address." in response.text
    assert Article.objects.count() == 1


def test_a_title_in_another_script_still_gets_an_address(write):
    first = write(title="کد تولید", language="fa")
    second = write(title="کد تولید", language="fa")
    assert (first.slug, second.slug) == ("article", "article-2")


def test_revisions_are_never_changed_nor_deleted(write):
    article = write()
    revision = article.revisions.get()
    revision.title = "changed"
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        revision.delete()
    with pytest.raises(AppendOnlyError):
        Revision.objects.filter(article=article).update(title="changed")
    with pytest.raises(AppendOnlyError):
        Revision.objects.filter(article=article).delete()


def test_a_handler_drafts_an_article_from_a_resolved_tickets_explanation(
    client, responsible, ticket
):
    # given
    tickets.resolve(ticket, by=responsible, explanation="Prod kodunu listeden seçin.")
    client.force_login(responsible)
    assert f"/kb/new/?ticket={ticket.pk}" in client.get(f"/tickets/{ticket.pk}/").text
    # when
    page = client.get(f"/kb/new/?ticket={ticket.pk}")
    form = page.context["form"]
    response = client.post(
        f"/kb/new/?ticket={ticket.pk}",
        {
            "category": form["category"].value(),
            "visibility": form["visibility"].value(),
            "language": "tr",
            "title": form["title"].value(),
            "body": form["body"].value(),
        },
    )
    # then
    article = Article.objects.get()
    assert response["Location"] == f"/kb/{article.slug}/"
    assert (article.visibility, article.from_ticket, article.category) == (
        Visibility.DRAFT,
        ticket,
        ticket.category,
    )
    assert article.translations.get().body == "Prod kodunu listeden seçin."


def test_no_draft_from_an_open_or_unseen_ticket(client, responsible, other_responsible, file):
    open_ticket = file()
    client.force_login(responsible)
    form = client.get(f"/kb/new/?ticket={open_ticket.pk}").context["form"]
    assert form["title"].value() is None
    assert "/kb/new/?ticket=" not in client.get(f"/tickets/{open_ticket.pk}/").text
    client.force_login(other_responsible)
    for value in (str(open_ticket.pk), "x", "9" * 30):
        form = client.get("/kb/new/", {"ticket": value}).context["form"]
        assert form["title"].value() is None


def test_the_tickets_page_lists_the_articles_drafted_from_it_to_those_who_may_read_them(
    client, responsible, member, ticket, django_assert_max_num_queries
):
    tickets.resolve(ticket, by=responsible, explanation="Prod kodunu listeden seçin.")
    article = kb_services.write(
        by=responsible,
        category=ticket.category,
        visibility=Visibility.DRAFT,
        language="tr",
        title="Prod kodu listeden seçilir",
        body="Listeden seçin.",
        from_ticket=ticket,
    )
    client.force_login(member)
    assert f"/kb/{article.slug}/" not in client.get(f"/tickets/{ticket.pk}/").text  # a draft
    client.force_login(responsible)
    assert f"/kb/{article.slug}/" in client.get(f"/tickets/{ticket.pk}/").text

    kb_services.write(
        by=responsible,
        article=article,
        category=ticket.category,
        visibility=Visibility.MEMBERS,
        language="tr",
        title="Prod kodu listeden seçilir",
        body="Listeden seçin.",
    )
    client.force_login(member)
    # The page's 14 (tickets/tests/test_list.py) and the articles' translations.
    with django_assert_max_num_queries(15):
        page = client.get(f"/tickets/{ticket.pk}/").text
    assert f"/kb/{article.slug}/" in page
    assert "/kb/new/?ticket=" not in page  # members do not write


def test_a_ticket_no_article_was_drafted_from_asks_nothing_of_the_articles(
    client, responsible, ticket
):
    client.force_login(responsible)
    client.get(f"/tickets/{ticket.pk}/")  # the read receipt is written once

    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/tickets/{ticket.pk}/").text

    # The ticket's own row tells the panel there is nothing (tickets/panels.py's facts).
    texts = [statement_text(q["sql"], connection) for q in queries]
    asked = [text for text in texts if '"kb_article"' in text]
    assert len(asked) == 1 and 'FROM "tickets_ticket"' in asked[0]
    assert "/kb/new/?ticket=" not in page  # not resolved: nothing to draft from
