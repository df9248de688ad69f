"""URLs worked out once a process: `{% url %}` without arguments (common/templatetags/
urls.py) and the static files' hashed names (common/staticstorage.py) come out as
Django's own would, whatever was asked before."""

import json

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from common.staticstorage import ManifestStorage


def rendered(text: str) -> str:
    return Template(text).render(Context())


def test_a_url_without_arguments_is_djangos_each_time():
    for _ in range(2):
        assert rendered("{% url 'tickets:list' %}") == reverse("tickets:list") == "/tickets/"


def test_a_url_with_arguments_or_kept_in_a_variable_is_djangos():
    assert rendered("{% url 'tickets:detail' 5 %}") == "/tickets/5/"
    assert rendered("{% url 'tickets:detail' pk=7 %}") == "/tickets/7/"
    assert rendered("{% url 'tickets:list' as link %}[{{ link }}]") == "[/tickets/]"
    assert rendered("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"


def test_an_unknown_name_fails_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            rendered("{% url 'no-such-page' %}")


def test_a_site_under_a_path_gets_its_own_urls():
    assert rendered("{% url 'tickets:list' %}") == "/tickets/"
    set_script_prefix("/desk/")
    try:
        assert rendered("{% url 'tickets:list' %}") == "/desk/tickets/"
    finally:
        set_script_prefix("/")
    assert rendered("{% url 'tickets:list' %}") == "/tickets/"


@pytest.fixture
def manifest_storage(tmp_path):
    manifest = {"version": "1.1", "hash": "", "paths": {"css/site.css": "css/site.0a1b2c.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return ManifestStorage(location=tmp_path, base_url="/static/")


def test_a_static_file_has_its_hashed_name_each_time(manifest_storage):
    for _ in range(2):
        assert manifest_storage.url("css/site.css") == "/static/css/site.0a1b2c.css"
    with override_settings(DEBUG=True):  # as Django's storage: the name as it is
        assert manifest_storage.url("css/site.css") == "/static/css/site.css"
    assert manifest_storage.url("css/site.css") == "/static/css/site.0a1b2c.css"


def test_a_static_file_missing_from_the_manifest_fails_every_time(manifest_storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="manifest"):
            manifest_storage.url("css/other.css")
