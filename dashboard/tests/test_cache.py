import csv
import io

import pytest
from django.core.cache import cache


@pytest.fixture
def cached(settings, db):
    settings.HELPDESK_DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _waiting(client, url="/dashboard/open-status.csv"):
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))[1]


def test_figures_are_kept_for_the_same_scope_and_counted_anew_for_another(
    cached, client, file, responsible, supervisor, member
):
    file()
    client.force_login(responsible)
    assert _waiting(client) == ["Waiting", "1"]
    file(subject="later")
    # the same team's scope: the kept figures
    assert _waiting(client) == ["Waiting", "1"]
    # another scope, or another filter: counted now
    client.force_login(supervisor)
    assert _waiting(client) == ["Waiting", "2"]
    client.force_login(member)
    assert _waiting(client) == ["Waiting", "2"]
    client.force_login(responsible)
    assert _waiting(client, "/dashboard/open-status.csv?category=") == ["Waiting", "1"]


def test_a_handler_never_gets_figures_kept_for_another_team(
    cached, client, file, technical, responsible, other_responsible
):
    file()
    client.force_login(responsible)
    assert _waiting(client) == ["Waiting", "1"]
    client.force_login(other_responsible)
    assert _waiting(client) == ["Waiting", "0"]


def test_a_staff_member_without_a_team_never_gets_figures_kept_for_a_member(
    cached, client, file, member
):
    """A member counts their organisation's tickets; a staff member of the same
    organisation without a team only what they filed or were given."""
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    staff = UserFactory(username="staff", organisation=member.organisation, role=Role.STAFF)
    file()
    client.force_login(member)
    assert _waiting(client) == ["Waiting", "1"]

    client.force_login(staff)

    assert _waiting(client) == ["Waiting", "0"]
