"""E-mail notices through a real SMTP server: who gets what, in which language, and
what happens while the server is down."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from outbox.models import OutgoingMail
from tickets import services
from tickets.models import Ticket

NEW_TICKET = {
    "kind": "problem",
    "priority": "low",
    "subject": "Kapasite Raporu Prod Kodları",
    "description": "Prod kodları eksik.",
}


def recipients(smtp_server):
    return sorted(message["To"] for message in smtp_server.messages)


def test_filing_mails_the_requester_and_the_categorys_team(
    smtp_server, file, member, responsible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file()

    assert recipients(smtp_server) == sorted([member.email, responsible.email])
    message = smtp_server.messages[0]
    assert f"#{ticket.pk}" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"/tickets/{ticket.pk}/" in text and f"/tickets/{ticket.pk}/" in html


def test_each_recipient_reads_the_notice_in_their_language(
    smtp_server, file, member, responsible, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    responsible.language = "tr"
    responsible.save()

    with django_capture_on_commit_callbacks(execute=True):
        file()

    subjects = {message["To"]: message["Subject"] for message in smtp_server.messages}
    assert "was filed" in subjects[member.email]
    assert "kaydedildi" in subjects[responsible.email]


def test_a_team_hears_of_one_reply_each_in_their_own_language(
    smtp_server, ticket, member, responsible, tesk, capacity, django_capture_on_commit_callbacks
):
    """One topic, three languages among four people: a notice written once is shared by
    those who read the same language, never handed to another language's reader."""
    team = {"tr": responsible}
    for language in ("ru", "en", "tr2"):
        colleague = UserFactory(username=f"kapasite_{language}", organisation=tesk, role=Role.STAFF)
        capacity.responsibles.add(colleague)
        team[language] = colleague
    for language, person in team.items():
        person.language = language[:2]
        person.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, by=member, body="Kodlar hâlâ eksik.")

    subjects = {message["To"]: message["Subject"] for message in smtp_server.messages}
    assert sorted(subjects) == sorted(person.email for person in team.values())
    assert "Новый ответ" in subjects[team["ru"].email]
    assert "New reply" in subjects[team["en"].email]
    assert "yanıt" in subjects[team["tr"].email]
    assert subjects[team["tr2"].email] == subjects[team["tr"].email]
    texts = {
        message["To"]: message.get_body(("plain",)).get_content()
        for message in smtp_server.messages
    }
    assert all("Kodlar hâlâ eksik." in text for text in texts.values())
    assert "Статус" in texts[team["ru"].email] and "Durum" in texts[team["tr2"].email]


def test_a_public_reply_mails_the_requester_but_an_internal_note_mails_nobody(
    smtp_server, ticket, member, responsible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, by=responsible, body="Gizli 42", internal=True)
    assert smtp_server.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, by=responsible, body="Açık yanıt")

    [message] = smtp_server.messages
    assert message["To"] == member.email
    assert "Açık yanıt" in message.get_body(("plain",)).get_content()
    assert not OutgoingMail.objects.filter(text__contains="Gizli 42").exists()


def test_info_request_and_resolution_mail_the_requester(
    smtp_server, ticket, member, responsible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_info(ticket, by=responsible, body="Belge no?")
        services.resolve(ticket, by=responsible, explanation="Bitti")

    assert recipients(smtp_server) == [member.email, member.email]


def test_redirect_mails_the_new_team_and_assignment_the_assignee(
    smtp_server,
    ticket,
    responsible,
    other_responsible,
    technical,
    supervisor,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.redirect_to_category(ticket, by=responsible, category=technical)
    assert recipients(smtp_server) == [other_responsible.email]

    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(ticket, by=supervisor, assignee=other_responsible)
    assert recipients(smtp_server) == [other_responsible.email]


def test_reopening_mails_the_team(
    smtp_server, ticket, member, responsible, django_capture_on_commit_callbacks
):
    services.resolve(ticket, by=responsible, explanation="Bitti")

    with django_capture_on_commit_callbacks(execute=True):
        services.reopen(ticket, by=member, body="Olmadı")

    assert recipients(smtp_server) == [responsible.email]


def test_with_the_mail_server_down_the_ticket_is_saved_and_the_mail_waits_then_goes(
    smtp_server, file, member, responsible, django_capture_on_commit_callbacks
):
    smtp_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        ticket = file()

    assert Ticket.objects.filter(pk=ticket.pk).exists()
    waiting = OutgoingMail.objects.filter(sent_at__isnull=True).order_by("pk")
    assert waiting.count() == 2
    # The first failure stops the attempt: the request waits for one time-out at most.
    assert [mail.attempts for mail in waiting] == [1, 0]
    assert waiting[0].last_error

    smtp_server.start()
    call_command("send_mail_queue")  # the untried one goes; the failed one backs off
    assert recipients(smtp_server) == [responsible.email]
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("send_mail_queue")
    call_command("send_mail_queue")

    assert recipients(smtp_server) == sorted([member.email, responsible.email])
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()


def test_the_web_filing_answers_even_when_the_mail_server_is_down(
    client, smtp_server, member, capacity, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/tickets/new/",
            {
                "category": capacity.pk,
                "kind": "problem",
                "priority": "low",
                "subject": "Posta kapalı",
                "description": "Yine de kaydedilmeli",
            },
        )

    assert callbacks  # the send was tried after the commit, and failed
    assert response.status_code == 302
    assert Ticket.objects.get().subject == "Posta kapalı"
    assert OutgoingMail.objects.filter(sent_at__isnull=True, attempts=1).exists()


def test_filing_on_the_web_mails_after_the_page_is_handed_over(
    holding_client, smtp_server, member, responsible, capacity
):
    holding_client.force_login(member)

    response = holding_client.post("/tickets/new/", {**NEW_TICKET, "category": capacity.pk})

    # The page is on its way and the notices wait in the outbox.
    assert response.status_code == 302
    assert smtp_server.messages == []
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 2

    response.finish()

    assert recipients(smtp_server) == sorted([member.email, responsible.email])


def test_a_mail_server_that_never_answers_holds_up_no_filing(
    holding_client, silent_mail_server, member, responsible, capacity
):
    holding_client.force_login(member)

    response = holding_client.post("/tickets/new/", {**NEW_TICKET, "category": capacity.pk})

    # The ticket is saved and its page handed over before any mail is tried.
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert response["Location"].startswith(f"/tickets/{ticket.pk}/")
    assert not OutgoingMail.objects.filter(attempts__gt=0).exists()

    # The server then tries once, times out, and leaves the mail for the queue.
    response.finish()

    tried, waiting = OutgoingMail.objects.order_by("pk")
    assert tried.sent_at is None and tried.attempts == 1 and tried.last_error
    assert tried.next_attempt_at > timezone.now()
    assert waiting.sent_at is None and waiting.attempts == 0


def test_a_subject_with_line_breaks_is_mailed_on_one_line(
    client, smtp_server, member, capacity, django_capture_on_commit_callbacks
):
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tickets/new/",
            {
                "category": capacity.pk,
                "kind": "problem",
                "priority": "low",
                "subject": "Bir\r\nBcc: evil@example.org",
                "description": "x",
            },
        )

    assert response.status_code == 302
    assert {message["To"] for message in smtp_server.messages} == {member.email}
    assert all("\n" not in message["Subject"].strip() for message in smtp_server.messages)
    assert all(message["Bcc"] is None for message in smtp_server.messages)


def test_users_without_an_address_get_no_mail(
    smtp_server, file, member, responsible, django_capture_on_commit_callbacks
):
    member.email = ""
    member.save()

    with django_capture_on_commit_callbacks(execute=True):
        file()

    assert recipients(smtp_server) == [responsible.email]


def test_a_redirect_notice_tells_the_new_team_where_the_ticket_came_from_in_its_language(
    ticket,
    responsible,
    other_responsible,
    technical,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    other_responsible.language = "en"
    other_responsible.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        services.redirect_to_category(ticket, by=responsible, category=technical, body="Bakın")

    (notice,) = [m for m in smtp_server.messages if m["To"] == "teknik@example.org"]
    text = notice.get_body(("plain",)).get_content()
    assert "Capacity Report → IT – Technical" in text and "Bakın" in text
