"""`{% fragment %}` (common/templatetags/fragments.py): drawn once a process for each
language, URL prefix and set of values; drawn afresh for a value of None."""

import itertools

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import include, path, set_script_prefix, set_urlconf
from django.utils import translation
from django.utils.autoreload import file_changed

from common.templatetags import fragments

DRAWN = Template(
    '{% load fragments i18n %}{% fragment "test" role %}'
    "{{ counter.next }} {% translate 'Sign out' %} {% url 'tickets:list' %}{% endfragment %}"
)


class UnderDesk:
    """Another URLconf: the site under /desk/."""

    urlpatterns = [path("desk/", include("helpdesk_site.urls"))]


class Counter:
    def __init__(self):
        self.numbers = itertools.count(1)

    def next(self):
        return next(self.numbers)


@pytest.fixture
def counter():
    return Counter()  # nothing drawn before: conftest's _no_fragments_kept


def drawn(counter, role="member", language="en") -> str:
    with translation.override(language):
        return DRAWN.render(Context({"counter": counter, "role": role}))


def test_a_fragment_is_drawn_once_for_the_same_values(counter):
    assert drawn(counter) == "1 Sign out /tickets/"
    assert drawn(counter) == "1 Sign out /tickets/"


def test_other_values_draw_it_again(counter):
    drawn(counter, role="member")

    assert drawn(counter, role="staff") == "2 Sign out /tickets/"
    assert drawn(counter, role="member") == "1 Sign out /tickets/"


def test_each_language_has_its_own(counter):
    drawn(counter, language="en")

    assert drawn(counter, language="tr") == "2 Çıkış /tickets/"


def test_a_site_under_a_path_has_its_own(counter):
    drawn(counter)
    set_script_prefix("/desk/")
    try:
        assert drawn(counter) == "2 Sign out /desk/tickets/"
    finally:
        set_script_prefix("/")


def test_other_urls_have_their_own(counter):
    drawn(counter)
    set_urlconf(UnderDesk)
    try:
        assert drawn(counter) == "2 Sign out /desk/tickets/"
    finally:
        set_urlconf(None)


def test_a_value_of_none_draws_it_each_time_and_keeps_nothing(counter):
    assert drawn(counter, role=None) == "1 Sign out /tickets/"
    assert drawn(counter, role=None) == "2 Sign out /tickets/"
    assert fragments._drawn == {}


def test_a_full_store_is_emptied_before_the_next_is_kept(counter, monkeypatch):
    monkeypatch.setattr(fragments, "MAX_KEPT", 2)
    for role in ("a", "b", "c"):
        drawn(counter, role=role)

    assert len(fragments._drawn) == 1
    assert drawn(counter, role="c") == "3 Sign out /tickets/"


def test_an_edited_file_in_development_draws_them_all_again(counter, tmp_path):
    drawn(counter)

    file_changed.send(sender=None, file_path=tmp_path / "base.html")  # what runserver sends

    assert drawn(counter) == "2 Sign out /tickets/"


def test_a_fragment_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% fragment name %}x{% endfragment %}")
