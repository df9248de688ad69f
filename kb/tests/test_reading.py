"""Reading an article: its reader's language, dates in the reader's calendar, related
articles, the way to file a request, the XSS guard over HTTP."""

import pytest

from kb.models import Visibility


def test_the_readers_language_is_shown_first_else_the_original(client, write):
    article = write(title="Prod kodu nasıl girilir", body="Türkçe metin.")
    write(article=article, language="fa", title="کد تولید", body="متن فارسی.")
    persian = client.get(f"/kb/{article.slug}/", HTTP_ACCEPT_LANGUAGE="fa")
    russian = client.get(f"/kb/{article.slug}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "متن فارسی." in persian.text
    assert "Türkçe metin." not in persian.text
    assert 'dir="rtl"' in persian.text
    assert "Türkçe metin." in russian.text


def test_dates_are_shown_in_the_solar_hijri_calendar_in_persian(client, write):
    article = write(language="fa", title="کد تولید", body="متن.")
    article.__class__.objects.filter(pk=article.pk).update(published_at="2023-01-28T08:25:00+00:00")
    response = client.get(f"/kb/{article.slug}/", HTTP_ACCEPT_LANGUAGE="fa")
    assert "۸ بهمن ۱۴۰۱" in response.text


def test_script_in_an_article_never_reaches_the_page(client, write):
    article = write(body='<script>alert("x")</script>\n\n[a](javascript:alert(1))')
    response = client.get(f"/kb/{article.slug}/")
    assert "<script>alert" not in response.text
    assert 'href="javascript:' not in response.text
    assert "&lt;script&gt;" in response.text


def test_related_articles_are_the_same_categorys_visible_ones(client, member, write, technical):
    article = write(title="Bir", slug="one")
    write(title="İki", slug="two")
    write(title="Üç", slug="three", visibility=Visibility.INTERNAL)
    write(title="Dört", slug="four", category=technical)
    client.force_login(member)
    text = client.get("/kb/one/").text
    assert "/kb/two/" in text
    assert "/kb/three/" not in text
    assert "/kb/four/" not in text
    assert f"/tickets/new/?category={article.category_id}" in text


def test_the_new_ticket_form_starts_on_the_category_it_was_linked_with(client, member, capacity):
    client.force_login(member)
    response = client.get(f"/tickets/new/?category={capacity.pk}")
    assert response.context["form"]["category"].value() == capacity.pk


@pytest.mark.parametrize("value", ["abc", "999999", "", "9" * 30, "-1"])
def test_an_unknown_category_on_the_new_ticket_link_is_ignored(client, member, value):
    client.force_login(member)
    response = client.get(f"/tickets/new/?category={value}")
    assert response.status_code == 200
    assert response.context["form"]["category"].value() is None


def test_search_finds_a_word_with_turkish_letters_folded(client, write):
    write(title="KAPASİTE RAPORU prod kodları", slug="capacity")
    write(title="Yerli malı belgesi", body="Belge başvurusu.", slug="local")
    text = client.get("/kb/?q=kapasite+raporu+prod+kodu").text
    assert "/kb/capacity/" in text
    assert "/kb/local/" not in text


@pytest.mark.parametrize("query", ["a" * 5000, "%", "_", "\x00"])
def test_odd_search_text_is_answered_not_failed(client, db, query):
    response = client.get("/kb/", {"q": query})
    assert response.status_code == 200


def test_on_postgresql_article_search_has_its_trigram_index(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_article_search_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_among_equal_matches_the_readers_language_comes_first(client, write):
    turkish = write(title="Kapasite raporu", body="Metin.", slug="only-turkish")
    persian = write(title="Kapasite raporu", body="Metin.", slug="also-persian")
    write(article=persian, language="fa", title="گزارش ظرفیت", body="متن.")
    # The Turkish-only article is the newer one: by date alone it would come first.
    type(turkish).objects.filter(pk=turkish.pk).update(published_at="2030-01-01T00:00:00Z")

    def order(language):
        found = client.get("/kb/?q=kapasite", HTTP_ACCEPT_LANGUAGE=language).context["articles"]
        return [article.slug for article in found]

    assert order("fa") == ["also-persian", "only-turkish"]
    assert order("tr") == ["only-turkish", "also-persian"]
