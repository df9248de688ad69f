"""Fixes found trying the site as a new user: a category with no team, files chosen on
a form that comes back, and whose look at a ticket is the team's read receipt."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.tests.factories import UserFactory
from categories.tests.factories import CategoryFactory
from outbox.models import OutgoingMail
from tickets import services
from tickets.models import EventKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def mailed(user, ticket=None):
    mails = OutgoingMail.objects.filter(to=user.email)
    if ticket is not None:
        mails = mails.filter(ticket_id=ticket.pk)
    return mails.exists()


def test_a_ticket_of_a_category_with_no_team_tells_the_supervisors(file, supervisor, responsible):
    orphan = CategoryFactory(name="Sahipsiz")

    ticket = file(category=orphan)

    assert mailed(supervisor, ticket)
    assert not mailed(responsible, ticket)


def test_a_category_with_only_inactive_responsibles_has_no_team(file, supervisor, tesk):
    orphan = CategoryFactory(name="Eski ekip")
    gone = UserFactory(organisation=tesk, role=Role.STAFF, is_active=False)
    orphan.responsibles.add(gone)

    ticket = file(category=orphan)

    assert mailed(supervisor, ticket)


def test_a_category_with_a_team_does_not_bother_the_supervisors(file, supervisor, responsible):
    ticket = file()

    assert mailed(responsible, ticket)
    assert not mailed(supervisor, ticket)


def test_redirecting_to_a_category_with_no_team_tells_the_supervisors(
    ticket, responsible, supervisor
):
    orphan = CategoryFactory(name="Sahipsiz")

    services.redirect_to_category(ticket, by=responsible, category=orphan)

    assert OutgoingMail.objects.filter(to=supervisor.email, ticket_id=ticket.pk).exists()


def test_a_supervisors_look_is_not_the_teams_read_receipt(client, ticket, supervisor):
    client.force_login(supervisor)

    client.get(ticket.get_absolute_url())

    ticket.refresh_from_db()
    assert ticket.read_at is None
    assert not ticket.events.filter(kind=EventKind.READ).exists()


def test_the_assignee_from_outside_the_team_marks_it_read(client, ticket, supervisor, responsible):
    services.assign(ticket, by=supervisor, assignee=supervisor)
    client.force_login(supervisor)

    client.get(ticket.get_absolute_url())

    ticket.refresh_from_db()
    assert ticket.read_at is not None


def test_the_team_still_marks_it_read(client, ticket, responsible):
    client.force_login(responsible)

    client.get(ticket.get_absolute_url())

    ticket.refresh_from_db()
    assert ticket.read_at is not None


CHOOSE_AGAIN = "choose your documents again"


def test_a_new_ticket_form_with_an_error_says_the_files_must_be_chosen_again(
    client, member, capacity
):
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": "",
            "description": "Eksik.",
            "attachments": SimpleUploadedFile("belge.pdf", PDF, "application/pdf"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert any(CHOOSE_AGAIN in error for error in form.errors["attachments"])
    assert CHOOSE_AGAIN in response.text


def test_a_form_with_an_error_and_no_files_says_nothing_about_files(client, member, capacity):
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        {"category": capacity.pk, "kind": "problem", "priority": "medium", "subject": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert CHOOSE_AGAIN not in response.text


def test_a_reply_with_an_error_says_the_files_must_be_chosen_again(client, ticket, member):
    client.force_login(member)

    response = client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "", "attachments": SimpleUploadedFile("belge.pdf", PDF, "application/pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert CHOOSE_AGAIN in response.text
    assert not ticket.attachments.exists()
