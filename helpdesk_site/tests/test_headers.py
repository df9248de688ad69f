"""Headers every response carries: a strict Content-Security-Policy everywhere, and no
copy kept anywhere of what a signed-in user saw."""

import re
from pathlib import Path

import pytest

from tickets import services
from tickets.tests.files import png_bytes, upload

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Mail is read in a mail program, not under the site's policy.
MAIL = "email"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/register/", "/tickets/", "/admin/"])
def test_every_page_allows_only_the_sites_own_scripts_and_styles(client, member, url):
    if url == "/tickets/":
        client.force_login(member)

    directives = policy(client.get(url, follow=True))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in " ".join(directives.values())


@pytest.mark.parametrize(
    "pattern, what",
    [
        (r"<script(?![^>]*\bsrc=)[^>]*>", "an inline script"),
        (r"<[a-z][^>{]*\son[a-z]+\s*=", "an inline event handler"),
        (r"<[a-z][^>{]*\sstyle\s*=", "an inline style"),
        (r"javascript:", "a javascript: link"),
    ],
)
def test_no_template_needs_what_the_policy_blocks(pattern, what):
    offending = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if MAIL not in path.parts and re.search(pattern, path.read_text(), re.IGNORECASE)
    ]

    assert offending == [], f"{what} in {offending}"


def test_signed_in_pages_are_never_stored(client, member, ticket):
    client.force_login(member)

    for url in ["/tickets/", f"/tickets/{ticket.pk}/", "/tickets/export.csv", "/accounts/profile/"]:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_a_document_is_never_stored(client, member, ticket):
    [document] = services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())]).saved
    client.force_login(member)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
