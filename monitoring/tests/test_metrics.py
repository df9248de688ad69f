"""/metrics: Prometheus' text format, only where enabled and from allowed addresses;
labels name views, never paths or what a person typed."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from outbox.models import OutgoingMail
from tickets.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics_on(settings, monkeypatch):
    settings.HELPDESK_METRICS = True
    settings.HELPDESK_METRICS_ALLOWED = ["127.0.0.1", "::1"]
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


def scrape(client) -> dict[tuple[str, frozenset], float]:
    """Every sample of /metrics by its name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def sample(samples, name, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_are_404_when_off(client, settings):
    settings.HELPDESK_METRICS = False

    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("address", ["10.1.2.3", "2001:db8::1"])
def test_metrics_are_404_from_an_address_not_allowed(client, address):
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 404


def test_metrics_answer_an_allowed_network(client, settings):
    settings.HELPDESK_METRICS_ALLOWED = ["10.0.0.0/8"]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics").status_code == 404


def test_behind_a_proxy_the_visitor_counts_not_the_proxy(client, settings):
    settings.PROXY_COUNT = 1

    outsider = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    insider = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert outsider.status_code == 404
    assert insider.status_code == 200


def test_requests_are_counted_by_view_and_status_class(client, member, ticket):
    client.force_login(member)
    before = scrape(client)

    assert client.get(f"/tickets/{ticket.pk}/").status_code == 200
    assert client.get("/tickets/999999/").status_code == 404
    after = scrape(client)

    def moved(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert moved("helpdesk_http_requests_total", view="tickets:detail", status="2xx") == 1
    assert moved("helpdesk_http_requests_total", view="tickets:detail", status="4xx") == 1
    assert moved("helpdesk_http_request_duration_seconds_count", view="tickets:detail") == 2
    # The scrape before this one was counted too.
    assert moved("helpdesk_http_requests_total", view="metrics", status="2xx") == 1


def test_no_path_query_string_or_address_reaches_the_metrics(client, member, ticket):
    client.force_login(member)
    client.get("/tickets/?q=ayse.yilmaz@example.org&status=waiting")
    client.get(f"/tickets/{ticket.pk}/?q=ayse.yilmaz@example.org")
    client.get("/no/such/page/ayse.yilmaz@example.org")

    text = client.get("/metrics").content.decode()

    assert 'view="tickets:list"' in text
    assert 'view="unmatched"' in text
    assert "ayse" not in text
    assert "example.org" not in text
    assert "q=" not in text
    assert "/tickets/" not in text


def test_the_outbox_depth_and_the_age_of_its_oldest_mail(client):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    waiting = OutgoingMail.objects.bulk_create(
        OutgoingMail(to=f"kisi{n}@example.org", subject="Konu", text="Metin") for n in range(3)
    )
    OutgoingMail.objects.filter(pk=waiting[0].pk).update(created_at=an_hour_ago)
    OutgoingMail.objects.create(
        to="eski@example.org",
        subject="Konu",
        text="Metin",
        sent_at=timezone.now(),
    )
    OutgoingMail.objects.filter(to="eski@example.org").update(
        created_at=an_hour_ago - datetime.timedelta(days=1)
    )

    samples = scrape(client)

    assert sample(samples, "helpdesk_outbox_unsent") == 3
    assert 3600 <= sample(samples, "helpdesk_outbox_oldest_unsent_age_seconds") < 3600 + 600


def test_an_empty_outbox_has_no_age(client):
    samples = scrape(client)

    assert sample(samples, "helpdesk_outbox_unsent") == 0
    assert ("helpdesk_outbox_oldest_unsent_age_seconds", frozenset()) in samples
    assert sample(samples, "helpdesk_outbox_oldest_unsent_age_seconds") == 0


def test_tickets_not_closed_by_status_every_status_named(client, file, responsible):
    from tickets import services

    for _ in range(3):
        file()
    services.resolve(file(), by=responsible, explanation="Kodlar düzeltildi.")

    samples = scrape(client)

    assert sample(samples, "helpdesk_tickets", status=Status.WAITING) == 3
    assert sample(samples, "helpdesk_tickets", status=Status.RESOLVED) == 1
    assert {
        dict(labels)["status"]
        for (name, labels), _value in samples.items()
        if name == "helpdesk_tickets"
    } == set(Status.values) - {Status.CLOSED}


def test_status_changes_are_counted_once_committed(
    client, file, member, responsible, django_capture_on_commit_callbacks
):
    from tickets import services

    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file()
        services.resolve(ticket, by=responsible, explanation="Kodlar düzeltildi.")
        services.close(ticket, by=member)
    with django_capture_on_commit_callbacks(execute=False):
        file()  # its transaction never commits here
    after = scrape(client)

    def moved(status):
        name = "helpdesk_ticket_status_changes_total"
        return sample(after, name, status=status) - sample(before, name, status=status)

    assert [moved(status) for status in ("waiting", "resolved", "closed")] == [1, 1, 1]


@pytest.mark.parametrize("tickets", [1, 30])
def test_a_scrape_costs_two_queries_whatever_the_tickets(
    client, file, django_assert_num_queries, tickets
):
    for _ in range(tickets):
        file()

    with django_assert_num_queries(2):
        assert client.get("/metrics").status_code == 200


def test_tasks_are_counted_by_name_and_outcome(client):
    from monitoring.metrics import count_task

    before = scrape(client)
    count_task("close_resolved", True)
    count_task("close_resolved", True)
    count_task("close_resolved", False)
    after = scrape(client)

    def moved(**labels):
        return sample(after, "helpdesk_tasks_total", **labels) - sample(
            before, "helpdesk_tasks_total", **labels
        )

    assert moved(task="close_resolved", outcome="ok") == 2
    assert moved(task="close_resolved", outcome="failed") == 1


def test_celery_tasks_are_counted_without_asking(client):
    from celery import Celery

    app = Celery("metrics-test", set_as_current=False)
    app.conf.task_always_eager = True

    @app.task(name="monitoring_test.works")
    def works():
        return 1

    @app.task(name="monitoring_test.breaks")
    def breaks():
        raise ValueError("broken")

    before = scrape(client)
    works.delay()
    breaks.delay()
    after = scrape(client)

    def moved(**labels):
        return sample(after, "helpdesk_tasks_total", **labels) - sample(
            before, "helpdesk_tasks_total", **labels
        )

    assert moved(task="monitoring_test.works", outcome="ok") == 1
    assert moved(task="monitoring_test.breaks", outcome="failed") == 1


def test_several_processes_add_up_in_multiprocess_mode(client, tmp_path, monkeypatch):
    """Two web processes count into PROMETHEUS_MULTIPROC_DIR; whichever answers the
    scrape reports the sum."""
    root = Path(__file__).resolve().parents[2]
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "helpdesk_site.settings",
    }
    counting = (
        "import django; django.setup()\n"
        "from monitoring import metrics\n"
        "metrics.count_task('send_mail', True)\n"
        "metrics.observe_request(view='tickets:list', status=200, seconds=0.05)\n"
    )
    for _ in range(2):
        subprocess.run(  # noqa: S603 - this Python, our script
            [sys.executable, "-c", counting], cwd=root, env=environment, check=True
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    samples = scrape(client)

    assert sample(samples, "helpdesk_tasks_total", task="send_mail", outcome="ok") == 2
    assert sample(samples, "helpdesk_http_requests_total", view="tickets:list", status="2xx") == 2
    assert sample(samples, "helpdesk_outbox_unsent") == 0


def test_a_wrong_entry_in_the_allowed_list_stops_the_checks(settings, client):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.HELPDESK_METRICS_ALLOWED = ["127.0.0.1", "10.0.0.0/33"]

    with pytest.raises(SystemCheckError, match="10.0.0.0/33"):
        call_command("check")
    # The right entries still work meanwhile.
    assert client.get("/metrics").status_code == 200
