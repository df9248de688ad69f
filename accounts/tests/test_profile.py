"""The profile: what a user may change about themselves, and what mail they get."""

import pytest

from accounts.models import NotificationTopic, Role, User

PROFILE = "/accounts/profile/"


def profile_data(**changes):
    data = {
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "email": "oda@example.org",
        "phone": "",
        "language": "",
        "mail_topics": ["filed", "answered", "info_requested", "resolved", "following"],
    }
    return {**data, **changes}


def test_the_profile_shows_the_role_and_organisation_read_only(client, member):
    client.force_login(member)

    response = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Member" in page and "İnegöl Marangozlar Odası" in page
    assert set(response.context["form"].fields) == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "language",
        "mail_topics",
    }


def test_a_responsible_sees_their_teams(client, responsible):
    client.force_login(responsible)

    page = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Responsible" in page and "Capacity Report" in page


def test_saving_changes_name_email_phone_and_language(client, member):
    client.force_login(member)

    response = client.post(
        PROFILE,
        profile_data(email="Yeni@Example.ORG", phone="0532 123 45 67", language="ru"),
    )

    assert response["Location"] == PROFILE
    member.refresh_from_db()
    assert (member.first_name, member.email, member.phone, member.language) == (
        "Ayşe",
        "Yeni@example.org",
        "+905321234567",
        "ru",
    )
    assert '<html lang="ru"' in client.get(PROFILE).content.decode()


def test_the_phone_is_shown_in_the_national_format(client, member):
    member.phone = "+902247134567"
    member.save()
    client.force_login(member)

    page = client.get(PROFILE).content.decode()

    assert 'value="(0224) 713 45 67"' in page


def test_the_profile_cannot_change_role_organisation_or_flags(client, member, ankara_union):
    client.force_login(member)

    client.post(
        PROFILE,
        profile_data(
            role=Role.SUPERVISOR,
            organisation=ankara_union.pk,
            is_staff="on",
            is_superuser="on",
            username="root",
        ),
    )

    member.refresh_from_db()
    assert (member.username, member.role, member.organisation.name) == (
        "oda",
        Role.MEMBER,
        "İnegöl Marangozlar Odası",
    )
    assert not member.is_staff and not member.is_superuser


@pytest.mark.parametrize("email", ["oda2@example.org", "ODA2@example.org"])
def test_a_taken_email_is_refused(client, member, chamber_colleague, email):
    client.force_login(member)

    response = client.post(PROFILE, profile_data(email=email, first_name="Değişmedi"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    member.refresh_from_db()
    assert member.email == "oda@example.org"


def test_a_refused_form_does_not_change_the_name_in_the_menu(client, member):
    client.force_login(member)

    page = client.post(PROFILE, profile_data(first_name="Yanlış", phone="12")).content.decode()

    assert "Yanlış" not in page.split("<main")[0]


def test_unticking_a_topic_stops_that_mail(client, member):
    client.force_login(member)

    client.post(PROFILE, profile_data(mail_topics=["filed", "resolved"]))

    member = User.objects.get(pk=member.pk)
    assert member.wants_mail(NotificationTopic.FILED)
    assert member.wants_mail(NotificationTopic.RESOLVED)
    assert not member.wants_mail(NotificationTopic.ANSWERED)
    assert not member.wants_mail(NotificationTopic.INFO_REQUESTED)


def test_members_are_not_offered_team_topics_and_keep_them(client, member):
    member.muted_topics = ["team"]
    member.save()
    client.force_login(member)

    offered = [
        value for value, _ in client.get(PROFILE).context["form"].fields["mail_topics"].choices
    ]
    client.post(PROFILE, profile_data())

    assert "team" not in offered and "assigned" not in offered
    member.refresh_from_db()
    assert member.muted_topics == ["team"]


def test_a_responsible_may_turn_off_team_mail(client, responsible):
    client.force_login(responsible)

    client.post(PROFILE, profile_data(email="kapasite@example.org", mail_topics=["assigned"]))

    responsible.refresh_from_db()
    assert responsible.wants_mail("assigned")
    assert not responsible.wants_mail("team")


def test_every_topic_is_wanted_by_default(member):
    assert all(member.wants_mail(topic) for topic in NotificationTopic.values)


def test_no_mail_for_inactive_users_or_users_without_an_address(member):
    member.email = ""
    assert not member.wants_mail("filed")
    member.email = "oda@example.org"
    member.is_active = False
    assert not member.wants_mail("filed")


def in_russia(member):
    from accounts.models import Organisation

    Organisation.objects.filter(pk=member.organisation_id).update(tax_scheme="ru")


def test_the_phone_has_the_mask_of_the_members_country(client, member):
    client.force_login(member)
    turkish = client.get(PROFILE).content.decode()
    in_russia(member)

    russian = client.get(PROFILE).content.decode()

    assert 'data-phone-mask="+90 (___) ___ __ __"' in turkish
    assert 'data-phone-mask="+7 (___) ___-__-__"' in russian
    assert "js/phone-mask" in russian


def test_a_phone_without_its_code_is_read_in_the_members_country(client, member):
    in_russia(member)
    client.force_login(member)

    response = client.post(PROFILE, profile_data(phone="8 (912) 345-67-89"))

    assert response["Location"] == PROFILE
    member.refresh_from_db()
    assert member.phone == "+79123456789"
