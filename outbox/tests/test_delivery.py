"""When committed mail leaves: after the response inside a web request, at once elsewhere."""

import pytest

from outbox import delivery, services
from outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_request():
    """Between `request_started` and `request_finished`, as Django's handler sends them."""
    delivery.handover.hold_during_request()
    yield delivery.handover.send_after_response
    delivery.handover.send_after_response()


def test_mail_committed_during_a_request_leaves_after_the_response(
    smtp_server, in_a_request, django_capture_on_commit_callbacks
):
    # when the view's transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        row = services.enqueue(to="ayse@example.org", subject="Konu", text="Metin")

    # then nothing is sent while the page is on its way
    assert smtp_server.messages == []
    assert OutgoingMail.objects.get(pk=row.pk).sent_at is None

    # when the server has the response
    in_a_request()

    # then
    assert [message["To"] for message in smtp_server.messages] == ["ayse@example.org"]
    assert OutgoingMail.objects.get(pk=row.pk).sent_at is not None


def test_mail_committed_outside_a_request_leaves_at_once(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue(to="ayse@example.org", subject="Konu", text="Metin")

    assert [message["To"] for message in smtp_server.messages] == ["ayse@example.org"]


def test_a_silent_mail_server_costs_one_time_out_after_the_response_and_the_mail_waits(
    silent_mail_server, in_a_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue_many(
            [
                OutgoingMail(to="a@example.org", subject="Konu", text="Metin"),
                OutgoingMail(to="b@example.org", subject="Konu", text="Metin"),
            ]
        )

    in_a_request()

    first, second = OutgoingMail.objects.order_by("pk")
    assert (first.attempts, second.attempts) == (1, 0)
    assert first.sent_at is None and first.last_error
