"""The action log's hash chain: `verify_log` names every ticket whose log was tampered
with, even by somebody who writes the tables directly; redaction keeps it whole."""

import hashlib
import os
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tickets import logchain, services
from tickets.models import AppendOnlyError, EventKind, Ticket, TicketEvent, resealed_once

from .files import png_bytes, upload


def tamper(sql, params=()):
    """Write the log as the database's owner or a superuser could: past the guards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER may run
            cursor.execute("ALTER TABLE tickets_ticketevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE tickets_ticketevent ENABLE TRIGGER USER")


def verify(*arguments) -> str:
    """What `verify_log` prints; raises CommandError when it finds a problem."""
    out = StringIO()
    try:
        call_command("verify_log", *[str(a) for a in arguments], stdout=out)
    except CommandError as error:
        raise CommandError(out.getvalue() + str(error)) from None
    return out.getvalue()


@pytest.fixture
def worked_ticket(ticket, responsible):
    """A ticket with a conversation: filed, read, answered twice, resolved."""
    services.mark_read(ticket, by=responsible)
    services.reply(ticket, by=responsible, body="Which product code?")
    services.reply(ticket, by=ticket.requester, body="Code 1234, my phone is 0532 000 00 00")
    services.resolve(ticket, by=responsible, explanation="Added the code.")
    return ticket


def test_each_event_follows_on_from_the_one_before(worked_ticket):
    events = list(worked_ticket.events.order_by("id"))

    assert events[0].previous_hash == ""
    assert [e.previous_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert len({e.hash for e in events}) == len(events) == 5
    assert "The action log of 1 ticket(s) is intact." in verify()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE tickets_ticketevent SET note = 'I never said that' WHERE kind = 'replied'",
        "UPDATE tickets_ticketevent SET actor_id = NULL WHERE kind = 'resolved'",
        "UPDATE tickets_ticketevent SET created_at = created_at - interval '1 day'"
        " WHERE kind = 'read'",
        "UPDATE tickets_ticketevent SET internal = true WHERE kind = 'replied'",
    ],
)
def test_a_changed_event_is_named(worked_ticket, file, sql):
    untouched = file(subject="Another one")
    if connection.vendor == "sqlite":
        sql = sql.replace("created_at - interval '1 day'", "datetime(created_at, '-1 day')")
        sql = sql.replace("true", "1")
    tamper(sql)

    with pytest.raises(CommandError) as failure:
        verify()
    assert f"ticket #{worked_ticket.pk}, event" in str(failure.value)
    assert f"ticket #{untouched.pk}" not in str(failure.value)


def test_a_changed_note_with_its_digest_recomputed_is_still_named(worked_ticket):
    forged = "All fine"
    digest = hashlib.sha256(forged.encode()).hexdigest()
    tamper(
        "UPDATE tickets_ticketevent SET note = %s, note_digest = %s WHERE kind = 'resolved'",
        [forged, digest],
    )

    with pytest.raises(CommandError, match=f"ticket #{worked_ticket.pk}.*changed"):
        verify()


def test_a_removed_event_in_the_middle_is_named(worked_ticket):
    read = worked_ticket.events.get(kind=EventKind.READ)
    tamper("DELETE FROM tickets_ticketevent WHERE id = %s", [read.pk])

    with pytest.raises(CommandError, match=f"ticket #{worked_ticket.pk}.*does not follow on"):
        verify()


def test_a_log_cut_short_is_named(worked_ticket):
    resolved = worked_ticket.events.get(kind=EventKind.RESOLVED)
    tamper("DELETE FROM tickets_ticketevent WHERE id = %s", [resolved.pk])

    with pytest.raises(CommandError, match=f"ticket #{worked_ticket.pk}: the newest event"):
        verify()


def test_an_event_copied_from_another_ticket_is_named(worked_ticket, file):
    other = file(subject="Another one")
    columns = "actor_id, kind, note, internal, data, created_at, note_digest, redacted"
    tamper(
        f"INSERT INTO tickets_ticketevent (ticket_id, previous_hash, hash, {columns}) "  # noqa: S608
        f"SELECT %s, 'x', hash, {columns} FROM tickets_ticketevent "
        "WHERE ticket_id = %s AND kind = 'replied' ORDER BY id LIMIT 1",
        [other.pk, worked_ticket.pk],
    )

    with pytest.raises(CommandError) as failure:
        verify()
    assert f"ticket #{other.pk}, event" in str(failure.value)
    assert f"ticket #{worked_ticket.pk}" not in str(failure.value)


@pytest.mark.parametrize(
    "sql",
    [
        # A loop of one: the newest event follows on from itself.
        "UPDATE tickets_ticketevent SET hash = previous_hash"
        " WHERE id = (SELECT max(id) FROM tickets_ticketevent)",
        # A loop of them all: the first event follows on from the newest.
        "UPDATE tickets_ticketevent SET previous_hash ="
        " (SELECT hash FROM tickets_ticketevent ORDER BY id DESC LIMIT 1)"
        " WHERE id = (SELECT min(id) FROM tickets_ticketevent)",
    ],
)
def test_a_log_made_into_a_loop_is_named_not_followed_for_ever(worked_ticket, sql):
    tamper(sql)

    with pytest.raises(CommandError, match=f"ticket #{worked_ticket.pk}"):
        verify()


def test_a_log_emptied_with_its_seal_is_named(worked_ticket):
    tamper("DELETE FROM tickets_ticketevent")
    tamper("UPDATE tickets_ticket SET log_seal = ''")

    with pytest.raises(CommandError, match=f"ticket #{worked_ticket.pk}: the ticket has no events"):
        verify()


def test_a_log_rolled_back_to_an_earlier_seal_is_named_by_the_manifest(
    worked_ticket, responsible, tmp_path
):
    manifest = tmp_path / "log.manifest"
    verify("--manifest", manifest)
    seal_before = Ticket.objects.get(pk=worked_ticket.pk).log_seal
    services.reopen(worked_ticket, by=worked_ticket.requester, body="Still broken")
    # Rolled back by a superuser: the new event gone, the old (valid) seal restored.
    tamper("DELETE FROM tickets_ticketevent WHERE kind = 'reopened'")
    tamper("UPDATE tickets_ticket SET log_seal = %s", [seal_before])
    assert "intact" in verify()  # without the manifest, a rollback looks whole

    services.reply(worked_ticket, by=responsible, body="Checked again")
    verify("--manifest", manifest)  # a clean check renews the manifest
    tamper("DELETE FROM tickets_ticketevent WHERE id = (SELECT max(id) FROM tickets_ticketevent)")
    tamper("UPDATE tickets_ticket SET log_seal = %s", [seal_before])

    with pytest.raises(CommandError, match=f"ticket #{worked_ticket.pk}: the log has fewer"):
        verify("--manifest", manifest)


def test_a_changed_manifest_is_refused(worked_ticket, tmp_path):
    manifest = tmp_path / "log.manifest"
    verify("--manifest", manifest)
    manifest.write_text(manifest.read_text().replace(" 5 ", " 4 "))

    with pytest.raises(CommandError, match="not a manifest this site signed"):
        verify("--manifest", manifest)


def test_a_check_that_finds_a_problem_keeps_the_last_manifest(worked_ticket, tmp_path):
    manifest = tmp_path / "log.manifest"
    verify("--manifest", manifest)
    kept = manifest.read_text()
    tamper("UPDATE tickets_ticketevent SET note = 'x' WHERE kind = 'resolved'")

    with pytest.raises(CommandError):
        verify("--manifest", manifest)
    assert manifest.read_text() == kept


def test_verify_log_checks_only_the_tickets_named(worked_ticket, file):
    other = file(subject="Another one")
    tamper("UPDATE tickets_ticketevent SET note = 'x' WHERE ticket_id = %s", [worked_ticket.pk])

    assert "The action log of 1 ticket(s) is intact." in verify(other.pk)
    with pytest.raises(CommandError):
        verify(worked_ticket.pk)


def test_filing_with_a_document_writes_the_tickets_row_once_after_inserting_it(file):
    with CaptureQueriesContext(connection) as queries:
        ticket = file(files=[upload("rapor.png", png_bytes(), "image/png")])

    row_writes = ('INSERT INTO "tickets_ticket" ', 'UPDATE "tickets_ticket" ')
    assert len([q for q in queries if q["sql"].startswith(row_writes)]) == 2
    ticket.refresh_from_db()
    events = list(ticket.events.order_by("id"))
    assert [events[0].kind, events[-1].kind] == [EventKind.CREATED, EventKind.ATTACHED]
    # The row as one UPDATE per event would have left it: sealed after the last event,
    # its last activity the last public one's.
    problems, _chain = logchain.verify_ticket(ticket.pk, ticket.log_seal, events)
    assert problems == []
    public = [e for e in events if not e.internal and e.kind not in services.NOT_ACTIVITY]
    assert ticket.last_activity_at == public[-1].created_at


def test_a_reply_writes_the_tickets_row_once_with_its_search_text(ticket, responsible):
    services.reply(ticket, by=responsible, body="Which product code?")  # in progress now

    with CaptureQueriesContext(connection) as queries:
        services.reply(ticket, by=ticket.requester, body="Kapasite raporu güncellendi.")

    assert len([q for q in queries if q["sql"].startswith('UPDATE "tickets_ticket" ')]) == 1
    ticket.refresh_from_db()
    assert "kapasite raporu guncellendi" in ticket.search_text
    assert problems_of(ticket) == []


def test_the_events_of_one_change_follow_each_other_without_reading_the_log_back(file):
    documents = [upload(f"rapor-{n}.png", png_bytes(), "image/png") for n in (1, 2)]

    with CaptureQueriesContext(connection) as queries:
        ticket = file(files=documents)

    kinds = list(ticket.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.ATTACHED, EventKind.ATTACHED]
    newest = 'SELECT "tickets_ticketevent"."hash"'
    assert [q["sql"] for q in queries if q["sql"].startswith(newest)] == []
    assert problems_of(ticket) == []
    assert "The action log of 1 ticket(s) is intact." in verify(ticket.pk)


def problems_of(ticket) -> list:
    row = Ticket.objects.get(pk=ticket.pk)
    return logchain.verify_ticket(row.pk, row.log_seal, row.events.all())[0]


def test_a_tickets_events_are_resealed_by_the_outermost_block_collecting_them(file, member):
    first, second = file(subject="one"), file(subject="two")

    with transaction.atomic(), resealed_once(first.pk):
        with resealed_once(second.pk):
            services.reply(first, by=member, body="2025.")  # its own block, nested
            services.reply(second, by=member, body="2026.")
        assert problems_of(second) == []  # written at the end of its block
        assert problems_of(first) != []  # not yet: its seal waits for the outer block

    assert problems_of(first) == []


def test_two_events_can_never_follow_the_same_one(ticket):
    first = ticket.events.get()

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticketevent (ticket_id, kind, note, internal, data, created_at,"
            " note_digest, previous_hash, hash, redacted)"
            " SELECT ticket_id, 'read', '', internal, data, created_at, note_digest,"
            " previous_hash, 'fork', redacted FROM tickets_ticketevent WHERE id = %s",
            [first.pk],
        )


def test_events_are_not_written_in_bulk(ticket, member):
    with pytest.raises(AppendOnlyError):
        TicketEvent.objects.bulk_create([TicketEvent(ticket=ticket, actor=member, kind="read")])


# Redaction: personal data out of the log, the log still whole.


def test_a_supervisor_redacts_a_message_and_the_log_still_verifies(worked_ticket, supervisor):
    message = worked_ticket.events.get(kind=EventKind.REPLIED, actor=worked_ticket.requester)

    redaction = services.redact(
        worked_ticket, by=supervisor, events=[message], reason="Erasure request 7"
    )

    message.refresh_from_db()
    assert message.note == "" and message.redacted
    assert redaction.kind == EventKind.REDACTED and redaction.internal
    assert redaction.data == {"events": [message.pk], "attachments": []}
    assert redaction.note == "Erasure request 7"
    worked_ticket.refresh_from_db()
    assert "0532" not in worked_ticket.search_text
    assert "intact" in verify()


def test_a_redacted_document_loses_its_name_and_its_file(
    ticket, member, supervisor, django_capture_on_commit_callbacks
):
    [document] = services.attach(ticket, by=member, files=[upload("me.png", png_bytes())]).saved
    path = document.file.path

    with django_capture_on_commit_callbacks(execute=True):
        services.redact(ticket, by=supervisor, attachments=[document])

    document.refresh_from_db()
    assert document.original_name == "" and document.redacted
    assert not os.path.exists(path)
    assert "intact" in verify()


def test_only_a_supervisor_redacts(worked_ticket, responsible):
    message = worked_ticket.events.get(kind=EventKind.REPLIED, actor=responsible)

    with pytest.raises(PermissionDenied):
        services.redact(worked_ticket, by=responsible, events=[message])
    message.refresh_from_db()
    assert message.note == "Which product code?" and not message.redacted


def test_a_note_emptied_without_a_redaction_event_is_named(worked_ticket):
    tamper(
        "UPDATE tickets_ticketevent SET note = '', redacted = %s WHERE kind = 'resolved'",
        [True],
    )

    with pytest.raises(CommandError, match="emptied without a redaction"):
        verify()
