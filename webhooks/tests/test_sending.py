"""When deliveries leave: after the page is handed over, through a worker when there is
a broker, and through the periodic job for whatever is left."""

from django.core.management import call_command

from webhooks import tasks
from webhooks.models import Delivery, EventType

NEW_TICKET = {
    "kind": "problem",
    "priority": "low",
    "subject": "Kapasite Raporu Prod Kodları",
    "description": "Prod kodları eksik.",
}


def test_filing_on_the_web_calls_the_hook_after_the_page_is_handed_over(
    holding_client, receiver, hook, supervisor, member, capacity
):
    hook(supervisor, [EventType.FILED])
    holding_client.force_login(member)

    response = holding_client.post("/tickets/new/", {**NEW_TICKET, "category": capacity.pk})

    assert response.status_code == 302
    assert receiver.requests == []
    assert Delivery.objects.get().state == "pending"

    response.finish()

    assert [body["event"] for body in receiver.bodies()] == ["ticket.filed"]
    assert Delivery.objects.get().state == "delivered"


def test_with_the_broker_down_the_periodic_job_sends_them(
    receiver, hook, supervisor, file, settings, django_capture_on_commit_callbacks, capsys
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"  # nothing listens there
    hook(supervisor, [EventType.FILED])

    with django_capture_on_commit_callbacks(execute=True):
        file()

    assert receiver.requests == []
    call_command("run_jobs", "--once")
    assert "send_webhooks: (1, 0)" in capsys.readouterr().out.splitlines()
    assert len(receiver.requests) == 1


def test_the_workers_task_sends_the_deliveries_it_is_given_once(receiver, hook, supervisor, file):
    hook(supervisor, [EventType.FILED])
    file()
    ids = list(Delivery.objects.values_list("pk", flat=True))

    assert tasks.send(ids) == "sent 1, failed 0"
    assert tasks.send(ids) == "sent 0, failed 0"  # a repeated task sends nothing twice
    assert len(receiver.requests) == 1
