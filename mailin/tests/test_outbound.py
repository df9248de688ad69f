"""Our notices carry our Message-ID, a reference to the ticket's thread, the marks that
keep robots from answering, `[#id]` in the subject, and the line to reply above in the
recipient's language."""

from email.utils import parseaddr

from mailin import text
from outbox.delivery import thread_id, ticket_of_thread_id
from tickets import services

from .conftest import message


def test_a_notice_carries_the_threading_and_loop_headers(ticket, responsible, notices):
    services.reply(ticket, by=responsible, body="Hangi ürün?")
    sent = [m for m in notices() if parseaddr(m["To"])[1] == "oda@example.org"]
    assert len(sent) == 2  # filed, answered
    ids = {m["Message-ID"] for m in sent}
    assert len(ids) == 2 and all(i.startswith("<outbox-") for i in ids)
    for notice in sent:
        assert notice["In-Reply-To"] == notice["References"] == thread_id(ticket.pk)
        assert notice["Auto-Submitted"] == "auto-generated"
        assert notice["X-Auto-Response-Suppress"] == "All"
        assert notice["Subject"].strip().startswith(f"[#{ticket.pk}] ")
    assert ticket_of_thread_id(thread_id(ticket.pk)) == ticket.pk


def test_reply_above_this_line_is_in_the_recipients_language(ticket, responsible, member, notices):
    member.language = "en"
    member.save()
    services.reply(ticket, by=responsible, body="Which product?")
    notice = [m for m in notices() if parseaddr(m["To"])[1] == "oda@example.org"][-1]
    body = notice.get_body(("plain",)).get_content()
    assert body.startswith("##- Please type your reply above this line -##")


def test_the_line_cuts_a_reply_in_any_language():
    reply = "Tamam.\n\n##- Lütfen yanıtınızı bu satırın üstüne yazın -##\nEski metin"
    assert text.reply_text(reply) == "Tamam."


def test_a_notice_answered_by_mail_round_trips(deliver, ticket, responsible, member, notices):
    services.request_info(ticket, by=responsible, body="Fatura no?")
    notice = [m for m in notices() if parseaddr(m["To"])[1] == "oda@example.org"][-1]
    quoted = "\n".join(
        "> " + line for line in notice.get_body(("plain",)).get_content().split("\n")
    )
    raw = message(
        "oda@example.org",
        "Re: " + notice["Subject"],
        "Fatura 2026-44.\n\nOn Thu, Helpdesk wrote:\n" + quoted,
        in_reply_to=notice["Message-ID"],
        references=f"{notice['References']} {notice['Message-ID']}",
    )
    deliver(raw)
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"  # the answer gives it back
    assert ticket.events.filter(kind="replied").get().note == "Fatura 2026-44."


def test_a_notice_quotes_the_earlier_conversation_but_no_internal_note(
    ticket, responsible, member, notices
):
    member.language = "en"
    member.save()
    services.reply(ticket, by=responsible, body="Hangi ürün?")
    services.reply(ticket, by=responsible, body="Gizli not", internal=True)
    services.reply(ticket, by=member, body="Ürün 42.")
    services.reply(ticket, by=responsible, body="Eklendi.")
    notice = [m for m in notices() if parseaddr(m["To"])[1] == "oda@example.org"][-1]
    body = notice.get_body(("plain",)).get_content()
    latest, _, earlier = body.partition("Earlier in this ticket")
    assert "Eklendi." in latest and "Eklendi." not in earlier
    assert "Ürün 42." in earlier and "Hangi ürün?" in earlier
    assert "Gizli not" not in body
