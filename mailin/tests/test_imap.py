"""fetch_mail against a real IMAP server (dovecot): real messages of the corpus are
delivered to a mailbox, fetched, filed, and moved to the done folder; one that fails
stays and is handled at the next poll."""

import io

import pytest
from django.core.management import call_command

from mailin import services as mailin_services
from mailin.models import HeldMessage, InboundMessage, Outcome
from tickets import services
from tickets.models import EventKind, Ticket

from .conftest import corpus, message


def fetch() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("fetch_mail", stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def people(member, inegol_chamber):
    from accounts.tests.factories import UserFactory

    return {
        "oda": member,
        "musavir": UserFactory(username="musavir", organisation=inegol_chamber),
        "muhendis": UserFactory(username="muhendis", organisation=inegol_chamber),
    }


def test_fetched_messages_are_filed_held_or_ignored_and_moved(dovecot, mailbox, people):
    # given: what a morning's mailbox holds
    for name in (
        "outlook_tr_windows1254.eml",
        "thunderbird_ru_koi8r.eml",
        "gmail_forwarded.eml",
        "auto_reply_exchange.eml",
        "bounce_postfix.eml",
    ):
        dovecot.append(mailbox, corpus(name))
    dovecot.append(mailbox, message("stranger@example.net", "Merhaba"))
    # when
    code, output = fetch()
    # then
    assert code == 0, output
    filed = {t.requester.username: t for t in Ticket.objects.select_related("requester")}
    assert set(filed) == {"oda", "musavir", "muhendis"}
    assert filed["musavir"].subject == "Не работает загрузка отчёта"
    assert filed["oda"].channel == "email"
    assert HeldMessage.objects.get().sender == "stranger@example.net"
    assert InboundMessage.objects.filter(outcome=Outcome.IGNORED).count() == 2
    assert dovecot.messages(mailbox) == []
    assert len(dovecot.messages(mailbox, "Handled")) == 6


def test_a_message_that_fails_stays_and_is_handled_next_time(dovecot, mailbox, people, monkeypatch):
    dovecot.append(mailbox, message("oda@example.org", "Birinci"))
    dovecot.append(mailbox, message("oda@example.org", "İkinci", message_id="<2@client.example>"))
    receive = mailin_services.receive

    def database_down_for_the_second(raw, **kwargs):
        if b"<2@client.example>" in raw:
            raise mailin_services.TryAgain("database down")
        return receive(raw, **kwargs)

    monkeypatch.setattr(mailin_services, "receive", database_down_for_the_second)
    assert fetch()[0] == 0
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Birinci"]
    assert len(dovecot.messages(mailbox)) == 1
    # the database is back
    monkeypatch.setattr(mailin_services, "receive", receive)
    assert fetch()[0] == 0
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Birinci", "İkinci"]
    assert dovecot.messages(mailbox) == []


def test_a_reply_to_a_notice_is_threaded_through_imap(
    dovecot, mailbox, ticket, responsible, member, notices
):
    services.reply(ticket, by=responsible, body="Hangi ürün?")
    notice = next(m for m in notices() if "oda@example.org" in m["To"] and "[#" in m["Subject"])
    dovecot.append(
        mailbox,
        message(
            "oda@example.org",
            "Re: Kapasite",  # the token lost: the headers alone thread it
            "Ürün 42.",
            in_reply_to=notice["Message-ID"],
            references=notice["Message-ID"],
        ),
    )
    assert fetch()[0] == 0
    assert Ticket.objects.count() == 1
    assert ticket.events.filter(kind=EventKind.REPLIED, actor=member).get().note == "Ürün 42."


def test_a_mailbox_that_cannot_be_read_is_reported_and_the_next_one_read(
    dovecot, mailbox, member, settings
):
    dovecot.append(mailbox, message("oda@example.org", "Gelen"))
    good = settings.HELPDESK_MAILBOXES[0]
    settings.HELPDESK_MAILBOXES = [{**good, "name": "wrong", "password": "wrong"}, good]
    code, output = fetch()
    assert code == 1 and "wrong" in output
    assert Ticket.objects.get().subject == "Gelen"


def test_a_message_over_the_size_limit_is_refused_without_downloading_it(
    dovecot, mailbox, member, settings, monkeypatch
):
    settings.HELPDESK_MAIL_MAX_SIZE = 5000
    dovecot.append(mailbox, message("oda@example.org", "Büyük", "x" * 20000))
    dovecot.append(mailbox, message("oda@example.org", "Küçük", "Kısa."))
    received = []
    monkeypatch.setattr(
        mailin_services, "receive", lambda raw, **kw: received.append(raw) or real(raw, **kw)
    )
    assert fetch()[0] == 0
    assert len(received) == 1  # only the small one was downloaded
    assert Ticket.objects.get().subject == "Küçük"
    assert "larger" in InboundMessage.objects.get(outcome=Outcome.REFUSED).reason
    assert dovecot.messages(mailbox) == []


real = mailin_services.receive
