"""axe-core (vendored, browser_tests/vendor/axe.min.js) on the main pages, in Turkish and
Persian, on a desktop and on a phone: no serious or critical WCAG 2.1 A/AA violation."""

import json

import pytest

from tickets.models import Ticket

from .pages import AXE, PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[dict]:
    # Evaluated by the browser's debugging protocol: the page's CSP allows no script tag.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
            "why": violation["nodes"][0]["failureSummary"],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def report(violations: dict) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_the_main_pages_pass_axe_on_a_desktop_and_a_phone(open_page, language):
    resolved = Ticket.objects.exclude(resolved_at=None).first()
    found = {}

    page = open_page(language)
    page.goto("/accounts/login/")
    found["/accounts/login/"] = serious_violations(page)
    page = open_page(language, user="kapasite")
    for url in ["/tickets/", "/tickets/new/", resolved.get_absolute_url()]:
        page.goto(url)
        found[url] = serious_violations(page)
    page.set_viewport_size(PHONE)
    for url in ["/tickets/", resolved.get_absolute_url()]:
        page.goto(url)
        found[f"{url} (phone)"] = serious_violations(page)

    assert {url: v for url, v in found.items() if v} == {}, report(found)


def test_a_refused_form_passes_axe(open_page):
    page = open_page("tr", user="oda")
    page.goto("/tickets/new/")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_selector(".is-invalid")

    violations = serious_violations(page)
    assert violations == [], report(violations)


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_the_privacy_pages_pass_axe(open_page, language):
    from accounts.models import User

    oda = User.objects.get(username="oda")
    found = {}

    page = open_page(language, user="oda")
    page.goto("/privacy/")
    assert page.locator("a[href='/privacy/export/']").count() == 1
    found["/privacy/"] = serious_violations(page)
    page = open_page(language, user="tesk")
    page.goto("/privacy/people/?q=oda")
    found["/privacy/people/"] = serious_violations(page)
    page.goto(f"/privacy/people/{oda.pk}/erase/")
    assert page.locator("input[name=redact_text]").count() == 1
    found["/privacy/people/<id>/erase/"] = serious_violations(page)

    assert {url: v for url, v in found.items() if v} == {}, report(found)
