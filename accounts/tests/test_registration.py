"""Self-registration: an inactive account and an application, nothing more."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Organisation, RegistrationRequest, RegistrationStatus, Role, User
from accounts.tests.factories import OrganisationFactory, UserFactory
from categories.models import Category

REGISTER = "/accounts/register/"


def test_the_form_offers_the_contract_fields(client, inegol_chamber):
    page = client.get(REGISTER).content.decode()

    for name in ["username", "email", "password1", "password2", "organisation"]:
        assert f'name="{name}"' in page
    assert "İnegöl Marangozlar Odası" in page


def test_registering_creates_an_inactive_member_waiting_for_approval(
    client, registration_data, inegol_chamber
):
    # when
    response = client.post(REGISTER, registration_data)

    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/done/"
    user = User.objects.get(username="yeni")
    assert not user.is_active
    assert user.organisation is None
    assert user.check_password(registration_data["password1"])
    assert user.registration.status == RegistrationStatus.PENDING
    assert user.registration.organisation == inegol_chamber


def test_the_applicant_is_told_to_wait_for_approval(client, registration_data):
    response = client.post(REGISTER, registration_data, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.redirect_chain == [("/accounts/register/done/", 302)]
    page = response.content.decode()
    assert "Thank you: your application is waiting for approval" in page
    assert "Until then you cannot sign in." in page


def test_admins_get_a_notice_of_a_new_application(
    client, registration_data, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    # given a staff member who may not decide applications
    UserFactory(username="clerk", email="clerk@example.org", is_staff=True)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, registration_data)

    # then
    assert [m["To"] for m in smtp_server.messages] == ["admin@example.org"]
    body = smtp_server.messages[0].get_content()
    assert "yeni" in body and "ayse@example.org" in body
    registration = RegistrationRequest.objects.get()
    assert f"/admin/accounts/registrationrequest/{registration.pk}/change/" in body


def test_extra_post_fields_grant_nothing(
    client, registration_data, another_organisation, capacity, inegol_chamber
):
    # given fields the form does not show, as an attacker would add them
    group = Group.objects.create(name="editors")
    forged = {
        **registration_data,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "role": Role.SUPERVISOR,
        "organisation_id": str(another_organisation.pk),
        "groups": str(group.pk),
        "user_permissions": "1",
        "team_categories": str(capacity.pk),
        "responsibles": str(capacity.pk),
        "status": RegistrationStatus.APPROVED,
        "muted_topics": "[]",
    }

    # when
    client.post(REGISTER, forged)

    # then
    user = User.objects.get(username="yeni")
    assert (user.is_active, user.is_staff, user.is_superuser) == (False, False, False)
    assert user.role == Role.MEMBER
    assert user.organisation is None
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert not Category.objects.filter(responsibles=user).exists()
    assert user.registration.status == RegistrationStatus.PENDING
    assert user.registration.organisation == inegol_chamber


def test_registration_alone_cannot_create_an_organisation(client, proposal_data):
    client.post(REGISTER, proposal_data)

    assert not Organisation.objects.filter(name="Gemlik Kahveciler Odası").exists()
    registration = RegistrationRequest.objects.get()
    assert registration.organisation is None
    assert registration.proposed_name == "Gemlik Kahveciler Odası"


def refused(client, data, field):
    """Post `data`; return the errors on `field` after checking nothing was created."""
    users, organisations = User.objects.count(), Organisation.objects.count()

    response = client.post(REGISTER, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert (User.objects.count(), Organisation.objects.count()) == (users, organisations)
    assert not RegistrationRequest.objects.exists()
    return response.context["form"].errors.get(field, [])


@pytest.mark.parametrize("password", ["12345678", "password", "kisa", "ayse@example.org"])
def test_a_weak_password_is_refused(client, registration_data, password):
    data = {**registration_data, "password1": password, "password2": password}

    assert refused(client, data, "password2")


def test_two_different_passwords_are_refused(client, registration_data):
    assert refused(client, {**registration_data, "password2": "Başka-parola-99"}, "password2")


@pytest.mark.parametrize("phone", ["12", "0224 713", "not a phone", "+90 000 000 00 00"])
def test_a_malformed_phone_is_refused(client, registration_data, phone):
    assert refused(client, {**registration_data, "phone": phone}, "phone")


def test_the_phone_is_stored_in_e164(client, registration_data):
    client.post(REGISTER, {**registration_data, "phone": "(0532) 123 45 67"})

    assert User.objects.get(username="yeni").phone == "+905321234567"


def test_choosing_no_organisation_is_refused(client, registration_data):
    assert refused(client, {**registration_data, "organisation": ""}, "organisation")


def test_an_unknown_organisation_is_refused(client, registration_data):
    assert refused(client, {**registration_data, "organisation": "999999"}, "organisation")


def test_nobody_registers_into_the_confederation_itself(client, registration_data, tesk):
    assert refused(client, {**registration_data, "organisation": str(tesk.pk)}, "organisation")


def test_a_proposal_needs_its_name_kind_tax_number_and_parent(client, proposal_data):
    data = {
        **proposal_data,
        "organisation_name": "",
        "organisation_kind": "",
        "organisation_tax_number": "",
        "organisation_parent": "",
    }

    response = client.post(REGISTER, data)

    assert set(response.context["form"].errors) == {
        "organisation_name",
        "organisation_kind",
        "organisation_tax_number",
        "organisation_parent",
    }
    assert not User.objects.filter(username="yeni").exists()


@pytest.mark.parametrize("number", ["4540536921", "123", "17291716061"])
def test_a_proposal_with_a_bad_tax_number_is_refused(client, proposal_data, number):
    data = {**proposal_data, "organisation_tax_number": number}

    assert refused(client, data, "organisation_tax_number")


def test_a_proposal_already_in_the_directory_is_refused_with_a_pointer(
    client, proposal_data, inegol_chamber
):
    # "İNEGÖL MARANGOZLAR ODASI" is the chamber in the directory, in capitals.
    data = {**proposal_data, "organisation_name": "İNEGÖL  MARANGOZLAR ODASI"}

    errors = refused(client, data, "organisation_name")

    assert errors == [
        "This organisation is already in the directory: "
        f"“İnegöl Marangozlar Odası” (no. {inegol_chamber.pk})."
    ]


def test_a_proposal_with_a_tax_number_in_use_is_refused_with_a_pointer(client, proposal_data, tesk):
    holder = OrganisationFactory(name="Vergi Sahibi", parent=tesk, tax_number="4540536920")

    errors = refused(
        client,
        {**proposal_data, "organisation_tax_number": "454 053 69 20"},
        "organisation_tax_number",
    )

    assert errors == [
        f"This tax number belongs to “Vergi Sahibi” (no. {holder.pk}), already in the directory."
    ]


def test_a_valid_proposal_keeps_the_compact_tax_number(client, proposal_data):
    client.post(REGISTER, {**proposal_data, "organisation_tax_number": "454-053-6920"})

    assert RegistrationRequest.objects.get().proposed_tax_number == "4540536920"


def test_registration_is_rate_limited_per_address(client, registration_data, settings):
    # given
    settings.HELPDESK_REGISTRATION_LIMIT = 3
    bad = {**registration_data, "password2": "mismatch"}
    for _ in range(3):
        assert client.post(REGISTER, bad).status_code == 200

    # when a valid application comes from the same address
    response = client.post(REGISTER, registration_data, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 429
    assert "Too many attempts from your address" in response.content.decode()
    assert not User.objects.filter(username="yeni").exists()


def test_the_limit_is_per_address(client, registration_data, settings):
    settings.HELPDESK_REGISTRATION_LIMIT = 1
    client.post(REGISTER, {**registration_data, "password2": "mismatch"})

    response = client.post(REGISTER, registration_data, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 302


def test_a_signed_in_user_is_sent_away_from_registration(client, member):
    client.force_login(member)

    assert client.get(REGISTER)["Location"] == "/"


def test_registration_and_its_waiting_page_are_open_to_visitors(client, db):
    assert client.get(REGISTER).status_code == 200
    assert client.get("/accounts/register/done/").status_code == 200


def test_every_mistake_of_a_proposal_is_shown_at_once(client, proposal_data, inegol_chamber):
    data = {
        **proposal_data,
        "organisation_name": "inegöl marangozlar odası",
        "organisation_tax_number": "4540536921",
        "organisation_parent": "",
    }

    response = client.post(REGISTER, data)

    assert set(response.context["form"].errors) == {
        "organisation_name",
        "organisation_tax_number",
        "organisation_parent",
    }


def test_the_registration_form_masks_the_phone_as_the_site_dials(client, db, settings):
    settings.HELPDESK_PHONE_REGION = "RU"

    page = client.get("/accounts/register/").content.decode()

    assert 'data-phone-mask="+7 (___) ___-__-__"' in page and "js/phone-mask" in page
