"""Signing in: by username or e-mail, closed accounts told why, lockout, sessions."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import Q
from django.utils import translation

from accounts import selectors, services
from accounts.middleware import LAST_SEEN
from accounts.models import User
from common.calendars import format_datetime

LOGIN = "/accounts/login/"
DEMO_PASSWORD = "demo12345"


def sign_in(client, username, password=DEMO_PASSWORD, address="127.0.0.1", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


@pytest.mark.parametrize("name", ["oda", "oda@example.org", "ODA@EXAMPLE.ORG"])
def test_members_sign_in_with_their_username_or_email(client, member, name):
    response = sign_in(client, name)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_sign_in_page_links_to_registration_and_reset(client, db):
    page = client.get(LOGIN).content.decode()

    assert 'href="/accounts/register/"' in page
    assert 'href="/accounts/password_reset/"' in page
    assert 'name="remember"' in page


def test_a_pending_account_is_told_it_waits_for_approval(client, pending):
    response = sign_in(client, "yeni", "Kestane-şekeri-42")

    assert errors(response) == [
        "Your registration is waiting for an administrator's approval. "
        "You will get an e-mail when it is decided."
    ]
    assert "_auth_user_id" not in client.session


def test_a_closed_account_with_a_wrong_password_learns_nothing(client, pending):
    response = sign_in(client, "yeni", "wrong")

    assert "approval" not in " ".join(errors(response))
    assert errors(response) == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]


def test_a_refused_account_is_told_the_reason(client, pending, reviewer):
    services.refuse(pending, by=reviewer, reason="Başvuru eksik.")

    response = sign_in(client, "ayse@example.org", "Kestane-şekeri-42")

    assert errors(response) == ["Your registration was refused: Başvuru eksik."]
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_is_told_it_is_closed(client, member):
    member.is_active = False
    member.save()

    response = sign_in(client, "oda")

    assert errors(response) == ["This account is closed. Please contact the administrators."]


def fail(client, name, address="127.0.0.1"):
    return client.post(LOGIN, {"username": name, "password": "wrong"}, REMOTE_ADDR=address)


def test_repeated_failures_lock_the_name_at_that_address(client, member, settings):
    # given as many wrong passwords as allowed for "oda" from one address
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda")

    # when the right password comes next, from the same address
    response = sign_in(client, "oda")

    # then
    assert response.status_code == 429
    assert "Signing in is locked for a while" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_new_ipv6_addresses_in_one_network_count_as_one_address(client, member, settings):
    # given wrong passwords for "oda", each from another address of one IPv6 /64
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda", address=f"2001:db8:1:2::{n + 1:x}")

    # when the right password comes from yet another address of that network
    response = sign_in(client, "oda", address="2001:db8:1:2:ffff::9")

    # then it is locked there, and not from another network
    assert response.status_code == 429
    assert sign_in(client, "oda", address="2001:db8:1:3::1").status_code == 302


def test_the_lockout_page_says_until_when(client, member, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda")

    response = sign_in(client, "oda")

    # The refused try counted too: the lock lasts a cool-off from it.
    last_failure = AccessAttempt.objects.get(username="oda").attempt_time
    with translation.override("en"):
        until = format_datetime(last_failure + timedelta(minutes=15))
    page = response.content.decode()
    assert f"Please try again after {until} (in 15\xa0minutes)." in page
    assert (
        "There were too many failed attempts to sign in with this name from your address." in page
    )


def test_a_locked_name_does_not_lock_the_others_at_that_address(
    client, member, chamber_colleague, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda")

    response = sign_in(client, "oda2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(chamber_colleague.pk)


def test_failures_from_elsewhere_do_not_lock_the_name_here(client, member, settings):
    # Nobody locks someone else out of their account from another address.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda", address="192.0.2.66")

    assert sign_in(client, "oda").status_code == 302


def test_the_email_spelling_counts_for_the_same_username(client, member, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda@example.org" if n % 2 else "ODA")

    assert sign_in(client, "oda").status_code == 429


def test_failures_with_many_names_lock_the_address(client, member, chamber_colleague, settings):
    # given a spray of made-up names from one address, up to its own limit
    for n in range(settings.HELPDESK_ADDRESS_FAILURE_LIMIT):
        fail(client, f"nobody{n}")

    # then every name is locked there, a right password too
    response = sign_in(client, "oda2")

    assert response.status_code == 429
    assert "There were too many failed attempts to sign in from your address." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # and not elsewhere
    assert sign_in(client, "oda2", address="10.0.0.2").status_code == 302


def test_twenty_wrong_passwords_in_a_row_never_sign_in(client, member):
    statuses = [sign_in(client, "oda", f"wrong{n}").status_code for n in range(20)]

    assert statuses[:4] == [200] * 4
    assert set(statuses[5:]) == {429}
    assert sign_in(client, "oda").status_code == 429


def test_the_lock_ends_after_the_cool_off(client, member, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "oda", "wrong")
    time.sleep(1.1)

    assert sign_in(client, "oda").status_code == 302


def test_a_success_clears_the_failures(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "oda", "wrong")
    sign_in(client, "oda")
    client.post("/accounts/logout/")

    assert sign_in(client, "oda", "wrong").status_code == 200
    assert sign_in(client, "oda").status_code == 302


def test_without_remember_me_the_session_ends_with_the_browser(client, member):
    sign_in(client, "oda")

    assert client.session.get_expire_at_browser_close()


def test_remember_me_keeps_the_session(client, member, settings):
    sign_in(client, "oda", remember="on")

    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def idle_for(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_signed_out(client, member, settings):
    # given
    client.force_login(member)
    idle_for(client, settings.SESSION_IDLE_TIMEOUT + 1)

    # when
    response = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response["Location"] == "/accounts/login/?next=/tickets/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You were signed out after a while without activity." in page


def test_a_session_in_use_stays_signed_in(client, member, settings):
    client.force_login(member)
    idle_for(client, settings.SESSION_IDLE_TIMEOUT - 5)

    assert client.get("/tickets/").status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 1


def test_a_remembered_session_is_not_signed_out_for_idling(client, member, settings):
    sign_in(client, "oda", remember="on")
    idle_for(client, settings.SESSION_IDLE_TIMEOUT + 1)

    assert client.get("/tickets/").status_code == 200


def test_signing_out_ends_the_session(client, member):
    sign_in(client, "oda")

    client.post("/accounts/logout/")

    assert client.get("/tickets/").status_code == 302


def test_the_test_clients_login_still_works(client, member):
    # Axes needs a request; a sign-in without one is not a web sign-in and not counted.
    assert client.login(username="oda", password=DEMO_PASSWORD)


def test_failures_and_lockouts_are_logged_by_address_never_by_name(
    client, member, settings, caplog
):
    caplog.set_level("INFO", logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "oda@example.org", address="10.9.8.7")

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("Locking out" in line and "10.9.8.7" in line for line in lines)
    assert not any("oda" in line or "example.org" in line for line in lines)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_sign_in_name_is_looked_up_through_an_index_not_a_scan_of_every_user(member):
    lookup = User.objects.filter(Q(username__iexact="ODA") | Q(email__iexact="oda@example.org"))
    sql, params = lookup.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # whatever the few rows here
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "user_username_upper" in plan and "user_email_upper" in plan, plan
    assert selectors.user_for_login("ODA") == member
