"""Bad input: each handled with a logged reason, nothing half-filed, exit 0 (the mail
server must not retry what will never go in); 75 only for what may go in later."""

from email.message import EmailMessage

from django.db import OperationalError

from mailin import services as mailin_services
from mailin.models import InboundMessage, Outcome
from outbox.models import OutgoingMail
from tickets.models import Attachment, EventKind, Ticket, TicketEvent

from .conftest import corpus, message


def test_a_malformed_message_is_refused_with_a_reason(deliver, member):
    for raw in (b"", b"\x00\xff garbage without headers", b"From: \r\n\r\nbody"):
        assert deliver(raw)[0] == 0
    assert not Ticket.objects.exists()
    assert InboundMessage.objects.filter(outcome=Outcome.REFUSED).count() == 3


def test_a_60_mb_message_is_refused_unread(deliver, member):
    raw = message("oda@example.org") + b"x" * (60 * 1024 * 1024)
    assert deliver(raw)[0] == 0
    assert not Ticket.objects.exists()
    assert "larger" in InboundMessage.objects.get().reason


def test_a_message_with_500_parts_is_refused(deliver, member):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "oda@example.org", "helpdesk@example.org", "Parts"
    msg.set_content("Many parts.")
    for n in range(500):
        msg.add_attachment(
            f"part {n}".encode(), maintype="text", subtype="plain", filename=f"{n}.txt"
        )
    assert deliver(msg.as_bytes())[0] == 0
    assert not Ticket.objects.exists()
    assert "parts" in InboundMessage.objects.get().reason


def test_a_zip_bomb_is_refused_and_handlers_are_told(deliver, member):
    deliver(corpus("zip_bomb.eml"))
    ticket = Ticket.objects.get()
    assert not Attachment.objects.filter(ticket=ticket, internal=False).exists()
    note = ticket.events.get(kind=EventKind.NOTE)
    assert note.internal and note.actor is None and "rapor.zip" in note.note


def test_a_header_injection_subject_stays_one_line(deliver, member, responsible, notices):
    msg = EmailMessage()
    msg["From"], msg["To"] = "oda@example.org", "helpdesk@example.org"
    msg["Subject"] = (
        "=?utf-8?b?"
        + __import__("base64").b64encode(b"Konu\r\nBcc: evil@example.net").decode()
        + "?="
    )
    msg.set_content("Metin.")
    deliver(msg.as_bytes())
    ticket = Ticket.objects.get()
    assert "\n" not in ticket.subject and "\r" not in ticket.subject
    sent = notices()
    assert sent and all("evil@example.net" not in (m["Bcc"] or "") for m in sent)
    assert all("\n" not in m["Subject"] for m in sent)


def test_the_database_down_is_exit_75_and_nothing_kept(deliver, member, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(mailin_services, "_act", down)
    code, _ = deliver(message("oda@example.org"))
    assert code == 75
    assert not Ticket.objects.exists() and not InboundMessage.objects.exists()


def test_an_unforeseen_error_is_exit_75(deliver, member, monkeypatch):
    monkeypatch.setattr(mailin_services, "_act", lambda *a, **k: 1 / 0)
    assert deliver(message("oda@example.org"))[0] == 75


def test_a_store_failure_leaves_nothing_half_filed(deliver, member, monkeypatch, settings):
    from common import storage

    def refuse(*args, **kwargs):
        raise storage.StoreUnavailable("disk full")

    monkeypatch.setattr(storage, "save", refuse)
    assert deliver(corpus("apple_mail_inline_image.eml"))[0] == 75
    assert not Ticket.objects.exists() and not TicketEvent.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_a_from_that_our_mail_server_found_forged_is_refused(deliver, member):
    raw = message(
        "oda@example.org",
        authentication_results="mx.example.org; spf=fail; dmarc=fail header.from=example.org",
    )
    deliver(raw)
    assert not Ticket.objects.exists()
    assert InboundMessage.objects.get().outcome == Outcome.REFUSED


def test_the_envelope_sender_from_the_pipe_counts(deliver, ticket, member):
    # An empty one (a bounce) is a robot's, whatever the headers say ...
    deliver(message("oda@example.org", "Bounce?", message_id="<a@x>"), "--sender", "")
    assert InboundMessage.objects.get().outcome == Outcome.IGNORED
    # ... and a token counts only when it is the From address.
    deliver(
        message("oda@example.org", f"[#{ticket.pk}]", "Ek.", return_path="<oda@example.org>"),
        "--sender",
        "x@evil.example",
    )
    assert not ticket.events.filter(kind=EventKind.REPLIED).exists()
    deliver(
        message("oda@example.org", f"[#{ticket.pk}]", "Ek 2.", return_path="<x@evil.example>"),
        "--sender",
        "oda@example.org",
    )
    assert ticket.events.get(kind=EventKind.REPLIED).note == "Ek 2."
