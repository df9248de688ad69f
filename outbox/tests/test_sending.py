"""The outbox through a real SMTP server: mail goes after the commit, waits while the
server is down, and is retried with back-off."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from outbox import delivery, services
from outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


def mail(**fields):
    fields = {"to": "ayse@example.org", "subject": "Konu", "text": "Metin", **fields}
    return OutgoingMail(**fields)


def test_an_enqueued_mail_is_sent_after_the_commit_only(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        row = services.enqueue(
            to="ayse@example.org",
            subject="Başvurunuz",
            text="Düz metin",
            html="<p>Biçimli</p>",
            topic="account",
            ticket_id=42,
        )
    assert smtp_server.messages == []

    for callback in callbacks:
        callback()

    [message] = smtp_server.messages
    assert message["To"] == "ayse@example.org"
    assert message["Subject"] == "Başvurunuz"
    assert message.get_body(("plain",)).get_content().strip() == "Düz metin"
    assert message.get_body(("html",)).get_content().strip() == "<p>Biçimli</p>"
    row.refresh_from_db()
    assert row.sent_at is not None
    assert (row.topic, row.ticket_id, row.attempts) == ("account", 42, 0)


def test_mail_of_a_rolled_back_transaction_is_neither_kept_nor_sent(
    smtp_server, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.enqueue(to="ayse@example.org", subject="Konu", text="Metin")
        raise RuntimeError

    assert not OutgoingMail.objects.exists()
    assert smtp_server.messages == []


def test_mail_enqueued_together_is_sent_in_one_go(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.enqueue_many([mail(to="a@example.org"), mail(to="b@example.org")])

    assert len(callbacks) == 1
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "a@example.org",
        "b@example.org",
    ]


def test_an_unreachable_server_stops_the_run_and_the_failed_mail_backs_off(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue_many([mail(to="a@example.org"), mail(to="b@example.org")])

    first, second = OutgoingMail.objects.order_by("pk")
    # One time-out at most: the second mail is not tried against a server that is down.
    assert (first.attempts, second.attempts) == (1, 0)
    assert first.last_error
    assert first.sent_at is None and second.sent_at is None
    # Leased with the first, the second is given back: the next run may send it at once.
    assert second.leased_until is None
    wait = first.next_attempt_at - timezone.now()
    assert datetime.timedelta(minutes=1) < wait <= datetime.timedelta(minutes=2)


def test_each_failure_waits_longer_up_to_six_hours(smtp_server):
    smtp_server.stop()
    row = mail()
    row.attempts = 20
    row.save()

    assert delivery.send_pending() == (0, 1)

    row.refresh_from_db()
    assert row.attempts == 21
    wait = row.next_attempt_at - timezone.now()
    assert datetime.timedelta(hours=5, minutes=59) < wait <= datetime.timedelta(hours=6)


def test_the_queue_command_sends_what_is_due_once_and_leaves_the_rest(smtp_server):
    due = mail(to="due@example.org")
    due.save()
    later = mail(to="later@example.org")
    later.next_attempt_at = timezone.now() + datetime.timedelta(minutes=5)
    later.save()

    call_command("send_mail_queue")
    call_command("send_mail_queue")

    assert [message["To"] for message in smtp_server.messages] == ["due@example.org"]
    assert OutgoingMail.objects.filter(sent_at__isnull=True).get() == later


def test_the_queue_command_sends_at_most_its_limit(smtp_server, capsys):
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        mail(to=address).save()

    call_command("send_mail_queue", "--limit", "2")

    assert capsys.readouterr().out.strip() == "Sent 2, failed 0."
    assert [message["To"] for message in smtp_server.messages] == [
        "a@example.org",
        "b@example.org",
    ]


def test_a_mail_that_cannot_be_sent_does_not_hold_up_the_others(smtp_server):
    mail(to="bad\nBcc: evil@example.org").save()
    mail(to="good@example.org").save()

    assert delivery.send_pending() == (1, 1)

    assert [message["To"] for message in smtp_server.messages] == ["good@example.org"]
    assert OutgoingMail.objects.get(attempts=1).sent_at is None


def test_an_address_the_server_refuses_does_not_hold_up_the_others(smtp_server, monkeypatch):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    send = EmailMultiAlternatives.send

    def refuse_one(message, *args, **kwargs):
        if message.to == ["gone@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"gone@example.org": (550, b"No such user")})
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_one)
    OutgoingMail.objects.bulk_create([mail(to="gone@example.org"), mail(to="ayse@example.org")])

    sent, failed = delivery.send_pending()

    assert (sent, failed) == (1, 1)
    assert [m["To"] for m in smtp_server.messages] == ["ayse@example.org"]
    assert OutgoingMail.objects.get(to="gone@example.org").attempts == 1


def test_a_failed_send_is_logged_by_the_mail_id_never_its_address(smtp_server, caplog):
    smtp_server.stop()
    row = mail(to="ayse.yilmaz@example.org")
    row.save()

    delivery.send_pending()

    [record] = [r for r in caplog.records if r.name == "outbox.delivery"]
    assert record.getMessage().startswith(f"Mail {row.pk} not sent")
    assert "ayse" not in record.getMessage()
