"""A supervisor erases a person on their request: the person goes, the record stays."""

import os
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from accounts.models import OrganisationKind, User
from accounts.tests.factories import OrganisationFactory, UserFactory
from outbox.models import OutgoingMail
from privacy import services
from privacy.models import Erasure, Source
from tickets import services as tickets_services
from tickets.models import Attachment, EventKind, Ticket, TicketEvent

from .conftest import IDENTITY, verify_log

# What replaces the text, stored in the site's language (Turkish).
REMOVED = "Kişisel verilerin korunması amacıyla silindi."


def erase_page(person) -> str:
    return f"/privacy/people/{person.pk}/erase/"


def erase(client, person, **form):
    return client.post(erase_page(person), form, HTTP_ACCEPT_LANGUAGE="en")


def database_text() -> str:
    """Every row of every table, as text: what a look into the database would find."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def counts():
    return (Ticket.objects.count(), TicketEvent.objects.count(), Attachment.objects.count())


@pytest.fixture
def supervisor_web(client, supervisor):
    client.force_login(supervisor)
    return client


def test_the_person_is_replaced_by_a_pseudonym(supervisor_web, ayse, history):
    response = erase(supervisor_web, ayse)

    assert response.status_code == 302
    ayse.refresh_from_db()
    assert ayse.username == f"erased-{ayse.pk}"
    assert (ayse.first_name, ayse.last_name, ayse.email, ayse.phone) == ("", "", "", "")
    assert not ayse.is_active and not ayse.has_usable_password()
    assert ayse.display_name() == f"Erased person #{ayse.pk}"


def test_the_ticket_page_shows_the_pseudonym_and_never_the_name(
    supervisor_web, ayse, history, responsible, client
):
    erase(supervisor_web, ayse)
    client.force_login(responsible)

    page = client.get(history.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"Erased person #{ayse.pk}" in page
    for identity in IDENTITY:
        assert identity not in page
    assert "Kod 8471" in page  # her text was kept: the supervisor did not tick the box


def test_the_name_and_address_are_nowhere_in_the_database(supervisor_web, ayse, history):
    # Her sign-ins are recorded by django-axes, the failed ones too.
    Client().post("/accounts/login/", {"username": "ayse.yilmaz", "password": "demo12345"})
    Client().post("/accounts/login/", {"username": "AYSE.YILMAZ@example.org", "password": "no"})
    LogEntry.objects.log_actions(
        user_id=supervisor_web.session["_auth_user_id"],
        queryset=[ayse],
        action_flag=CHANGE,
        change_message="Changed phone.",
    )
    assert AccessLog.objects.exists() and AccessAttempt.objects.exists()
    assert OutgoingMail.objects.filter(to=ayse.email).exists()
    assert "Yılmaz" in database_text()

    erase(supervisor_web, ayse, redact_text="on")

    text = database_text()
    for identity in IDENTITY:
        assert identity not in text
    assert "kimlik.pdf" not in text and "telefonum" not in text and "2024/17" not in text


def test_without_redaction_only_the_identity_goes(supervisor_web, ayse, history):
    erase(supervisor_web, ayse)

    text = database_text()
    for identity in IDENTITY:
        assert identity not in text
    assert "Kod 8471" in text and "kimlik.pdf" in text


def test_an_engineers_own_organisation_loses_her_name_and_tax_number(supervisor_web, tesk, ayse):
    own = OrganisationFactory(
        name="Ayşe Yılmaz Mühendislik",
        kind=OrganisationKind.ENGINEER,
        parent=tesk,
        tax_number="10000000146",
        email="ayse.yilmaz@example.org",
    )
    ayse.organisation = own
    ayse.save()
    LogEntry.objects.log_actions(
        user_id=supervisor_web.session["_auth_user_id"],
        queryset=[own],
        action_flag=CHANGE,
        change_message="Changed city.",
    )

    erase(supervisor_web, ayse)

    own.refresh_from_db()
    assert own.name == f"erased-{own.pk}"
    assert (own.tax_number, own.email, own.phone, own.city) == ("", "", "", "")
    directory = supervisor_web.get("/accounts/directory/").content.decode()
    assert f"erased-{own.pk}" in directory
    assert "Mühendislik" not in directory and "10000000146" not in directory
    assert "Mühendislik" not in database_text() and "10000000146" not in database_text()


def test_a_chamber_keeps_its_name(supervisor_web, ayse, inegol_chamber):
    erase(supervisor_web, ayse)

    inegol_chamber.refresh_from_db()
    assert inegol_chamber.name == "İnegöl Marangozlar Odası"


def test_tickets_events_and_documents_stay(supervisor_web, ayse, history):
    before = counts()
    events = list(history.events.values_list("pk", "actor_id"))

    erase(supervisor_web, ayse, redact_text="on")

    # One `redacted` event more, in her ticket's log; every other row as it was.
    assert counts() == (before[0], before[1] + 1, before[2])
    assert list(history.events.values_list("pk", "actor_id"))[:-1] == events


def test_the_erasure_is_recorded_without_the_name(supervisor_web, supervisor, ayse, history):
    erase(supervisor_web, ayse, redact_text="on")

    erasure = Erasure.objects.get()
    assert (erasure.person, erasure.by, erasure.source) == (ayse, supervisor, Source.SUPERVISOR)
    assert erasure.redacted_text and erasure.tickets == 1
    assert str(erasure) == f"Erased person #{ayse.pk}"


@pytest.mark.parametrize("redact_text", [False, True])
def test_the_log_verifies_after_an_erasure(supervisor_web, ayse, history, redact_text):
    erase(supervisor_web, ayse, **({"redact_text": "on"} if redact_text else {}))

    assert "The action log of 1 ticket(s) is intact." in verify_log()


def test_redacting_empties_her_text_through_the_log(
    supervisor_web, ayse, history, django_capture_on_commit_callbacks
):
    document = history.attachments.get()
    path = document.file.path

    with django_capture_on_commit_callbacks(execute=True):
        erase(supervisor_web, ayse, redact_text="on")

    history.refresh_from_db()
    assert history.subject == history.description == REMOVED
    assert "8471" not in history.search_text
    her_events = history.events.filter(actor=ayse).exclude(note="")
    assert not her_events.exists()
    assert history.events.get(kind=EventKind.NOTE).note == "Call her back."
    document.refresh_from_db()
    assert document.redacted and document.original_name == ""
    assert not os.path.exists(path)
    redacted = history.events.get(kind=EventKind.REDACTED)
    assert redacted.internal and redacted.data["ticket"] is True
    assert redacted.note == f"Kişisel veriler silindi: erased-{ayse.pk}."  # the site's language


def test_her_replies_on_a_colleagues_ticket_are_redacted_too(
    supervisor_web, ayse, file, chamber_colleague
):
    from tickets import services as tickets

    theirs = file(by=chamber_colleague, subject="Ortak talep")
    tickets.reply(theirs, by=ayse, body="Ben de bekliyorum, Ayşe")

    erase(supervisor_web, ayse, redact_text="on")

    theirs.refresh_from_db()
    assert theirs.subject == "Ortak talep"  # not hers: kept
    assert not theirs.events.filter(note__contains="Ayşe").exists()
    assert "intact" in verify_log()


def test_her_session_ends_and_she_can_no_longer_sign_in(supervisor_web, ayse, ayse_web):
    assert ayse_web.get("/tickets/").status_code == 200

    erase(supervisor_web, ayse)

    response = ayse_web.get("/tickets/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    for name in ["ayse.yilmaz", "ayse.yilmaz@example.org", f"erased-{ayse.pk}"]:
        response = ayse_web.post("/accounts/login/", {"username": name, "password": "demo12345"})
        assert response.status_code == 200  # the form again, with its message
        assert ayse_web.get("/tickets/").status_code == 302


def test_the_admin_lists_the_pseudonym(client, ayse, history, supervisor):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True, organisation=None)
    services.erase(ayse, by=supervisor, redact_text=False)
    client.force_login(admin)

    page = client.get("/admin/accounts/user/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"erased-{ayse.pk}" in page
    for identity in IDENTITY:
        assert identity not in page
    assert client.get("/admin/accounts/user/?q=Y%C4%B1lmaz").context["cl"].result_count == 0


def test_the_erased_person_is_no_longer_on_a_team(responsible, supervisor, capacity):
    services.erase(responsible, by=supervisor, redact_text=False)

    assert not capacity.responsibles.exists()


@pytest.mark.parametrize("viewer", ["ayse", "chamber_colleague", "responsible", "union_member"])
def test_nobody_but_a_supervisor_may_erase(client, request, viewer, member, history):
    client.force_login(request.getfixturevalue(viewer))
    before = User.objects.values_list().get(pk=member.pk)

    assert client.get(erase_page(member)).status_code == 404
    assert erase(client, member, redact_text="on").status_code == 404

    assert User.objects.values_list().get(pk=member.pk) == before
    assert not Erasure.objects.exists()
    assert not history.events.filter(kind=EventKind.REDACTED).exists()


def test_a_supervisor_cannot_erase_themselves(supervisor_web, supervisor):
    page = supervisor_web.get(erase_page(supervisor), HTTP_ACCEPT_LANGUAGE="en")
    assert "You cannot erase your own account." in page.content.decode()
    assert '<form method="post" class="card' not in page.content.decode()

    response = erase(supervisor_web, supervisor)

    assert response.status_code == 200
    assert "You cannot erase your own account." in response.content.decode()
    supervisor.refresh_from_db()
    assert supervisor.is_active and supervisor.username == "tesk"
    assert not Erasure.objects.exists()


def test_a_supervisor_cannot_erase_an_administrator(supervisor_web):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)

    response = erase(supervisor_web, admin)

    assert "erased by the operator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active and admin.username == "admin"


def test_a_supervisor_cannot_erase_a_staff_admin_either(supervisor_web):
    staff = UserFactory(username="yonetim", is_staff=True)

    response = erase(supervisor_web, staff)

    assert "erased by the operator" in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active and staff.username == "yonetim"


def test_the_authenticator_and_recovery_codes_go_with_the_person(supervisor, ayse, history):
    from django_otp import devices_for_user
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=ayse, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=ayse, name="recovery", confirmed=True)

    services.erase(ayse, by=supervisor, redact_text=False)

    assert list(devices_for_user(ayse, confirmed=None)) == []


def test_erasing_twice_changes_nothing(supervisor_web, ayse, history):
    erase(supervisor_web, ayse)
    ayse.refresh_from_db()
    before = (User.objects.values_list().get(pk=ayse.pk), counts())

    response = erase(supervisor_web, ayse, redact_text="on")

    assert response.status_code == 200
    assert "already erased" in response.content.decode()
    assert (User.objects.values_list().get(pk=ayse.pk), counts()) == before
    assert Erasure.objects.count() == 1
    history.refresh_from_db()
    assert history.subject == "Kapasite raporu onaylanmadı"


def test_the_confirm_page_asks_before_anything_changes(supervisor_web, ayse, history):
    page = supervisor_web.get(erase_page(ayse), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert 'name="redact_text"' in page.content.decode()
    ayse.refresh_from_db()
    assert ayse.is_active and not Erasure.objects.exists()


def test_the_operator_erases_from_the_command_line(ayse, history):
    out = StringIO()

    call_command("erase_person", "ayse.yilmaz", "--redact-text", stdout=out)

    ayse.refresh_from_db()
    assert ayse.is_erased
    assert f"now erased-{ayse.pk}; text redacted on 1 ticket(s)" in out.getvalue()
    erasure = Erasure.objects.get()
    assert (erasure.by, erasure.source, erasure.redacted_text) == (None, Source.OPERATOR, True)
    history.refresh_from_db()
    assert history.subject == REMOVED
    assert "intact" in verify_log()


def test_the_command_says_when_there_is_nobody_to_erase(db):
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("erase_person", "nobody")


def test_the_command_erases_twice_without_change(ayse):
    call_command("erase_person", "ayse.yilmaz", stdout=StringIO())
    out = StringIO()

    call_command("erase_person", f"erased-{ayse.pk}", "--redact-text", stdout=out)

    assert "already erased; nothing changed" in out.getvalue()
    assert Erasure.objects.get().redacted_text is False


def test_the_erasure_record_is_append_only_for_the_sites_role():
    assert "privacy_erasure" in _append_only_tables()
    assert "privacy_anonymisedticket" in _append_only_tables()


def _append_only_tables():
    from common import dbroles

    return dbroles.append_only_tables()


def test_an_erased_handlers_name_leaves_the_tickets_sort_copy(
    supervisor_web, supervisor, responsible, history
):
    # The list sorts by a copy of the assignee's username kept on each ticket.
    tickets_services.assign(history, by=supervisor, assignee=responsible)
    assert Ticket.objects.get(pk=history.pk).assignee_key == "kapasite"

    erase(supervisor_web, responsible)

    assert Ticket.objects.get(pk=history.pk).assignee_key == f"erased-{responsible.pk}"
    assert not Ticket.objects.filter(assignee_key="kapasite").exists()
