"""The admin speaks the user's language: its header, its app names, and capital
letters as Turkish writes them."""

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from accounts.tests.factories import UserFactory
from common.text import capfirst


@pytest.fixture
def admin_web(client, db):
    client.force_login(UserFactory(organisation=None, is_staff=True, is_superuser=True))
    return client


def test_the_header_is_the_sites_name_in_turkish(admin_web):
    page = admin_web.get("/admin/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()

    assert "Sorun ve Destek Bildirim Sistemi — Yönetim" in page
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]


def test_the_header_follows_the_language(admin_web):
    page = admin_web.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Problem and Support Notification System — Administration" in page


def test_turkish_capitals_keep_the_dot_on_the_i(admin_web):
    page = admin_web.get("/admin/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()

    assert "İşlem kayıtları" in page
    assert "Işlem" not in page


def test_the_changelist_title_and_breadcrumbs_capitalise_in_turkish(admin_web):
    page = admin_web.get("/admin/tickets/ticketevent/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()

    assert "Işlem" not in page
    assert "İşlem kayıtları" in page


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("tr", "işlem", "İşlem"), ("en", "item", "Item"), ("tr", "ılık", "Ilık"), ("ru", "ы", "Ы")],
)
def test_capfirst_writes_the_languages_capital(language, text, expected):
    with translation.override(language):
        assert capfirst(text) == expected


@pytest.mark.parametrize(
    "label", ["accounts", "categories", "tickets", "outbox", "privacy", "jobs", "backups"]
)
def test_every_apps_name_is_translated(label):
    assert isinstance(apps.get_app_config(label).verbose_name, Promise)
