"""No request a user can make returns a 500, and a refused one changes nothing."""

import pytest

from tickets.models import Ticket

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "action, data, status",
    [
        ("assign", {"assignee": HUGE}, 200),
        ("assign", {"assignee": "abc"}, 200),
        ("assign", {}, 200),
        ("redirect", {"category": HUGE}, 200),
        ("redirect", {"category": "-1"}, 200),
        ("redirect", {"category": "1", "body": "x" * 10_001}, 200),
        ("priority", {"priority": "urgent"}, 200),
        ("priority", {"priority": "medium"}, 302),  # unchanged: said with a message
        ("resolve", {}, 200),
        ("request-info", {"body": ""}, 200),
        ("reply", {"body": "", "submission": "not-a-uuid"}, 200),
        ("reply", {"body": "\x00"}, 200),
        ("reopen", {"body": "x"}, 403),  # the requester's side's action
        ("close", {}, 403),
    ],
)
def test_bad_action_input_is_refused_and_changes_nothing(
    client, ticket, responsible, action, data, status
):
    client.force_login(responsible)
    before = list(Ticket.objects.values())
    events = ticket.events.count()

    response = client.post(f"/tickets/{ticket.pk}/{action}/", data)

    assert response.status_code == status
    assert list(Ticket.objects.values()) == before
    assert ticket.events.count() == events


@pytest.mark.parametrize("action", ["reply", "resolve", "assign", "reopen", "close"])
def test_actions_are_post_only(client, ticket, responsible, action):
    client.force_login(responsible)

    assert client.get(f"/tickets/{ticket.pk}/{action}/").status_code == 405


@pytest.mark.parametrize("action", ["reply", "resolve", "assign", "priority", "redirect"])
def test_actions_on_a_ticket_out_of_sight_are_404(client, ticket, other_responsible, action):
    client.force_login(other_responsible)

    assert client.post(f"/tickets/{ticket.pk}/{action}/", {"body": "x"}).status_code == 404


def test_text_is_shown_as_typed_never_as_html(client, file, member):
    ticket = file(subject="<script>alert(1)</script>", description="<b>kalın</b> \u202eRTL 😀")
    client.force_login(member)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    listing = client.get("/tickets/").content.decode()

    assert "<script>alert(1)</script>" not in page + listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;kalın&lt;/b&gt; \u202eRTL 😀" in page
