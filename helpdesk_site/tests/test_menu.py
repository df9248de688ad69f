"""The menu shows each user the links of their role: drawn once a process for each role
and language (common/templatetags/fragments.py), never another role's."""

import re

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tickets.records import ParentKind, ParentRecord


def menu(client, user) -> list[str]:
    """The menu's links, by their paths."""
    client.force_login(user)
    html = client.get("/kb/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bar = html.split('<ul class="navbar-nav me-auto">')[1].split('<span class="navbar-text')[0]
    return re.findall(r'href="(/[^"]*)"', bar)


MEMBERS = ["/tickets/", "/tickets/new/", "/kb/", "/dashboard/", "/accounts/profile/"]


def test_each_role_sees_its_own_links_whoever_came_before(
    client, member, responsible, supervisor, tesk
):
    administrator = UserFactory(organisation=tesk, role=Role.STAFF, is_staff=True)
    # A superuser supervises whatever their role.
    superuser = UserFactory(organisation=tesk, role=Role.STAFF, is_staff=True, is_superuser=True)
    seen = {}
    for name, user in [
        ("member", member),
        ("responsible", responsible),
        ("supervisor", supervisor),
        ("administrator", administrator),
        ("superuser", superuser),
        ("member again", member),
    ]:
        seen[name] = menu(client, user)

    assert seen["member"] == seen["member again"] == MEMBERS
    assert "/canned/" in seen["responsible"] and "/accounts/directory/" not in seen["responsible"]
    assert {"/canned/", "/accounts/directory/", "/webhooks/"} <= set(seen["supervisor"])
    assert "/admin/" in seen["administrator"] and "/admin/" not in seen["supervisor"]
    assert "/webhooks/" in seen["superuser"] and "/webhooks/" not in seen["administrator"]


def test_the_cases_link_shows_once_there_are_records_to_see(client, member, inegol_chamber):
    before = menu(client, member)
    ParentRecord.objects.create(
        kind=ParentKind.CASE, number="1402-1", title="Dosya", organisation=inegol_chamber
    )

    assert "/cases/" not in before
    assert "/cases/" in menu(client, member)


def test_the_language_switcher_marks_the_pages_language_whichever_came_before(client, member):
    client.force_login(member)
    selected = []
    for language in ("en", "tr", "fa", "en"):
        html = client.get("/kb/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        selected.append(re.search(r'<option value="(\w+)" lang="\w+" selected>', html)[1])

    assert selected == ["en", "tr", "fa", "en"]
