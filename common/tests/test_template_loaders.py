"""The template loader that keeps each constant `{% translate %}` by language
(common/template_loaders.py): the same output as Django's, looked up once a language."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.test import Client
from django.utils import timezone, translation
from django.utils.autoreload import file_changed

from common.template_loaders import KeptTranslateNode

SOURCES = {
    "plain": '{% load i18n %}{% translate "Sign out" %}',
    "trans": '{% load i18n %}{% trans "Sign out" %}',
    "as": '{% load i18n %}{% translate "Sign out" as words %}[{{ words }}]',
    "context": '{% load i18n %}{% translate "May" context "month name" %}',
    "signs": '{% load i18n %}{% translate "100% <b>&" %}',
    "unescaped": '{% load i18n %}{% autoescape off %}{% translate "<b> & \'" %}{% endautoescape %}',
    "nested": '{% load i18n %}{% for x in "ab" %}{% if x %}{% translate "Sign out" %}{% endif %}'
    "{% endfor %}",
    "included": '{% include "plain" %}|{% include "as" %}',
    "signs unescaped": '{% autoescape off %}{% include "signs" %}{% endautoescape %}',
    "switched": '{% load i18n %}{% translate "Sign out" %}|'
    '{% language "tr" %}{% include "plain" %}{% endlanguage %}',
    "filtered": '{% load i18n %}{% translate "Sign out"|upper %}',
    "variable": "{% load i18n %}{% translate words %}",
    "noop": '{% load i18n %}{% translate "Sign out" noop %}',
    "variable context": '{% load i18n %}{% translate "May" context which %}',
}
KEPT = {"plain", "trans", "as", "context", "signs", "unescaped", "nested", "switched"}


def engine(kept: bool) -> Engine:
    locmem = ("django.template.loaders.locmem.Loader", SOURCES)
    loader = "common.template_loaders.Loader" if kept else "django.template.loaders.cached.Loader"
    return Engine(loaders=[(loader, [locmem])], libraries={"i18n": "django.templatetags.i18n"})


def drawn(engine: Engine, name: str, language: str) -> str:
    values = {"words": "Sign out", "which": "month name"}
    with translation.override(language):
        return engine.get_template(name).render(Context(values))


@pytest.mark.parametrize("name", SOURCES)
def test_a_translation_comes_out_as_djangos_in_every_language(name):
    kept, djangos = engine(kept=True), engine(kept=False)
    for language in ["tr", "en", "fa", "tr", "ru"]:
        assert drawn(kept, name, language) == drawn(djangos, name, language)
    assert drawn(kept, "plain", "tr") == "Çıkış"  # a word the catalogue translates


def test_a_kept_translation_follows_the_page_s_escaping():
    kept, djangos = engine(kept=True), engine(kept=False)
    for name in ["signs", "signs unescaped", "signs"]:
        assert drawn(kept, name, "en") == drawn(djangos, name, "en")
    assert drawn(kept, "signs unescaped", "en") == "100% <b>&"


def test_a_page_that_switches_language_midway_gets_each_part_in_its_own():
    """As a notice is written in each recipient's language: the same node, two languages."""
    kept = engine(kept=True)
    assert drawn(kept, "plain", "en") == "Sign out"
    assert drawn(kept, "switched", "en") == "Sign out|Çıkış"
    assert drawn(kept, "switched", "fa") == drawn(engine(kept=False), "switched", "fa")


@pytest.mark.parametrize("name", SOURCES)
def test_only_a_constant_translation_is_kept(name):
    nodes = engine(kept=True).get_template(name).nodelist.get_nodes_by_type(TranslateNode)
    kinds = {type(node) for node in nodes}
    if name in ("included", "signs unescaped"):
        assert kinds == set()  # the included templates' own: as each
    else:
        assert kinds == ({KeptTranslateNode} if name in KEPT else {TranslateNode})


def test_a_kept_translation_is_looked_up_once_a_language():
    kept, djangos = engine(kept=True), engine(kept=False)
    lookups = mock.patch.object(translation._trans, "gettext", wraps=translation._trans.gettext)
    with lookups as gettext:
        for _ in range(3):
            drawn(kept, "plain", "tr")
        drawn(kept, "plain", "en")
    assert gettext.call_count == 2
    with lookups as gettext:
        for _ in range(3):
            drawn(djangos, "plain", "tr")
    assert gettext.call_count == 3


def test_a_changed_catalogue_compiles_the_templates_anew():
    backend = engines["django"]
    before = backend.get_template("tickets/detail.html").template
    file_changed.send(sender=None, file_path=Path("locale/tr/LC_MESSAGES/django.py"))
    assert backend.get_template("tickets/detail.html").template is before
    file_changed.send(sender=None, file_path=Path("locale/tr/LC_MESSAGES/django.mo"))
    assert backend.get_template("tickets/detail.html").template is not before


TOKENS = re.compile(r'(name="(csrfmiddlewaretoken|submission)" value=)"[^"]+"')


def pages(user, ticket) -> list[str]:
    client = Client()
    client.force_login(user)
    drawn = []
    for language in ["tr", "fa", "en"]:
        type(user).objects.filter(pk=user.pk).update(language=language)
        for url in ["/tickets/", f"/tickets/{ticket.pk}/", "/tickets/new/"]:
            response = client.get(url)
            assert response.status_code == 200
            drawn.append(TOKENS.sub(r"\1-", response.content.decode()))
    return drawn


def test_the_site_s_pages_are_the_same_as_with_djangos_loader(
    settings, member, responsible, ticket
):
    users = (member, responsible)
    # The clock stopped, and each page seen once first: the handler's visit marks the
    # ticket read, which the member's list then shows.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
        for user in users:
            pages(user, ticket)
        kept = {user: pages(user, ticket) for user in users}
        (options,) = [t["OPTIONS"] for t in settings.TEMPLATES]
        (loader, inner) = options["loaders"][0]
        assert loader == "common.template_loaders.Loader"
        djangos = [("django.template.loaders.cached.Loader", inner)]
        settings.TEMPLATES = [
            {**t, "OPTIONS": {**options, "loaders": djangos}} for t in settings.TEMPLATES
        ]
        for user, drawn in kept.items():
            assert pages(user, ticket) == drawn
