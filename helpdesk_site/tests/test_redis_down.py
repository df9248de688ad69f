"""Redis stopped while the site serves: pages are still served, nobody gets an error
page, users stay signed in (sessions are written through to the database), and all
works as before once Redis is back. A real redis-server, stopped and started again."""

import importlib

import pytest
from django.test import Client

import helpdesk_site.settings
from outbox.models import OutgoingMail
from tickets.models import EventKind

PASSWORD = "demo12345"  # noqa: S105 - the factories' password


@pytest.fixture
def site_on_redis(settings, monkeypatch, redis_server):
    """The settings the site reads with REDIS_URL naming the private Redis."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    site = importlib.reload(helpdesk_site.settings)
    settings.CACHES = site.CACHES
    settings.SESSION_ENGINE = site.SESSION_ENGINE
    yield redis_server
    monkeypatch.undo()
    importlib.reload(helpdesk_site.settings)


def sessions_in_redis(redis_server) -> list[bytes]:
    return [key for key in redis_server.client().scan_iter("*sessions*")]


def sign_in(client, username="oda"):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_pages_are_served_while_redis_is_down_and_after_it_is_back(site_on_redis, ticket):
    # given a member signed in and browsing, the session in Redis
    browser = Client()
    sign_in(browser)
    assert browser.get("/tickets/").status_code == 200
    assert len(sessions_in_redis(site_on_redis)) == 1

    # when Redis stops
    site_on_redis.stop()

    # then the member still browses and acts, signed in
    page = browser.get("/tickets/")
    assert page.status_code == 200
    assert ticket.subject in page.content.decode()
    assert browser.get(f"/tickets/{ticket.pk}/").status_code == 200
    reply = browser.post(f"/tickets/{ticket.pk}/reply/", {"body": "Redis yokken yazıldı."})
    assert reply.status_code == 302
    assert ticket.events.filter(kind=EventKind.REPLIED).count() == 1

    # and when it is back, the same session goes on and is in Redis again
    site_on_redis.start()
    assert browser.get("/tickets/").status_code == 200
    assert browser.get(f"/tickets/{ticket.pk}/").status_code == 200
    assert len(sessions_in_redis(site_on_redis)) == 1


def test_signing_in_works_while_redis_is_down(site_on_redis, member):
    site_on_redis.stop()
    browser = Client()

    assert browser.get("/tickets/").status_code == 302  # to the sign-in page
    assert browser.get("/accounts/login/").status_code == 200
    sign_in(browser)

    assert browser.get("/tickets/").status_code == 200


def test_mail_asked_for_while_redis_is_down_waits_in_the_outbox(site_on_redis, member):
    # The rate limits cannot count without Redis: they let the request through.
    site_on_redis.stop()

    response = Client().post("/accounts/password_reset/", {"email": "oda@example.org"})

    assert response.status_code == 302
    assert OutgoingMail.objects.filter(to="oda@example.org").count() == 1
