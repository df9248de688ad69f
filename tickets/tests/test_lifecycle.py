"""The whole life of a ticket: conversation, information requests, redirects,
assignment, priority, the reopen window and closing."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tickets import services
from tickets.models import EventKind, Status, Ticket
from tickets.tests.files import PDF, upload


def kinds(ticket):
    return list(ticket.events.values_list("kind", flat=True))


def status(ticket):
    ticket.refresh_from_db()
    return ticket.status


# -- conversation ----------------------------------------------------------------


def test_a_handlers_first_reply_takes_the_ticket_into_work(client, ticket, responsible):
    client.force_login(responsible)

    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Bakıyoruz."})

    assert response.status_code == 302
    assert status(ticket) == Status.IN_PROGRESS
    event = ticket.events.get(kind=EventKind.REPLIED)
    assert (event.actor, event.note, event.internal) == (responsible, "Bakıyoruz.", False)


def test_replies_carry_several_documents(client, ticket, member):
    client.force_login(member)

    client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Ekler", "attachments": [upload("a.pdf", PDF), upload("b.txt", b"not")]},
    )

    event = ticket.events.get(kind=EventKind.REPLIED)
    assert sorted(event.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.txt"]
    assert status(ticket) == Status.WAITING  # the member's reply does not take it into work


def test_an_internal_note_is_never_shown_to_members(
    client, ticket, responsible, member, union_member
):
    client.force_login(responsible)
    client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Gizli not 42", "internal": "on", "attachments": [upload("ic.pdf", PDF)]},
    )
    note = ticket.events.get(kind=EventKind.NOTE)
    assert note.internal and note.attachments.get().internal

    for viewer in (member, union_member):
        client.force_login(viewer)
        page = client.get(f"/tickets/{ticket.pk}/").content.decode()
        export = b"".join(client.get("/tickets/export.csv").streaming_content).decode()
        assert "Gizli not 42" not in page and "ic.pdf" not in page
        assert "Gizli not 42" not in export
    client.force_login(responsible)
    assert "Gizli not 42" in client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert status(ticket) == Status.WAITING  # a note is not a reply


def test_a_member_cannot_post_an_internal_note(client, ticket, member):
    client.force_login(member)

    client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Merhaba", "internal": "on"})

    event = ticket.events.get(kind=EventKind.REPLIED)
    assert event.internal is False


def test_a_double_clicked_reply_posts_once(client, ticket, member):
    client.force_login(member)
    data = {"body": "Bir kez", "submission": "6f1c1f0e-7a43-4c8e-9d8e-1d2b3c4d5e6f"}

    client.post(f"/tickets/{ticket.pk}/reply/", data)
    client.post(f"/tickets/{ticket.pk}/reply/", data)

    assert ticket.events.filter(kind=EventKind.REPLIED).count() == 1


def test_a_double_clicked_filing_files_once(client, member, capacity):
    client.force_login(member)
    data = {
        "category": capacity.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": "Bir kez",
        "description": "Çift tık",
        "submission": "0b7f1e0e-7a43-4c8e-9d8e-1d2b3c4d5e6f",
    }

    first = client.post("/tickets/new/", data)
    second = client.post("/tickets/new/", data)

    assert Ticket.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_union_above_may_not_reply(client, ticket, union_member):
    client.force_login(union_member)

    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Biz de"})

    assert response.status_code == 403
    assert kinds(ticket) == [EventKind.CREATED]


# -- information requested ---------------------------------------------------------


def test_requesting_information_waits_for_the_member_whose_reply_gives_it_back(
    client, ticket, responsible, member
):
    client.force_login(responsible)
    client.post(f"/tickets/{ticket.pk}/request-info/", {"body": "Belge no?"})
    assert status(ticket) == Status.INFO_REQUESTED

    client.force_login(member)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Bilgi bekleniyor" in page and "Belge no?" in page
    client.post(f"/tickets/{ticket.pk}/reply/", {"body": "12345"})

    assert status(ticket) == Status.IN_PROGRESS
    assert kinds(ticket)[-2:] == [EventKind.INFO_REQUESTED, EventKind.REPLIED]


def test_a_member_cannot_request_information(client, ticket, member):
    client.force_login(member)

    response = client.post(f"/tickets/{ticket.pk}/request-info/", {"body": "?"})

    assert response.status_code == 403
    assert status(ticket) == Status.WAITING


def test_information_cannot_be_requested_on_a_resolved_ticket(client, ticket, responsible):
    services.resolve(ticket, by=responsible, explanation="Tamam")
    client.force_login(responsible)

    response = client.post(f"/tickets/{ticket.pk}/request-info/", {"body": "?"}, follow=True)

    assert 'role="alert"' in response.content.decode()
    assert status(ticket) == Status.RESOLVED
    assert EventKind.INFO_REQUESTED not in kinds(ticket)


# -- redirect ----------------------------------------------------------------------


def test_redirecting_hands_the_ticket_to_the_new_team(
    client, ticket, responsible, other_responsible, technical
):
    client.force_login(responsible)

    client.post(f"/tickets/{ticket.pk}/redirect/", {"category": technical.pk, "body": "Teknik"})

    ticket.refresh_from_db()
    assert (ticket.category, ticket.status) == (technical, Status.REDIRECTED)
    assert "Teknik" in ticket.events.get(kind=EventKind.REDIRECTED).note
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404
    client.force_login(other_responsible)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 200


def test_an_assignee_outside_the_new_team_is_released_on_redirect(ticket, responsible, technical):
    services.assign(ticket, by=responsible, assignee=responsible)

    services.redirect_to_category(ticket, by=responsible, category=technical)

    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert not Ticket.objects.visible_to(responsible).exists()


def test_redirecting_to_the_same_category_is_refused(ticket, responsible, capacity):
    with pytest.raises(services.TicketStateError):
        services.redirect_to_category(ticket, by=responsible, category=capacity)
    assert status(ticket) == Status.WAITING


# -- assign ------------------------------------------------------------------------


def test_assign_offers_the_categorys_responsibles(
    client, ticket, responsible, other_responsible, capacity, django_user_model
):
    colleague = django_user_model.objects.create_user("kapasite2", role="staff")
    capacity.responsibles.add(colleague)
    client.force_login(responsible)

    form = client.get(f"/tickets/{ticket.pk}/").context["assign_form"]

    assert set(form.fields["assignee"].queryset) == {responsible, colleague}


def test_assigning_takes_the_ticket_into_work_and_logs_the_assignee(client, ticket, responsible):
    client.force_login(responsible)

    client.post(f"/tickets/{ticket.pk}/assign/", {"assignee": responsible.pk})

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (responsible, Status.IN_PROGRESS)
    assert ticket.events.get(kind=EventKind.ASSIGNED).data == {"to": responsible.pk}


def test_assigning_someone_outside_the_category_is_refused(
    client, ticket, responsible, other_responsible
):
    client.force_login(responsible)

    response = client.post(f"/tickets/{ticket.pk}/assign/", {"assignee": other_responsible.pk})

    assert response.status_code == 200  # the form again, with its message
    ticket.refresh_from_db()
    assert ticket.assignee is None
    with pytest.raises(services.TicketStateError):
        services.assign(ticket, by=responsible, assignee=other_responsible)


# -- priority ----------------------------------------------------------------------


def test_a_priority_change_is_logged_with_old_and_new_values(client, ticket, responsible):
    client.force_login(responsible)

    client.post(f"/tickets/{ticket.pk}/priority/", {"priority": "high"})

    ticket.refresh_from_db()
    assert ticket.priority == "high"
    assert ticket.events.get(kind=EventKind.PRIORITY_CHANGED).data == {
        "from": "medium",
        "to": "high",
    }


def test_a_member_cannot_change_the_priority(client, ticket, member):
    client.force_login(member)

    assert client.post(f"/tickets/{ticket.pk}/priority/", {"priority": "high"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.priority == "medium"


# -- reopen, confirm, close --------------------------------------------------------


@pytest.fixture
def resolved(ticket, responsible):
    return services.resolve(ticket, by=responsible, explanation="Çözüldü")


def test_the_member_reopens_within_the_window_with_a_reason(client, resolved, member):
    client.force_login(member)
    assert (
        f'action="/tickets/{resolved.pk}/reopen/"'
        in client.get(f"/tickets/{resolved.pk}/").content.decode()
    )

    client.post(f"/tickets/{resolved.pk}/reopen/", {"body": "Hâlâ eksik"})

    resolved.refresh_from_db()
    assert (resolved.status, resolved.resolved_at) == (Status.IN_PROGRESS, None)
    assert resolved.events.get(kind=EventKind.REOPENED).note == "Hâlâ eksik"


def test_reopening_needs_a_reason(client, resolved, member):
    client.force_login(member)

    response = client.post(f"/tickets/{resolved.pk}/reopen/", {"body": ""})

    assert response.status_code == 200
    assert status(resolved) == Status.RESOLVED


def test_after_the_window_the_reopen_button_is_gone_and_a_post_is_refused(client, resolved, member):
    Ticket.objects.filter(pk=resolved.pk).update(
        resolved_at=timezone.now() - datetime.timedelta(days=3, minutes=1)
    )
    client.force_login(member)

    page = client.get(f"/tickets/{resolved.pk}/").content.decode()
    response = client.post(f"/tickets/{resolved.pk}/reopen/", {"body": "Geç"}, follow=True)

    assert f'action="/tickets/{resolved.pk}/reopen/"' not in page
    assert 'role="alert"' in response.content.decode()
    assert status(resolved) == Status.RESOLVED


def test_the_union_above_may_not_reopen(client, resolved, union_member):
    client.force_login(union_member)

    assert client.post(f"/tickets/{resolved.pk}/reopen/", {"body": "x"}).status_code == 403
    assert status(resolved) == Status.RESOLVED


def test_the_member_confirms_and_the_ticket_closes_read_only(client, resolved, member):
    client.force_login(member)

    client.post(f"/tickets/{resolved.pk}/close/")

    assert status(resolved) == Status.CLOSED
    page = client.get(f"/tickets/{resolved.pk}/").content.decode()
    assert '<form method="post" action="/tickets/' not in page
    response = client.post(f"/tickets/{resolved.pk}/reply/", {"body": "Ek"}, follow=True)
    assert 'role="alert"' in response.content.decode()
    assert EventKind.REPLIED not in kinds(resolved)


def test_close_resolved_closes_only_tickets_whose_window_passed(file, responsible):
    fresh, stale, open_ticket = file(subject="fresh"), file(subject="stale"), file(subject="open")
    for ticket in (fresh, stale):
        services.resolve(ticket, by=responsible, explanation="ok")
    Ticket.objects.filter(pk=stale.pk).update(
        resolved_at=timezone.now() - datetime.timedelta(days=4)
    )

    call_command("close_resolved")
    call_command("close_resolved")

    assert (status(fresh), status(stale), status(open_ticket)) == (
        Status.RESOLVED,
        Status.CLOSED,
        Status.WAITING,
    )
    assert stale.events.filter(kind=EventKind.CLOSED).count() == 1


def test_resolving_a_closed_ticket_is_refused(client, resolved, member, responsible):
    services.close(resolved, by=member)
    client.force_login(responsible)

    response = client.post(f"/tickets/{resolved.pk}/resolve/", {"explanation": "x"}, follow=True)

    assert 'role="alert"' in response.content.decode()
    assert kinds(resolved).count(EventKind.RESOLVED) == 1


# -- on behalf ---------------------------------------------------------------------


def test_a_ticket_filed_on_behalf_by_the_categorys_responsible_is_theirs_at_once(
    ticket, responsible, member, capacity, problem
):
    filed = services.file_ticket(
        by=responsible,
        requester=member,
        channel="phone",
        category=capacity,
        kind=problem,
        priority="high",
        subject="Telefonla",
        description="Aradı",
    ).ticket

    assert (filed.assignee, filed.status, filed.channel) == (
        responsible,
        Status.IN_PROGRESS,
        "phone",
    )
    assert kinds(filed) == [EventKind.CREATED, EventKind.ASSIGNED]


def test_a_member_cannot_file_on_behalf_of_someone_else(
    member, other_union_member, capacity, problem
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.file_ticket(
            by=member,
            requester=other_union_member,
            category=capacity,
            kind=problem,
            priority="low",
            subject="x",
            description="y",
        )


def test_filing_on_behalf_in_another_teams_category_keeps_the_files_and_lands_on_the_list(
    client, responsible, member, technical
):
    client.force_login(responsible)

    response = client.post(
        "/tickets/new/",
        {
            "category": technical.pk,
            "kind": "problem",
            "priority": "low",
            "subject": "Telefonla",
            "description": "Aradı",
            "requester": member.pk,
            "channel": "phone",
            "attachments": [upload("ek.pdf", PDF)],
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/tickets/"
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["ek.pdf"]
    assert ticket.assignee is None


def test_after_redirecting_away_the_responsible_lands_on_the_list(
    client, ticket, responsible, technical
):
    client.force_login(responsible)

    response = client.post(f"/tickets/{ticket.pk}/redirect/", {"category": technical.pk})

    assert response["Location"] == "/tickets/"


def test_after_a_reply_the_page_to_land_on_asks_no_query_of_the_visibility_rule(
    client, ticket, responsible
):
    client.force_login(responsible)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Which product?"})

    assert response["Location"] == f"/tickets/{ticket.pk}/"
    exists = 'SELECT 1 AS "a" FROM "tickets_ticket"'
    assert [q["sql"] for q in queries if q["sql"].startswith(exists)] == []


def test_a_redirect_logs_who_was_no_longer_assigned(
    client, ticket, responsible, other_responsible, technical
):
    services.assign(ticket, by=responsible, assignee=responsible)

    services.redirect_to_category(ticket, by=responsible, category=technical)

    event = ticket.events.get(kind=EventKind.REDIRECTED)
    assert event.data["unassigned"] == responsible.pk
    client.force_login(other_responsible)
    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"no longer assigned to {responsible.display_name()}" in page


def test_staff_sharing_the_requesters_organisation_are_not_its_requesters_side(
    client, file, tesk, responsible, capacity
):
    from accounts.tests.factories import UserFactory

    tesk_member = UserFactory(organisation=tesk)
    ticket = file(by=tesk_member)
    client.force_login(responsible)

    client.get(f"/tickets/{ticket.pk}/")
    services.resolve(ticket, by=responsible, explanation="ok")
    response = client.post(f"/tickets/{ticket.pk}/close/")

    ticket.refresh_from_db()
    assert ticket.read_at is not None
    assert response.status_code == 403
    assert ticket.status == Status.RESOLVED
