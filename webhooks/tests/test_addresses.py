"""No server-side request forgery: http(s) only, no loopback, private or link-local
address unless HELPDESK_WEBHOOK_ALLOW_PRIVATE, checked when saved and when sending."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from webhooks import delivery
from webhooks.forms import WebhookForm
from webhooks.models import Delivery, EventType

REFUSED_URLS = [
    "ftp://example.org/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1/",
    "http://127.0.0.1:8000/admin/",
    "http://localhost/hook",
    "http://10.0.0.5/hook",
    "http://192.168.1.1/hook",
    "http://172.16.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[64:ff9b::a00:1]/hook",
    "http://[2002:a00:1::]/hook",
    "http://0.0.0.0/hook",
    "http://user:pass@93.184.215.14/hook",
]


def form(url):
    return WebhookForm({"name": "ERP", "url": url, "events": [EventType.FILED]})


@pytest.mark.django_db
@pytest.mark.parametrize("url", REFUSED_URLS)
def test_a_hook_to_a_forbidden_address_is_refused_with_a_message(url, settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False

    refused = form(url)

    assert not refused.is_valid()
    assert refused.errors["url"]


@pytest.mark.django_db
def test_the_refusal_says_why_in_the_users_language(settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False
    from django.utils import translation

    with translation.override("en"):
        assert form("http://10.0.0.5/").errors["url"] == [
            "Webhooks may not be sent to 10.0.0.5: it is a loopback, private or link-local address."
        ]
        assert form("ftp://example.org/").errors["url"] == [
            "Only http and https addresses can receive webhooks."
        ]


@pytest.mark.django_db
def test_a_public_address_is_accepted(settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False

    assert form("https://93.184.215.14/hooks/helpdesk").is_valid()


@pytest.mark.django_db
def test_the_setting_allows_a_loopback_receiver(settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = True

    assert form("http://127.0.0.1:8080/hook").is_valid()


def test_the_address_is_checked_again_when_sending(receiver, hook, supervisor, file, settings):
    hook(supervisor, [EventType.FILED])  # saved while loopback was allowed
    file()
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False

    assert delivery.send_pending() == (0, 1)

    assert receiver.requests == []
    row = Delivery.objects.get()
    # In the site's language (Turkish), whatever language the sender's request had.
    english = (
        "Webhooks may not be sent to %(host)s: it is a loopback, private or link-local address."
    )
    with translation.override("tr"):
        turkish = gettext(english) % {"host": "127.0.0.1"}
    assert row.last_error == turkish != english % {"host": "127.0.0.1"}
    assert row.response_code is None
