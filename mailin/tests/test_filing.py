"""A message from an active user's address files a ticket as that user, channel
e-mail, within the web's rules; the original is kept for handlers only."""

import pytest

from mailin.models import InboundMessage, Outcome
from tickets.models import Attachment, Channel, EventKind, Ticket

from .conftest import corpus, message


def test_a_member_files_a_ticket_by_mail(deliver, member, capacity, responsible):
    # when
    code, output = deliver(message("oda@example.org", "Prod kodları", "Kodlar eksik."))
    # then
    assert code == 0
    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.organisation, ticket.category) == (
        member,
        member.organisation,
        capacity,
    )
    assert ticket.channel == Channel.EMAIL
    assert (ticket.subject, ticket.description) == ("Prod kodları", "Kodlar eksik.")
    created = ticket.events.get(kind=EventKind.CREATED)
    assert created.actor == member and created.data == {"channel": "email"}
    assert InboundMessage.objects.get().outcome == Outcome.FILED
    assert output.startswith("filed")


def test_the_sender_is_matched_whatever_the_case_of_the_address(deliver, member):
    deliver(message("Ali Kaya <ODA@Example.ORG>", return_path="<ODA@Example.ORG>"))
    assert Ticket.objects.get().requester == member


def test_the_original_is_an_internal_eml_for_handlers_only(
    deliver, client, member, responsible, union_member
):
    raw = message("oda@example.org")
    deliver(raw)
    ticket = Ticket.objects.get()
    original = Attachment.objects.get(ticket=ticket)
    assert original.internal and original.content_type == "message/rfc822"
    assert original.download_name.endswith(".eml")
    assert original.file.read() == raw
    url = original.get_absolute_url()
    for reader in (member, union_member):
        client.force_login(reader)
        assert client.get(url).status_code == 404
        page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        assert b".eml" not in page.content
    client.force_login(responsible)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "username", "subject", "text"),
    [
        (
            "outlook_tr_windows1254.eml",
            "oda",
            "Kapasite raporu onayı görünmüyor",
            "Kapasite raporumuzun onayı hâlâ görünmüyor. Yardımcı olabilir misiniz?",
        ),
        (
            "thunderbird_ru_koi8r.eml",
            "musavir",
            "Не работает загрузка отчёта",
            "Не работает загрузка отчёта о мощности,\nошибка 500 после отправки формы.",
        ),
        (
            "outlook_fa_windows1256.eml",
            "fa_expert",
            "درخواست تمديد",
            "سلام\nدرخواست تمديد مهلت پرونده را دارم.\nبا تشکر",
        ),
        ("iso2022jp.eml", "oda", "報告書について", "こんにちは、報告書が開きません。"),
        ("html_only_script.eml", "muhendis", "HTML only", "Birinci paragraf & devamı."),
    ],
)
def test_charsets_and_encoded_subjects_are_read(
    deliver, inegol_chamber, name, username, subject, text
):
    from accounts.tests.factories import UserFactory

    UserFactory(username=username, organisation=inegol_chamber)
    assert deliver(corpus(name))[0] == 0
    ticket = Ticket.objects.get()
    assert ticket.subject == subject
    assert text in ticket.description


def test_quoted_history_and_signature_are_cut_from_the_text(deliver, member, inegol_chamber):
    from accounts.tests.factories import UserFactory

    UserFactory(username="musavir", organisation=inegol_chamber)
    deliver(corpus("thunderbird_ru_koi8r.eml"))
    assert "Иван Петров" not in Ticket.objects.get().description  # below "-- "

    deliver(corpus("outlook_tr_windows1254.eml"))
    outlook = Ticket.objects.get(subject__startswith="Kapasite")
    assert outlook.description.endswith("Ayşe Öztürk")
    assert "Eski ileti" not in outlook.description and "Kimden" not in outlook.description


def test_a_forwarded_message_keeps_what_it_forwards(deliver, inegol_chamber):
    from accounts.tests.factories import UserFactory

    UserFactory(username="muhendis", organisation=inegol_chamber)
    deliver(corpus("gmail_forwarded.eml"))
    ticket = Ticket.objects.get()
    assert ticket.subject == "Fwd: Dolaşım belgesi"
    assert "Dolaşım belgesi başvurumuz 3 gündür bekliyor." in ticket.description


def test_html_becomes_plain_text_never_markup(deliver, inegol_chamber):
    from accounts.tests.factories import UserFactory

    UserFactory(username="muhendis", organisation=inegol_chamber)
    deliver(corpus("html_only_script.eml"))
    text = Ticket.objects.get().description
    assert text == "Birinci paragraf & devamı.\n\nİkinci kalın satır\nüçüncü\nbağlantı"
    for active in ("<", "alert", "steal", "color:red", "javascript"):
        assert active not in text


def test_an_inline_image_is_kept_as_a_document(deliver, member):
    deliver(corpus("apple_mail_inline_image.eml"))
    ticket = Ticket.objects.get()
    image = ticket.attachments.get(internal=False)
    assert (image.original_name, image.content_type, image.is_image) == (
        "ekran.png",
        "image/png",
        True,
    )
    assert ticket.description == "Ekran görüntüsü aşağıda."


def test_an_rfc2231_file_name_is_read(deliver, inegol_chamber):
    from accounts.tests.factories import UserFactory

    UserFactory(username="muhendis", organisation=inegol_chamber)
    deliver(corpus("gmail_reply_pdf.eml", IN_REPLY_TO="<unknown@example.org>", SUBJECT="Belge"))
    document = Ticket.objects.get().attachments.get(internal=False)
    assert (document.original_name, document.content_type) == (
        "Yerli Malı Belgesi.pdf",
        "application/pdf",
    )


def test_a_user_with_no_organisation_files_nothing(deliver, db):
    from accounts.tests.factories import UserFactory

    UserFactory(username="loner", organisation=None)
    assert deliver(message("loner@example.org"))[0] == 0
    assert not Ticket.objects.exists()
    assert InboundMessage.objects.get().outcome == Outcome.REFUSED


def test_the_same_message_twice_files_once(deliver, member):
    raw = message("oda@example.org", message_id="<once@client.example>")
    deliver(raw)
    deliver(raw)
    assert Ticket.objects.count() == 1


def test_the_hourly_limit_of_a_sender(deliver, member, settings):
    settings.HELPDESK_MAIL_HOURLY_LIMIT = 2
    for n in range(3):
        deliver(message("oda@example.org", f"Konu {n}"))
    assert Ticket.objects.count() == 2
    refused = InboundMessage.objects.get(outcome=Outcome.REFUSED)
    assert "limit" in refused.reason
