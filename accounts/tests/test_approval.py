"""Approval and refusal of applications, by service and by the admin's bulk actions."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import services
from accounts.models import Organisation, RegistrationRequest, RegistrationStatus, User
from outbox.models import OutgoingMail

from .conftest import PASSWORD

CHANGELIST = "/admin/accounts/registrationrequest/"


def test_approving_opens_the_account_in_the_chosen_organisation(pending, reviewer, inegol_chamber):
    # when
    services.approve(pending, by=reviewer)

    # then
    user = User.objects.get(username="yeni")
    assert user.is_active
    assert user.organisation == inegol_chamber
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.APPROVED
    assert pending.decided_by == reviewer
    assert pending.decided_at is not None


def test_the_approved_applicant_is_mailed_in_their_language(
    pending, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    # given `pending` registered on the English pages
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(pending, by=reviewer, base_url="http://destek.example")

    [message] = smtp_server.messages
    assert message["To"] == "ayse@example.org"
    assert message["Subject"] == "Your account is open"
    body = message.get_content()
    assert "İnegöl Marangozlar Odası" in body
    assert "http://destek.example/accounts/login/" in body


def test_approving_a_proposal_creates_the_organisation_under_the_chosen_parent(
    pending_proposal, reviewer, bursa_union
):
    # given nothing exists before approval
    assert not Organisation.objects.filter(name="Gemlik Kahveciler Odası").exists()

    # when
    user = services.approve(pending_proposal, by=reviewer)

    # then
    organisation = Organisation.objects.get(name="Gemlik Kahveciler Odası")
    assert organisation.parent == bursa_union
    assert organisation.tax_number == "4540536920"
    assert organisation.path.startswith(bursa_union.path)
    assert user.organisation == organisation
    pending_proposal.refresh_from_db()
    assert pending_proposal.organisation == organisation


def test_two_colleagues_proposing_the_same_organisation_share_it(
    pending_proposal, reviewer, bursa_union
):
    colleague = services.register(
        username="gemlik2",
        email="gemlik2@example.org",
        password=PASSWORD,
        proposal=services.ProposedOrganisation(
            name="GEMLİK KAHVECİLER ODASI",
            kind="chamber",
            tax_scheme="tr",
            tax_number="4540536920",
            parent=bursa_union,
        ),
    )

    first = services.approve(pending_proposal, by=reviewer)
    second = services.approve(colleague, by=reviewer)

    assert first.organisation == second.organisation
    assert Organisation.objects.filter(name_key="gemlik kahveciler odasi").count() == 1


def test_a_proposal_that_became_a_duplicate_is_not_approved(pending_proposal, reviewer, tesk):
    # given someone else added an organisation with that tax number meanwhile
    Organisation.objects.create(
        name="Başka Ad", kind="chamber", parent=tesk, tax_number="4540536920"
    )

    with pytest.raises(services.RegistrationError, match="Başka Ad"):
        services.approve(pending_proposal, by=reviewer)

    assert not User.objects.get(username="gemlik").is_active
    pending_proposal.refresh_from_db()
    assert pending_proposal.status == RegistrationStatus.PENDING


def test_refusing_keeps_the_account_closed_and_mails_the_reason(
    pending, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(pending, by=reviewer, reason="Bu odanın üyesi değilsiniz.")

    user = User.objects.get(username="yeni")
    assert not user.is_active and user.organisation is None
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (
        RegistrationStatus.REFUSED,
        "Bu odanın üyesi değilsiniz.",
    )
    [message] = smtp_server.messages
    assert message["To"] == "ayse@example.org"
    assert message["Subject"] == "Your registration was refused"
    assert "Bu odanın üyesi değilsiniz." in message.get_content()


def test_a_refusal_needs_a_reason(pending, reviewer):
    with pytest.raises(services.RegistrationError):
        services.refuse(pending, by=reviewer, reason="  ")

    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.PENDING


def test_a_decided_application_is_not_decided_again(pending, reviewer):
    services.refuse(pending, by=reviewer, reason="Hayır.")

    with pytest.raises(services.RegistrationError):
        services.approve(pending, by=reviewer)

    assert not User.objects.get(username="yeni").is_active


def test_a_mail_server_that_is_down_does_not_undo_the_approval(
    pending, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(pending, by=reviewer)

    assert User.objects.get(username="yeni").is_active
    # ... and the applicant's mail waits in the outbox until the server is back.
    assert OutgoingMail.objects.filter(to="ayse@example.org", sent_at__isnull=True).exists()
    smtp_server.start()
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("send_mail_queue")
    assert [message["To"] for message in smtp_server.messages] == ["ayse@example.org"]


def test_the_admin_lists_applications_with_their_organisation(admin_web, pending, pending_proposal):
    page = admin_web.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "İnegöl Marangozlar Odası" in page
    assert "Gemlik Kahveciler Odası (new)" in page


def test_the_admin_approves_in_bulk(admin_web, pending, pending_proposal):
    response = admin_web.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [pending.pk, pending_proposal.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "2 applications approved" in response.content.decode()
    assert set(User.objects.filter(is_active=True).values_list("username", flat=True)) >= {
        "yeni",
        "gemlik",
    }


def test_the_admin_refuses_in_bulk_after_giving_a_reason(
    admin_web, pending, pending_proposal, smtp_server, django_capture_on_commit_callbacks
):
    selected = {"action": "refuse_selected", "_selected_action": [pending.pk, pending_proposal.pk]}

    # when the action is chosen, it asks for the reason first
    asked = admin_web.post(CHANGELIST, selected, HTTP_ACCEPT_LANGUAGE="en")
    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    assert RegistrationRequest.objects.filter(status=RegistrationStatus.PENDING).count() == 2

    # and when the reason is given
    with django_capture_on_commit_callbacks(execute=True):
        admin_web.post(CHANGELIST, {**selected, "apply": "1", "reason": "Kayıt dışı."})

    # then
    assert set(RegistrationRequest.objects.values_list("status", "reason")) == {
        (RegistrationStatus.REFUSED, "Kayıt dışı.")
    }
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "ayse@example.org",
        "gemlik@example.org",
    ]


def test_the_admin_cannot_refuse_without_a_reason(admin_web, pending):
    response = admin_web.post(
        CHANGELIST,
        {"action": "refuse_selected", "_selected_action": [pending.pk], "apply": "1", "reason": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.PENDING


def test_the_whole_way_register_approve_sign_in(client, registration_data, reviewer):
    # given an application
    client.post("/accounts/register/", registration_data)
    credentials = {"username": "yeni", "password": registration_data["password1"]}
    assert client.post("/accounts/login/", credentials).status_code == 200

    # when the admin approves it
    services.approve(RegistrationRequest.objects.get(), by=reviewer)

    # then the applicant signs in
    response = client.post("/accounts/login/", credentials)
    assert response.status_code == 302
    assert response["Location"] == "/tickets/"


def test_the_admin_opens_on_the_applications_waiting_for_approval(
    admin_web, pending, pending_proposal, reviewer
):
    services.approve(pending_proposal, by=reviewer)

    page = admin_web.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    everything = admin_web.get(CHANGELIST, {"status": "all"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "İnegöl Marangozlar Odası" in page
    assert "Gemlik Kahveciler Odası" not in page
    assert "Gemlik Kahveciler Odası" in everything.content.decode()
