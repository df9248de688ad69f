"""Turkish by default, English complete, every catalogue complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from tickets import services

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_pages_are_turkish_by_default(client, ticket, responsible, member):
    services.mark_read(ticket, by=responsible)
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    listing = client.get("/tickets/").content.decode()

    assert '<html lang="tr" dir="ltr">' in page
    assert "Okundu" in page and "Oluşturuldu" in page and "İşlem Kayıtları" in page
    for label in ["Sorun & Öneri Listesi", "Bildiren", "Okunma Tarihi", "Bekliyor", "Orta"]:
        assert label in listing


def test_accept_language_selects_english(client, ticket, responsible, member):
    services.mark_read(ticket, by=responsible)
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en" dir="ltr">' in page
    assert "Action log" in page and "Waiting" in page and "Capacity Report" in page


def test_an_unknown_language_falls_back_to_turkish(client, member):
    client.force_login(member)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="xx-YY").content.decode()

    assert '<html lang="tr"' in page


def test_persian_pages_run_right_to_left(client, member):
    client.force_login(member)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert '<html lang="fa" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page


def test_the_switcher_sets_the_language(client, member):
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "en", "next": "/tickets/"})

    assert "Problem & Suggestion List" in client.get("/tickets/").content.decode()


def test_a_users_preferred_language_wins_over_the_browser(client, member):
    member.language = "ru"
    member.save()
    client.force_login(member)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="ru"' in page


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_catalogue_is_complete_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))

    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {(e.msgctxt, e.msgid) for e in compiled} >= {
        (e.msgctxt, e.msgid) for e in catalogue.translated_entries()
    }


def test_the_switcher_wins_over_an_earlier_preference_and_becomes_it(client, member):
    member.language = "en"
    member.save()
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "ru", "next": "/tickets/"})

    assert '<html lang="ru"' in client.get("/tickets/").content.decode()
    member.refresh_from_db()
    assert member.language == "ru"


def test_an_unknown_language_from_the_switcher_changes_nothing(client, member):
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "xx", "next": "/tickets/"})

    member.refresh_from_db()
    assert member.language == ""
