"""A receiver that fails: retries with exponential back-off, a log with the response
codes, and the hook switched off after repeated failure."""

from datetime import timedelta

from django.utils import timezone

from webhooks import delivery
from webhooks.models import Delivery, DeliveryState, EventType

FILED = EventType.FILED


def make_due(rows) -> None:
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_failed_delivery_is_retried_later_with_back_off_and_the_same_id(
    receiver, hook, supervisor, file
):
    registered = hook(supervisor, [FILED])
    receiver.answers = [500, 503]
    file()
    before = timezone.now()

    assert delivery.send_pending() == (0, 1)
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.response_code) == ("pending", 1, 500)
    assert row.last_error == "HTTP 500"
    assert before + timedelta(seconds=55) < row.next_attempt_at < before + timedelta(minutes=2)
    assert delivery.send_pending() == (0, 0)  # not due yet

    make_due([row])
    assert delivery.send_pending() == (0, 1)
    row.refresh_from_db()
    assert row.attempts == 2
    # twice as long after the second failure
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=110)

    make_due([row])
    assert delivery.send_pending() == (1, 0)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.response_code) == ("delivered", 3, 200)
    assert [t.response_code for t in row.tries.all()] == [500, 503, 200]
    # the same body and delivery id each time
    assert len({r["body"] for r in receiver.requests}) == 1
    assert {r["headers"]["X-Helpdesk-Delivery"] for r in receiver.requests} == {str(row.uid)}
    registered.refresh_from_db()
    assert registered.consecutive_failures == 0


def test_a_delivery_fails_for_good_after_the_last_attempt(
    receiver, hook, supervisor, file, settings
):
    settings.HELPDESK_WEBHOOK_MAX_ATTEMPTS = 2
    hook(supervisor, [FILED])
    receiver.answers = [500, 500, 500]
    file()

    delivery.send_pending()
    make_due(Delivery.objects.all())
    delivery.send_pending()
    make_due(Delivery.objects.all())

    assert delivery.send_pending() == (0, 0)
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == (DeliveryState.FAILED, 2)
    assert len(receiver.requests) == 2


def test_a_hook_is_switched_off_after_repeated_failures_and_resumes_when_switched_on(
    receiver, hook, supervisor, file, settings, client
):
    settings.HELPDESK_WEBHOOK_FAILURE_LIMIT = 3
    registered = hook(supervisor, [FILED])
    receiver.answers = [500, 404, 500]
    for number in range(4):
        file(subject=f"Konu {number}")

    assert delivery.send_pending() == (0, 3)

    registered.refresh_from_db()
    assert not registered.is_active
    assert registered.disabled_at is not None
    assert len(receiver.requests) == 3  # the fourth waits
    # nothing more is queued for it while it is off
    file(subject="Sonraki")
    assert registered.deliveries.count() == 4
    # its owner sees why on its page, and switches it on again
    client.force_login(supervisor)
    page = client.get(registered.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "after repeated failed deliveries" in page
    assert "<td>404</td>" in page
    assert "Every attempt" not in page  # one attempt each so far
    client.post(f"/webhooks/{registered.pk}/enable/")
    make_due(Delivery.objects.all())
    assert delivery.send_pending() == (4, 0)
    registered.refresh_from_db()
    assert (registered.is_active, registered.consecutive_failures) == (True, 0)


def test_a_receiver_that_is_down_is_a_failure_with_its_error_logged(hook, supervisor, file):
    registered = hook(supervisor, [FILED])
    registered.url = "http://127.0.0.1:9/nobody-listens"
    registered.save()
    file()

    assert delivery.send_pending() == (0, 1)

    row = Delivery.objects.get()
    assert row.response_code is None
    assert "ConnectionRefusedError" in row.last_error
    [attempt] = row.tries.all()
    assert (attempt.response_code, attempt.error) == (None, row.last_error)
    assert row.state == "pending"


def test_the_daily_job_forgets_settled_deliveries_after_a_month_but_not_waiting_ones(
    hook, supervisor, file
):
    registered = hook(supervisor, [FILED])
    for number in range(3):
        file(subject=f"Konu {number}")
    old, waiting, recent = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk__in=[old.pk, waiting.pk]).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    Delivery.objects.filter(pk__in=[old.pk, recent.pk]).update(state=DeliveryState.DELIVERED)

    assert delivery.prune() == 1

    assert set(registered.deliveries.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
