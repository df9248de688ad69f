"""A reply is matched by the headers of our notices first, then by the `[#id]` token
when the sender may act on that ticket and proves to be the From address; otherwise it
files a new ticket. Handlers' mail goes in as public replies or, with `#note`, notes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mailin.models import InboundMessage, Outcome
from outbox.delivery import thread_id
from tickets import services
from tickets.models import EventKind, Status, Ticket, TicketLink

from .conftest import corpus, message


@pytest.fixture
def answered(ticket, responsible, notices):
    """`oda`'s ticket with a handler's reply, and the notice `oda` got about it."""
    services.reply(ticket, by=responsible, body="Hangi ürün?")
    notice = next(m for m in notices() if m["To"] == "oda@example.org" and "[#" in m["Subject"])
    return ticket, notice


def test_a_reply_to_a_notice_goes_into_its_ticket(deliver, answered, member):
    ticket, notice = answered
    raw = message(
        "oda@example.org",
        f"Re: {notice['Subject']}",
        "Ürün 12345.\n\nOn Thu, 3 Dec 2026, Helpdesk wrote:\n> Hangi ürün?",
        in_reply_to=notice["Message-ID"],
        references=notice["References"] + " " + notice["Message-ID"],
    )
    assert deliver(raw)[0] == 0
    assert Ticket.objects.count() == 1
    reply = ticket.events.filter(kind=EventKind.REPLIED).last()
    assert (reply.actor, reply.note, reply.internal) == (member, "Ürün 12345.", False)
    assert InboundMessage.objects.get().outcome == Outcome.THREADED


def test_gmail_reply_threads_by_the_thread_id_alone(deliver, ticket, muhendis_in_oda):
    # Gmail keeps References; the subject lost its token.
    raw = corpus("gmail_reply_pdf.eml", IN_REPLY_TO=thread_id(ticket.pk), SUBJECT="Belge")
    deliver(raw)
    reply = ticket.events.filter(kind=EventKind.REPLIED).get()
    assert reply.note == "Tamam, belgeyi ekte gönderiyorum."
    assert reply.attachments.get().original_name == "Yerli Malı Belgesi.pdf"
    assert Ticket.objects.count() == 1


@pytest.fixture
def muhendis_in_oda(inegol_chamber):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="muhendis", organisation=inegol_chamber)


def test_a_forged_thread_id_threads_nothing(deliver, ticket, member):
    forged = f"<ticket-{ticket.pk}.{'0' * 20}@example.org>"
    deliver(message("oda@example.org", "Başka", in_reply_to=forged))
    assert Ticket.objects.count() == 2


def test_the_token_threads_when_the_sender_may_act_and_is_the_envelope_sender(
    deliver, ticket, member
):
    deliver(message("oda@example.org", f"Re: [#{ticket.pk}] Kodlar", "Ek bilgi."))
    assert Ticket.objects.count() == 1
    assert ticket.events.get(kind=EventKind.REPLIED).note == "Ek bilgi."


def test_a_spoofed_from_with_only_a_token_is_refused(deliver, ticket, member):
    # given: someone writes as `oda`, from their own envelope address, with the token
    raw = message(
        "oda@example.org", f"Re: [#{ticket.pk}]", "Kapatın.", return_path="<x@evil.example>"
    )
    # when
    assert deliver(raw)[0] == 0
    # then: nothing added, nothing filed as oda
    assert Ticket.objects.count() == 1
    assert not ticket.events.filter(kind=EventKind.REPLIED).exists()
    refused = InboundMessage.objects.get()
    assert refused.outcome == Outcome.REFUSED and "token" in refused.reason


def test_a_token_of_a_ticket_the_sender_may_not_see_files_a_new_ticket(
    deliver, ticket, other_union_member
):
    deliver(message("birlik@example.org", f"[#{ticket.pk}] Bizim sorun", "Bizde de var."))
    assert not ticket.events.filter(kind=EventKind.REPLIED).exists()
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert new.requester == other_union_member and new.subject == "Bizim sorun"


def test_a_union_reading_its_chambers_ticket_does_not_reply_to_it(deliver, ticket, union_member):
    deliver(message("bursa@example.org", f"Re: [#{ticket.pk}]", "Biz de bakıyoruz."))
    assert not ticket.events.filter(kind=EventKind.REPLIED).exists()
    assert Ticket.objects.exclude(pk=ticket.pk).get().requester == union_member


def test_a_handlers_mail_is_a_public_reply(deliver, ticket, responsible):
    deliver(message("kapasite@example.org", f"Re: [#{ticket.pk}]", "Bakıyoruz."))
    reply = ticket.events.get(kind=EventKind.REPLIED)
    assert (reply.actor, reply.internal) == (responsible, False)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_a_handlers_mail_with_note_first_is_an_internal_note(deliver, ticket, responsible):
    deliver(message("kapasite@example.org", f"Re: [#{ticket.pk}]", "#note\nMüşteri eski."))
    note = ticket.events.get(kind=EventKind.NOTE, actor=responsible)
    assert (note.note, note.internal) == ("Müşteri eski.", True)
    assert not ticket.events.filter(kind=EventKind.REPLIED).exists()


def test_a_handlers_mail_to_the_notes_address_is_a_note(deliver, ticket, responsible, settings):
    settings.HELPDESK_MAIL_NOTES_ADDRESS = "notes@example.org"
    deliver(message("kapasite@example.org", f"[#{ticket.pk}]", "İç bilgi.", to="notes@example.org"))
    assert ticket.events.get(kind=EventKind.NOTE, actor=responsible).internal


def test_a_reply_to_a_resolved_ticket_within_the_window_reopens_it(
    deliver, ticket, member, responsible
):
    services.resolve(ticket, by=responsible, explanation="Kodlar eklendi.")
    deliver(message("oda@example.org", f"Re: [#{ticket.pk}]", "Hâlâ eksik."))
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.events.get(kind=EventKind.REOPENED).note == "Hâlâ eksik."


def test_after_the_window_a_reply_files_a_new_ticket_naming_the_old_one(
    deliver, ticket, member, responsible
):
    services.resolve(ticket, by=responsible, explanation="Kodlar eklendi.")
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=30))
    deliver(message("oda@example.org", f"Re: [#{ticket.pk}] Kodlar", "Yine oldu."))
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert f"#{ticket.pk}" in new.description and "Yine oldu." in new.description
    assert new.category == ticket.category and new.subject == "Re: Kodlar"
    assert TicketLink.objects.filter(low_id=ticket.pk, high_id=new.pk).exists()


def test_a_reply_to_a_closed_ticket_files_a_new_ticket(deliver, ticket, member, responsible):
    services.resolve(ticket, by=responsible, explanation="Tamam.")
    services.close(ticket, by=member)
    deliver(message("oda@example.org", f"[#{ticket.pk}]", "Bir sorun daha."))
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    assert Ticket.objects.exclude(pk=ticket.pk).get().requester == member


def test_a_handlers_reply_to_a_closed_ticket_is_refused(deliver, ticket, member, responsible):
    services.resolve(ticket, by=responsible, explanation="Tamam.")
    services.close(ticket, by=member)
    deliver(message("kapasite@example.org", f"[#{ticket.pk}]", "Ek."))
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.get().outcome == Outcome.REFUSED


def test_a_forwarded_notice_answered_by_someone_who_may_not_see_the_ticket(
    deliver, answered, other_union_member
):
    ticket, notice = answered
    raw = message(
        "birlik@example.org",
        f"Re: {notice['Subject']}",
        "Bizde de aynısı.",
        in_reply_to=notice["Message-ID"],
        references=notice["Message-ID"],
    )
    deliver(raw)
    assert ticket.events.filter(kind=EventKind.REPLIED).count() == 1  # the handler's only
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert new.requester == other_union_member
    assert f"[#{ticket.pk}]" not in new.subject
