"""The workflow table, the one `transition`, and what the services record."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tickets import permissions, services, workflow
from tickets.models import OPEN_STATUSES, Channel, EventKind, Priority, Status, Ticket
from tickets.tests.files import PDF, upload


@pytest.fixture
def moves():
    """Every status change as (old, new), caught on the workflow's one hook."""
    caught = []

    def receiver(sender, ticket, old, new, by, **kwargs):
        caught.append((old, new))

    workflow.status_changed.connect(receiver)
    yield caught
    workflow.status_changed.disconnect(receiver)


def test_every_status_change_of_a_tickets_life_passes_the_one_transition(
    ticket, member, responsible, moves
):
    services.assign(ticket, by=responsible, assignee=responsible)
    services.request_info(ticket, by=responsible, body="Fatura?")
    services.reply(ticket, by=member, body="Ekte.")
    services.resolve(ticket, by=responsible, explanation="Tamam.")
    services.reopen(ticket, by=member, body="Olmadı.")
    services.resolve(ticket, by=responsible, explanation="Şimdi tamam.")
    services.close(ticket, by=member)

    assert moves == [
        (Status.WAITING, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.INFO_REQUESTED),
        (Status.INFO_REQUESTED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.RESOLVED),
        (Status.RESOLVED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.RESOLVED),
        (Status.RESOLVED, Status.CLOSED),
    ]
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None


def test_filing_on_behalf_enters_the_workflow_and_takes_the_ticket_in_one_hook_each(
    moves, member, responsible, capacity, problem
):
    services.file_ticket(
        by=responsible,
        requester=member,
        channel=Channel.PHONE,
        category=capacity,
        kind=problem,
        priority=Priority.HIGH,
        subject="Telefonla",
        description="Aradı.",
    )

    assert moves == [(None, Status.WAITING), (Status.WAITING, Status.IN_PROGRESS)]


def test_a_redirect_and_a_reply_move_through_the_hook_too(
    ticket, responsible, other_responsible, technical, moves
):
    services.redirect_to_category(ticket, by=responsible, category=technical)
    services.reply(ticket, by=other_responsible, body="Bakıyoruz.")

    assert moves == [
        (Status.WAITING, Status.REDIRECTED),
        (Status.REDIRECTED, Status.IN_PROGRESS),
    ]


def test_a_note_a_priority_change_and_a_document_change_no_status(
    ticket, member, responsible, moves
):
    services.reply(ticket, by=responsible, body="iç", internal=True)
    services.change_priority(ticket, by=responsible, priority=Priority.HIGH)
    services.attach(ticket, by=member, files=[upload("rapor.pdf", PDF)])

    assert moves == []
    assert Ticket.objects.get(pk=ticket.pk).status == Status.WAITING


def test_reopening_clears_the_resolution_date_the_member_sees(ticket, member, responsible):
    services.resolve(ticket, by=responsible, explanation="Tamam.")

    services.reopen(ticket, by=member, body="Olmadı.")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (Status.IN_PROGRESS, None)


HANDLING = {
    "reply",
    "documents",
    "request-info",
    "assign",
    "priority",
    "redirect",
    "resolve",
    "merge",
}
# What each side finds on a ticket's page in each status, written from the rules in
# DESIGN.md rather than from the table, so that a wrong row in the table shows here.
PAGE_FORMS = {
    Status.WAITING: ({"reply", "documents"}, HANDLING),
    Status.IN_PROGRESS: ({"reply", "documents"}, HANDLING),
    Status.INFO_REQUESTED: ({"reply", "documents"}, HANDLING),
    Status.REDIRECTED: ({"reply", "documents"}, HANDLING),
    # The member may reopen or confirm; the handler keeps internal notes and priority.
    Status.RESOLVED: (
        {"documents", "reopen", "close"},
        {"reply", "documents", "priority", "merge"},
    ),
    Status.CLOSED: (set(), set()),
}


# Following and links change who is told and what is shown, not the ticket's status.
NOT_WORKFLOW = {"follow", "unfollow", "followers", "links"}


def page_forms(client, user, ticket) -> set[str]:
    client.force_login(user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    found = re.findall(rf'<form method="post" action="/tickets/{ticket.pk}/([a-z-]+)/"', page)
    return set(found) - NOT_WORKFLOW


@pytest.mark.parametrize("status", list(PAGE_FORMS))
def test_each_side_is_offered_the_forms_the_rules_give_it_in_each_status(
    status, client, ticket, member, responsible
):
    resolved_at = None if status in OPEN_STATUSES else timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(status=status, resolved_at=resolved_at)
    for_member, for_handler = PAGE_FORMS[status]

    assert page_forms(client, member, ticket) == for_member
    assert page_forms(client, responsible, ticket) == for_handler


def test_the_member_is_no_longer_offered_a_reopen_once_the_window_passed(
    client, ticket, member, settings
):
    past = timezone.now() - datetime.timedelta(days=settings.HELPDESK_REOPEN_DAYS, minutes=1)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.RESOLVED, resolved_at=past)

    assert page_forms(client, member, ticket) == {"documents", "close"}


def test_a_side_the_table_does_not_name_is_refused_before_the_status_is_looked_at(
    ticket, member, union_member
):
    with pytest.raises(PermissionDenied):
        permissions.check("resolve", member, ticket)
    with pytest.raises(PermissionDenied):
        permissions.check("reply", union_member, ticket)


def test_a_reply_stays_findable_after_the_ticket_is_saved_again(client, ticket, responsible):
    services.reply(ticket, by=responsible, body="Fatura numarası İŞLENDİ")

    saved = Ticket.objects.get(pk=ticket.pk)
    saved.save()  # a later full save (the admin, a script) keeps the conversation

    client.force_login(responsible)
    listed = client.get("/tickets/", {"q": "islendi", "status": ""}).context["page"]
    assert [row.pk for row in listed.object_list] == [ticket.pk]


def test_a_priority_change_by_a_turkish_user_reads_in_persian_on_a_persian_page(
    client, ticket, responsible, supervisor
):
    responsible.language = "tr"
    responsible.save(update_fields=["language"])
    supervisor.language = "fa"
    supervisor.save(update_fields=["language"])

    services.change_priority(ticket, by=responsible, priority=Priority.HIGH)

    event = ticket.events.get(kind=EventKind.PRIORITY_CHANGED)
    assert (event.note, event.data) == ("", {"from": "medium", "to": "high"})
    client.force_login(supervisor)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "<bdi>متوسط</bdi> ← <bdi>بالا</bdi>" in page  # read right to left
    assert "Orta" not in page and "Yüksek" not in page


def test_a_redirect_stores_the_categories_and_only_the_typed_reason_as_note(
    client, ticket, responsible, other_responsible, technical
):
    services.redirect_to_category(ticket, by=responsible, category=technical, body="Teknik iş")

    event = ticket.events.get(kind=EventKind.REDIRECTED)
    assert (event.note, event.data) == (
        "Teknik iş",
        {"from": ticket.category_id, "to": technical.pk},
    )
    client.force_login(other_responsible)
    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<bdi>Capacity Report</bdi> → <bdi>IT – Technical</bdi>" in page


def test_filing_reports_what_was_saved_and_what_was_refused(member, capacity, problem):
    result = services.file_ticket(
        by=member,
        category=capacity,
        kind=problem,
        priority=Priority.LOW,
        subject="Belgeler",
        description="İki dosya.",
        files=[upload("rapor.pdf", PDF), upload("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)],
    )

    assert [a.original_name for a in result.saved] == ["rapor.pdf"]
    assert len(result.refused) == 1 and "virus.exe" in result.refused[0]
    assert result.event.kind == EventKind.CREATED
    assert result.ticket.attachments.count() == 1


def test_the_service_keeps_the_channel_its_caller_gives(member, capacity, problem):
    """E-mail and the API file for the sender themselves, with their own channel."""
    result = services.file_ticket(
        by=member,
        category=capacity,
        kind=problem,
        priority=Priority.LOW,
        subject="Postayla",
        description="Posta ile geldi.",
        channel=Channel.EMAIL,
    )

    assert result.ticket.channel == Channel.EMAIL


def test_the_web_form_files_a_members_own_ticket_as_web_whatever_is_posted(
    client, member, capacity
):
    client.force_login(member)

    client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": "Web",
            "description": "Formdan.",
            "channel": Channel.PHONE,
        },
    )

    assert Ticket.objects.get().channel == Channel.WEB


def test_a_responsible_filing_for_themselves_on_the_form_is_the_web_channel(
    client, responsible, capacity
):
    client.force_login(responsible)

    client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": "Kendim için",
            "description": "Formdan.",
            "requester": responsible.pk,
            "channel": Channel.PHONE,
        },
    )

    assert Ticket.objects.get().channel == Channel.WEB


def test_an_old_priority_event_shows_its_facts_not_the_sentence_it_was_written_with(
    client, ticket, responsible
):
    """Events written before facts kept a sentence in the actor's language as note."""
    from tickets.models import TicketEvent

    TicketEvent.objects.create(
        ticket=ticket,
        actor=responsible,
        kind=EventKind.PRIORITY_CHANGED,
        note="Orta → Yüksek",
        data={"from": "medium", "to": "high"},
    )
    client.force_login(responsible)

    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<bdi>Medium</bdi> → <bdi>High</bdi>" in page and "Orta" not in page


# The lock every change takes on its ticket's row.


def test_a_change_locks_the_tickets_row_with_what_its_notices_need(
    ticket, django_assert_num_queries
):
    expected = (ticket.pk, ticket.category.name, ticket.requester.username)
    with transaction.atomic(), django_assert_num_queries(1):
        locked = services._lock(ticket)
        assert (locked.pk, locked.category.name, locked.requester.username) == expected
    with pytest.raises(Ticket.DoesNotExist), transaction.atomic():
        services._lock(Ticket(pk=ticket.pk + 1000))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tickets_row_is_locked_only_inside_a_transaction(ticket):
    with pytest.raises(transaction.TransactionManagementError):
        services._lock(ticket)
