"""Merging a duplicate: the conversation, documents and followers go over as new
events, the duplicate is closed, both logs say so; refusals change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.tests.factories import UserFactory
from outbox.models import OutgoingMail
from tickets import logchain, services
from tickets.models import EventKind, Status, Ticket, TicketEvent, TicketFollower

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def merge_url(ticket):
    return reverse("tickets:merge", args=[ticket.pk])


def chain_ok(ticket) -> bool:
    ticket.refresh_from_db()
    problems, _chain = logchain.verify_ticket(ticket.pk, ticket.log_seal, ticket.events.all())
    return problems == []


@pytest.fixture
def duplicate(file, member, responsible):
    """A second ticket of the same organisation, with a reply, a note and a document."""
    ticket = file(subject="Aynı sorun", description="Kodlar yine eksik.")
    services.reply(ticket, by=member, body="Ek bilgi: İnegöl şubesi.")
    services.reply(ticket, by=responsible, body="İç not: bakılıyor.", internal=True)
    services.attach(
        ticket, by=member, files=[SimpleUploadedFile("belge.pdf", PDF, "application/pdf")]
    )
    return ticket


def test_merging_copies_the_conversation_as_new_events_and_closes_the_duplicate(
    ticket, duplicate, responsible
):
    # given
    before = list(duplicate.events.values_list("pk", "kind", "note"))

    # when
    services.merge(duplicate, by=responsible, into=ticket)

    # then the duplicate's own log only grew, and it is closed
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED
    assert list(duplicate.events.values_list("pk", "kind", "note"))[: len(before)] == before
    last = duplicate.events.last()
    assert (last.kind, last.data) == (EventKind.MERGED, {"into": ticket.pk})
    # the target holds copies that name their source
    copies = ticket.events.filter(data__merged_from=duplicate.pk)
    notes = list(copies.values_list("note", "internal"))
    assert ("Kodlar yine eksik.", False) in notes
    assert ("Ek bilgi: İnegöl şubesi.", False) in notes
    assert ("İç not: bakılıyor.", True) in notes
    assert ticket.events.last().kind == EventKind.MERGED
    assert ticket.events.last().data == {"from": duplicate.pk}
    # both hash chains still verify
    assert chain_ok(ticket) and chain_ok(duplicate)


def test_merging_copies_the_documents_which_download_from_the_target(
    client, ticket, duplicate, responsible, member
):
    services.merge(duplicate, by=responsible, into=ticket)

    copy = ticket.attachments.get(original_name="belge.pdf")
    assert duplicate.attachments.filter(original_name="belge.pdf").exists()
    assert copy.file.name != duplicate.attachments.get().file.name
    client.force_login(member)
    response = client.get(copy.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_followers_and_the_duplicates_requester_follow_the_target(
    file, ticket, responsible, chamber_colleague, member
):
    duplicate = file(by=chamber_colleague, subject="Aynı sorun")
    services.follow(duplicate, by=member)

    services.merge(duplicate, by=responsible, into=ticket)

    following = set(TicketFollower.objects.filter(ticket=ticket).values_list("user", flat=True))
    # member is the target's requester: told anyway, not made a follower
    assert following == {chamber_colleague.pk}
    assert not TicketFollower.objects.filter(ticket=duplicate).exists()


def test_the_duplicates_requester_is_told_it_was_merged(
    file, ticket, responsible, chamber_colleague
):
    duplicate = file(by=chamber_colleague, subject="Aynı sorun")
    OutgoingMail.objects.all().delete()

    services.merge(duplicate, by=responsible, into=ticket)

    told = OutgoingMail.objects.get(ticket_id=duplicate.pk, to=chamber_colleague.email)
    assert f"#{ticket.pk}" in told.subject


def test_a_handler_merges_over_http_and_lands_on_the_target(client, ticket, duplicate, responsible):
    client.force_login(responsible)

    response = client.post(
        merge_url(duplicate), {"into": f"#{ticket.pk}"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert f"Ticket #{duplicate.pk} was merged into this one." in response.text
    assert "was merged into this ticket" in response.text
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED


def _nothing_changed(*tickets):
    # Opening the page after the refusal writes the read receipt: not a change by the merge.
    return {
        t.pk: (Ticket.objects.get(pk=t.pk).status, t.events.exclude(kind=EventKind.READ).count())
        for t in tickets
    }


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ("self", "A ticket cannot be merged into itself."),
        ("closed", "A ticket cannot be merged into a closed ticket."),
        ("other_organisation", "Tickets of different organisations cannot be merged."),
        ("invisible", "Ticket #{id} was not found."),
        ("missing", "Ticket #{id} was not found."),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(
    client, file, ticket, responsible, other_union_member, technical, member, into, message
):
    # given
    if into == "self":
        target_id = ticket.pk
    elif into == "closed":
        closed = file(subject="Eski")
        services.resolve(closed, by=responsible, explanation="Tamam.")
        services.close(closed, by=member)
        target_id = closed.pk
    elif into == "other_organisation":
        target_id = file(by=other_union_member, subject="Ankara").pk
    elif into == "invisible":
        target_id = file(category=technical, subject="Teknik").pk
    else:
        target_id = Ticket.objects.order_by("-pk").first().pk + 100
    others = list(Ticket.objects.exclude(pk=ticket.pk))
    before = _nothing_changed(ticket, *others)
    client.force_login(responsible)

    # when
    response = client.post(
        merge_url(ticket), {"into": str(target_id)}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    # then
    assert response.status_code == 200
    assert message.format(id=target_id) in response.text
    assert _nothing_changed(ticket, *others) == before


def test_the_answer_for_a_hidden_ticket_is_the_one_for_a_missing_one(
    client, file, ticket, responsible, technical
):
    hidden = file(category=technical, subject="Gizli konu başlığı")
    client.force_login(responsible)

    response = client.post(merge_url(ticket), {"into": hidden.pk}, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").text

    assert "Gizli konu başlığı" not in page
    assert f"Ticket #{hidden.pk} was not found." in page


@pytest.mark.parametrize("text", ["", "abc", "#", "-3", "99999999999999999999999"])
def test_a_merge_with_no_ticket_number_asks_for_one(client, ticket, responsible, text):
    client.force_login(responsible)

    response = client.post(
        merge_url(ticket), {"into": text}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert "Enter a ticket number" in response.text
    assert Ticket.objects.get(pk=ticket.pk).status != Status.CLOSED


def test_members_may_not_merge_and_other_teams_get_404(
    client, file, ticket, member, other_responsible
):
    other = file(subject="İkinci")
    client.force_login(member)
    assert client.post(merge_url(other), {"into": ticket.pk}).status_code == 403
    client.force_login(other_responsible)
    assert client.post(merge_url(other), {"into": ticket.pk}).status_code == 404
    assert TicketEvent.objects.filter(kind=EventKind.MERGED).count() == 0


def test_the_merge_form_is_offered_to_handlers_only(client, ticket, member, responsible):
    client.force_login(member)
    assert 'id="merge-form"' not in client.get(ticket.get_absolute_url()).text
    client.force_login(responsible)
    assert 'id="merge-form"' in client.get(ticket.get_absolute_url()).text


def test_a_supervisor_may_merge_across_categories(file, ticket, technical, supervisor):
    duplicate = file(category=technical, subject="Teknik kopya")

    services.merge(duplicate, by=supervisor, into=ticket)

    assert Ticket.objects.get(pk=duplicate.pk).status == Status.CLOSED


def test_a_handler_of_the_duplicate_who_does_not_handle_the_target_may_not(
    file, responsible, technical, member
):
    # The target is visible to the member who filed it only by organisation; a handler
    # of another team who filed it on the member's behalf sees it as its assignee.
    teknik = UserFactory(username="teknik2", organisation=responsible.organisation, role="staff")
    technical.responsibles.add(teknik)
    duplicate = file(category=technical, subject="Kopya")
    target = file(subject="Asıl")

    with pytest.raises(services.TicketStateError):
        services.merge(duplicate, by=teknik, into=target)
    assert Ticket.objects.get(pk=duplicate.pk).status != Status.CLOSED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_merges_of_a_pair_each_way_at_once_make_one_merge(file, responsible, supervisor):
    import threading

    first, second = file(subject="Bir"), file(subject="İki")
    barrier = threading.Barrier(2)
    outcomes = []

    def merge(user, source, target):
        try:
            barrier.wait()
            services.merge(
                Ticket.objects.get(pk=source.pk), by=user, into=Ticket.objects.get(pk=target.pk)
            )
            outcomes.append("merged")
        except services.TicketStateError:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=merge, args=(responsible, first, second)),
        threading.Thread(target=merge, args=(supervisor, second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["merged", "refused"]
    assert TicketEvent.objects.filter(kind=EventKind.MERGED).count() == 2
    assert Ticket.objects.filter(status=Status.CLOSED).count() == 1


def test_a_store_that_fails_while_copying_documents_merges_nothing(
    client, ticket, duplicate, responsible, monkeypatch
):
    from common import storage

    def refuse(*args, **kwargs):
        raise storage.StoreUnavailable("down")

    monkeypatch.setattr(storage, "save", refuse)
    before = _nothing_changed(ticket, duplicate)
    client.force_login(responsible)

    response = client.post(
        merge_url(duplicate), {"into": ticket.pk}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert "nothing was merged" in response.text
    assert _nothing_changed(ticket, duplicate) == before
    assert not TicketFollower.objects.filter(ticket=ticket).exists()
