"""Leases and Message-IDs: a mail is leased, committed, before the mail server hears of
it; a sender that dies leaves it to the next once the lease ends; a mail sent again
carries the same Message-ID; senders running at once send each mail once."""

import datetime
import importlib
import re
import threading

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.testing import wait_until
from outbox import delivery
from outbox.models import OutgoingMail


def mail(**fields):
    fields = {"to": "ayse@example.org", "subject": "Konu", "text": "Metin", **fields}
    return OutgoingMail.objects.create(**fields)


def in_a_thread(function):
    """Run `function` in a thread with its own database connection, as another sender."""

    def run():
        try:
            function()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lease_and_message_id_are_committed_before_the_mail_server_hears_of_the_mail(
    smtp_server,
):
    row = mail()
    smtp_server.hold()

    sender = in_a_thread(delivery.send_pending)
    assert wait_until(lambda: smtp_server.waiting == 1, timeout=30)

    # Read on this thread's own connection: only what the sender committed shows.
    held = OutgoingMail.objects.get(pk=row.pk)
    assert held.sent_at is None
    assert held.leased_until > timezone.now()
    assert held.lease_owner
    assert held.message_id
    smtp_server.release()
    sender.join(timeout=30)
    [message] = smtp_server.messages
    assert message["Message-ID"] == held.message_id
    row.refresh_from_db()
    assert row.sent_at is not None and row.leased_until is None


@pytest.mark.django_db
def test_a_sender_marks_sent_only_the_mail_whose_lease_it_still_holds(caplog):
    """A sender slower than its lease finds the mail another's: it leaves the row to
    that sender and says so; the one holding the lease marks it sent, at this moment."""
    slow, quick = mail(), mail(to="mehmet@example.org")
    [slow] = delivery.lease_batch("slow-sender", size=1)
    [quick] = delivery.lease_batch("quick-sender", size=1)
    OutgoingMail.objects.filter(pk=slow.pk).update(lease_owner="next-sender")

    delivery._sent(slow, "slow-sender")
    before = timezone.now()
    delivery._sent(quick, "quick-sender")

    slow.refresh_from_db(), quick.refresh_from_db()
    assert slow.sent_at is None and slow.lease_owner == "next-sender" and slow.leased_until
    assert f"Mail {slow.pk} was sent after its lease passed" in caplog.text
    assert before <= quick.sent_at <= timezone.now() and quick.leased_until is None
    assert f"Mail {quick.pk} " not in caplog.text


@pytest.mark.django_db
def test_a_mail_leased_by_a_sender_that_died_waits_for_the_lease_then_goes_once(smtp_server):
    row = mail()
    # given a sender that leased the mail and died before the server accepted it
    [leased] = delivery.lease_batch("dead-sender", size=1)
    assert leased.pk == row.pk

    # then nobody sends it while the lease holds
    assert delivery.send_pending() == (0, 0)
    assert smtp_server.messages == []

    # when the lease has passed
    OutgoingMail.objects.filter(pk=row.pk).update(
        leased_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert delivery.send_pending() == (1, 0)
    assert delivery.send_pending() == (0, 0)

    # then it went once, with the Message-ID the row was written with
    assert [message["Message-ID"] for message in smtp_server.messages] == [leased.message_id]


@pytest.mark.django_db
def test_a_mail_retried_after_a_failure_carries_the_same_message_id(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Destek <destek@example.org>"
    row = mail()
    smtp_server.stop()
    assert delivery.send_pending() == (0, 1)
    row.refresh_from_db()
    first_id = row.message_id
    assert re.fullmatch(r"<outbox-[0-9a-f]{32}@example\.org>", first_id)

    smtp_server.start()
    OutgoingMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.send_pending() == (1, 0)

    [message] = smtp_server.messages
    assert message["Message-ID"] == first_id


@pytest.mark.django_db
def test_each_mail_has_its_own_message_id(smtp_server):
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        mail(to=address)

    delivery.send_pending()

    ids = [message["Message-ID"] for message in smtp_server.messages]
    assert len(set(ids)) == 3
    assert sorted(ids) == sorted(OutgoingMail.objects.values_list("message_id", flat=True))


@pytest.mark.django_db
def test_a_mail_has_its_message_id_from_the_start_and_the_lease_leaves_it():
    """Given when the row is written, in the change's transaction: the lease's UPDATE
    sets only the lease, the same for every mail of the batch."""
    rows = OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(to=f"kisi{number}@example.org", subject="Konu", text="Metin")
            for number in range(3)
        ]
    )
    written = dict(OutgoingMail.objects.values_list("pk", "message_id"))
    assert len(set(written.values())) == 3 and all(written.values())

    with CaptureQueriesContext(connection) as queries:
        batch = delivery.lease_batch("sender-1", size=10)

    assert (
        {row.pk: row.message_id for row in batch} == written == {r.pk: r.message_id for r in rows}
    )
    [update, *_] = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert "message_id" not in update and "CASE" not in update


@pytest.mark.django_db
def test_mail_waiting_from_before_the_upgrade_is_given_its_message_id():
    """The migration gives unsent mail written without an id one; sent mail is history."""
    waiting, sent = mail(message_id=None), mail(message_id=None, sent_at=timezone.now())
    migration = importlib.import_module("outbox.migrations.0003_message_id_from_the_start")

    migration.give_waiting_mail_its_id(apps, None)

    waiting.refresh_from_db(), sent.refresh_from_db()
    assert re.fullmatch(r"<outbox-[0-9a-f]{32}@.+>", waiting.message_id)
    assert sent.message_id is None


@pytest.mark.django_db
def test_a_batch_is_leased_by_one_update_and_a_mail_keeps_the_message_id_it_has():
    kept = mail(message_id="<outbox-kept@example.org>")
    others = [mail(to=f"kisi{number}@example.org") for number in range(3)]

    with CaptureQueriesContext(connection) as queries:
        batch = delivery.lease_batch("sender-1", size=10)

    assert [row.pk for row in batch] == [kept.pk, *(row.pk for row in others)]
    assert {row.lease_owner for row in batch} == {"sender-1"}
    assert all(row.leased_until > timezone.now() for row in batch)
    ids = [row.message_id for row in batch]
    assert ids[0] == "<outbox-kept@example.org>"
    assert len(set(ids)) == 4
    # On PostgreSQL one statement leases the batch and reads it: an UPDATE of the rows
    # it locks, RETURNING them. SQLite checks each row is still due as it leases it.
    if connection.vendor == "postgresql":
        [lease] = [query["sql"] for query in queries]
        assert lease.startswith("UPDATE") and "SKIP LOCKED" in lease and "RETURNING" in lease
    else:
        assert len([query for query in queries if query["sql"].startswith("UPDATE")]) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_senders_running_at_once_send_each_mail_once(smtp_server):
    OutgoingMail.objects.bulk_create(
        OutgoingMail(to=f"kisi{number}@example.org", subject="Konu", text="Metin")
        for number in range(40)
    )
    start = threading.Barrier(4)

    def sender():
        start.wait()
        delivery.send_pending()

    for thread in [in_a_thread(sender) for _ in range(4)]:
        thread.join(timeout=120)

    received = sorted(message["To"] for message in smtp_server.messages)
    assert received == sorted(f"kisi{number}@example.org" for number in range(40))
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_mails_whose_lease_is_half_gone_are_leased_afresh_before_they_go(smtp_server, monkeypatch):
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        mail(to=address)
    leased, lease_batch = [], delivery.lease_batch

    def first_lease_nearly_over(owner, **kwargs):
        batch = lease_batch(owner, **kwargs)
        if not leased:  # as when the first mails took most of the lease
            for row in batch:
                row.leased_until = timezone.now() + datetime.timedelta(seconds=1)
        leased.append([row.to for row in batch])
        return batch

    monkeypatch.setattr(delivery, "lease_batch", first_lease_nearly_over)

    assert delivery.send_pending() == (3, 0)

    # The first went at once; the two others were given back and leased again.
    assert leased[:2] == [
        ["a@example.org", "b@example.org", "c@example.org"],
        ["b@example.org", "c@example.org"],
    ]
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
