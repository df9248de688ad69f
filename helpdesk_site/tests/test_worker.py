"""The Celery worker for real: a `celery -A helpdesk_site worker` process on Redis (and
RabbitMQ), the test database and a real SMTP server. Mail reaches the server once,
whatever dies or runs twice."""

import signal
import socket
from contextlib import suppress

import pytest
from django.core.management import call_command
from django.utils import timezone
from kombu import Connection

from common.testing import wait_until
from helpdesk_site.celery import app
from outbox import services
from outbox.models import OutgoingMail

NEW_TICKET = {
    "kind": "problem",
    "priority": "medium",
    "subject": "Kapasite Raporu Prod Kodları",
    "description": "Prod kodları eksik.",
}


def enqueue(count, django_capture_on_commit_callbacks, prefix="kisi"):
    """Commit `count` mails, each on its own, as that many changes would."""
    for number in range(count):
        with django_capture_on_commit_callbacks(execute=True):
            services.enqueue(to=f"{prefix}{number}@example.org", subject="Konu", text="Metin")


def publish(broker_url, task, *args):
    """Send a task as beat (or anyone) would."""
    with Connection(broker_url) as connection:
        app.send_task(task, args=args, connection=connection)


def assert_each_mail_reached_the_server_once(smtp_server):
    # The server has the mail a moment before the worker marks its row sent.
    assert wait_until(lambda: not OutgoingMail.objects.filter(sent_at__isnull=True).exists())
    rows = list(OutgoingMail.objects.order_by("pk"))
    received = sorted((message["To"], message["Message-ID"]) for message in smtp_server.messages)
    assert received == sorted((row.to, row.message_id) for row in rows)


def test_mail_filed_through_a_page_reaches_the_mail_server_once_through_the_worker(
    site_processes, smtp_server, client, member, responsible, capacity
):
    site_processes.worker()
    client.force_login(member)

    response = client.post("/tickets/new/", {"category": capacity.pk, **NEW_TICKET})

    assert response.status_code == 302
    assert wait_until(lambda: len(smtp_server.messages) == 2)
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(
        [member.email, responsible.email]
    )
    assert_each_mail_reached_the_server_once(smtp_server)


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(
    site_processes, smtp_server, django_capture_on_commit_callbacks
):
    lease = 3
    first = site_processes.worker(HELPDESK_MAIL_LEASE_SECONDS=str(lease))
    smtp_server.hold()

    # given three mails handed to the worker, the first of them in the middle of its
    # SMTP exchange
    enqueue(3, django_capture_on_commit_callbacks)
    assert wait_until(lambda: smtp_server.waiting == 1)
    leased = OutgoingMail.objects.get(leased_until__isnull=False)
    assert leased.sent_at is None and leased.message_id

    # when the worker is killed outright, and another one started
    first.kill()
    smtp_server.release()
    site_processes.worker(HELPDESK_MAIL_LEASE_SECONDS=str(lease))

    # then the other two go at once, the leased one stays with its dead sender...
    assert wait_until(lambda: OutgoingMail.objects.filter(sent_at__isnull=False).count() == 2)
    assert OutgoingMail.objects.get(sent_at__isnull=True) == leased
    # ...until its lease has passed and the periodic job takes it
    assert wait_until(lambda: timezone.now() > leased.leased_until, timeout=lease + 5)
    publish(site_processes.broker_url, "jobs.run", "send_mail")
    assert wait_until(lambda: not OutgoingMail.objects.filter(sent_at__isnull=True).exists())
    assert_each_mail_reached_the_server_once(smtp_server)
    assert OutgoingMail.objects.get(pk=leased.pk).message_id == leased.message_id


def test_two_beats_asking_for_the_same_run_send_each_mail_once(
    site_processes, smtp_server, django_capture_on_commit_callbacks
):
    # given mail waiting for the periodic job (the broker was down when it was committed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.CELERY_BROKER_URL", "redis://127.0.0.1:1/2")
        enqueue(20, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []
    workers = [site_processes.worker(), site_processes.worker()]

    # when two beats send the job's task for the same period
    publish(site_processes.broker_url, "jobs.run", "send_mail")
    publish(site_processes.broker_url, "jobs.run", "send_mail")

    # then one run sends everything, the other does nothing
    done = "already run in this period"
    assert wait_until(lambda: any(done in worker.log for worker in workers))
    assert wait_until(lambda: len(smtp_server.messages) == 20)
    assert_each_mail_reached_the_server_once(smtp_server)


def test_two_real_beats_send_each_mail_once(
    site_processes, smtp_server, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Up to a minute: beat first sends the mail job when the next minute begins."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"  # the mail waits for the job
    enqueue(10, django_capture_on_commit_callbacks)
    worker = site_processes.worker()

    beats = [
        site_processes.start(
            *("-m", "celery", "-A", "helpdesk_site", "beat", "--loglevel=INFO"),
            *("--schedule", str(tmp_path / f"beat-{number}")),
        )
        for number in range(2)
    ]

    for beat in beats:
        beat.wait_for("Sending due task send_mail", timeout=90)
    # Both beats send every job of the minute; one run of each does the work. The mail
    # may still be going out when another job's second run says "already run".
    assert wait_until(lambda: "already run in this period" in worker.log)
    assert wait_until(lambda: len(smtp_server.messages) >= 10)
    assert_each_mail_reached_the_server_once(smtp_server)


@pytest.mark.parametrize(
    "command", [["send_mail_queue"], ["run_jobs", "--once", "send_mail"]], ids=" ".join
)
def test_two_senders_started_at_once_send_each_mail_once(
    command, site_processes, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"  # the mail waits for them
    enqueue(30, django_capture_on_commit_callbacks)

    runs = [site_processes.start("manage.py", *command) for _ in range(2)]

    assert [run.process.wait(timeout=60) for run in runs] == [0, 0]
    assert len(smtp_server.messages) == 30
    assert_each_mail_reached_the_server_once(smtp_server)


def test_mail_committed_while_the_broker_is_down_waits_for_the_periodic_job(
    site_processes, smtp_server, settings, client, member, responsible, capacity
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"  # nothing listens there
    client.force_login(member)

    response = client.post("/tickets/new/", {"category": capacity.pk, **NEW_TICKET})

    assert response.status_code == 302
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 2
    assert smtp_server.messages == []

    # when the broker is back, beat's next run of the job goes through a worker
    settings.CELERY_BROKER_URL = site_processes.broker_url
    site_processes.worker()
    publish(site_processes.broker_url, "jobs.run", "send_mail")

    assert wait_until(lambda: len(smtp_server.messages) == 2)
    assert_each_mail_reached_the_server_once(smtp_server)


def test_run_jobs_keeps_running_jobs_until_it_is_stopped(
    site_processes, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"
    enqueue(2, django_capture_on_commit_callbacks)

    scheduler = site_processes.start("manage.py", "run_jobs")

    assert wait_until(lambda: len(smtp_server.messages) == 2)
    scheduler.signal(signal.SIGTERM)
    assert scheduler.process.wait(timeout=30) == 0
    assert "send_mail: (2, 0)" in scheduler.log
    assert_each_mail_reached_the_server_once(smtp_server)


RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"


def rabbitmq_answers():
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not rabbitmq_answers(), reason="RabbitMQ does not answer on 127.0.0.1:5672")
def test_with_rabbitmq_as_the_broker_committed_mail_reaches_a_worker(
    site_processes, smtp_server, settings, django_capture_on_commit_callbacks
):
    # No queue yet on a fresh server: nothing left in it.
    with Connection(RABBITMQ_URL) as connection, suppress(*connection.channel_errors):
        connection.channel().queue_purge("celery")
    site_processes.worker(CELERY_BROKER_URL=RABBITMQ_URL)
    settings.CELERY_BROKER_URL = RABBITMQ_URL

    enqueue(1, django_capture_on_commit_callbacks)

    assert wait_until(lambda: len(smtp_server.messages) == 1)
    assert_each_mail_reached_the_server_once(smtp_server)
    call_command("send_mail_queue")  # a repeat finds nothing to send
    assert len(smtp_server.messages) == 1


def test_the_demo_data_mails_nobody_even_with_a_broker(
    restorable_database, django_db_serialized_rollback, transactional_db, smtp_server, settings
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"

    call_command("seed_demo", "--force", "--password", "demo12345")

    # Marked sent at once, as without a broker: no worker or periodic job mails them later.
    assert OutgoingMail.objects.exists()
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()
    assert smtp_server.messages == []
