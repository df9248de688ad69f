"""What a redaction leaves on the pages: an honest "removed", never the text, never a link."""

import pytest

from tickets import services

from .files import PDF, upload

REMOVED = "Removed to protect personal data."
# The same words stored in a ticket's row, in the site's language (Turkish).
REMOVED_STORED = "Kişisel verilerin korunması amacıyla silindi."


@pytest.fixture
def redacted(ticket, member, responsible, supervisor):
    """The member's reply and document redacted by a supervisor, with a reason. (The
    test's transaction never commits: the file stays on disk, only its row is emptied.)"""
    message = services.reply(ticket, by=member, body="TC kimlik no 12345678901").event
    [document] = services.attach(ticket, by=member, files=[upload("kimlik.pdf", PDF)]).saved
    services.redact(
        ticket,
        by=supervisor,
        events=[message, document.event],
        attachments=[document],
        reason="Erasure request 7",
    )
    return ticket, document


def page(client, user, ticket) -> str:
    client.force_login(user)
    return client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("viewer", ["member", "responsible"])
def test_a_redacted_message_and_document_show_as_removed(client, request, viewer, redacted):
    ticket, document = redacted

    shown = page(client, request.getfixturevalue(viewer), ticket)

    assert "12345678901" not in shown and "kimlik.pdf" not in shown
    assert shown.count(REMOVED) >= 3  # the reply, the upload's entry, the document
    assert document.get_absolute_url() not in shown


def test_a_redacted_document_cannot_be_downloaded(client, member, supervisor, redacted):
    ticket, document = redacted

    for user in (member, supervisor):
        client.force_login(user)
        assert client.get(document.get_absolute_url()).status_code == 404


def test_handlers_see_the_redaction_and_its_reason_members_do_not(
    client, member, responsible, redacted
):
    ticket, _document = redacted

    assert "Erasure request 7" in page(client, responsible, ticket)
    assert ">Redacted" in page(client, responsible, ticket)
    for_member = page(client, member, ticket)
    assert "Erasure request 7" not in for_member and ">Redacted" not in for_member


def test_the_ticket_text_is_replaced_when_asked(ticket, supervisor, client, member):
    services.redact(ticket, by=supervisor, ticket_text=True)

    ticket.refresh_from_db()
    assert ticket.subject == ticket.description == REMOVED_STORED
    assert ticket.events.last().data == {"events": [], "attachments": [], "ticket": True}
    assert "Prod kodları" not in page(client, member, ticket)
