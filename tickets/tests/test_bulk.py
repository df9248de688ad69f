"""Bulk actions from the list (`/tickets/bulk/`, tickets/bulk.py)."""

import pytest
from django.contrib.messages import get_messages

from tickets import services
from tickets.models import EventKind, Priority, Status, Ticket


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def post(client, **data):
    return client.post("/tickets/bulk/", data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def three(file):
    return [file(subject=f"Bulk {n}") for n in range(3)]


def test_bulk_assign_to_me_assigns_each_with_one_event_each(client, responsible, three):
    client.force_login(responsible)

    response = post(client, ids=[t.pk for t in three], action="assign", assignee="me")

    assert response.status_code == 302
    assert response["Location"] == "/tickets/"
    for ticket in three:
        ticket.refresh_from_db()
        assert ticket.assignee == responsible
        assert ticket.events.filter(kind=EventKind.ASSIGNED).count() == 1
    assert messages_of(response) == [
        f"3 tickets were changed: #{three[0].pk}, #{three[1].pk}, #{three[2].pk}."
    ]


def test_bulk_assign_to_a_colleague_of_the_team(client, responsible, capacity, three):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    colleague = UserFactory(username="kapasite2", organisation=responsible.organisation)
    colleague.role = Role.STAFF
    colleague.save()
    capacity.responsibles.add(colleague)
    client.force_login(responsible)

    post(client, ids=[three[0].pk], action="assign", assignee=str(colleague.pk))

    assert Ticket.objects.get(pk=three[0].pk).assignee == colleague


def test_ids_the_user_cannot_see_are_not_found_and_untouched(
    client, responsible, other_responsible, file, technical, three
):
    hidden = file(subject="another team's", category=technical)
    client.force_login(responsible)

    response = post(
        client, ids=[three[0].pk, hidden.pk, 999999], action="priority", priority=Priority.HIGH
    )

    hidden.refresh_from_db()
    assert hidden.priority == Priority.MEDIUM
    assert not hidden.events.filter(kind=EventKind.PRIORITY_CHANGED).exists()
    assert Ticket.objects.get(pk=three[0].pk).priority == Priority.HIGH
    assert f"Not found: #{hidden.pk}, #999999." in messages_of(response)
    # Nothing tells the hidden ticket from a missing one.
    assert all("another team" not in message for message in messages_of(response))


def test_a_ticket_that_refuses_is_reported_and_the_rest_go_on(client, responsible, three):
    services.resolve(three[1], by=responsible, explanation="Done already.")
    client.force_login(responsible)

    response = post(
        client, ids=[t.pk for t in three], action="resolve", explanation="Fixed in the portal."
    )

    resolved = Ticket.objects.filter(pk__in=[t.pk for t in three], status=Status.RESOLVED)
    assert resolved.count() == 3
    assert three[1].events.filter(kind=EventKind.RESOLVED).count() == 1
    assert three[0].events.get(kind=EventKind.RESOLVED).note == "Fixed in the portal."
    shown = messages_of(response)
    assert f"2 tickets were changed: #{three[0].pk}, #{three[2].pk}." in shown
    assert any(m.startswith(f"Not changed: #{three[1].pk}.") for m in shown)


def test_bulk_redirect_moves_each_ticket(client, responsible, technical, three):
    client.force_login(responsible)

    post(client, ids=[three[0].pk, three[1].pk], action="redirect", category=technical.pk)

    assert set(Ticket.objects.filter(category=technical).values_list("pk", flat=True)) == {
        three[0].pk,
        three[1].pk,
    }


def test_a_member_cannot_use_bulk_actions(client, member, three):
    client.force_login(member)

    response = post(client, ids=[three[0].pk], action="resolve", explanation="Mine.")

    assert response.status_code == 403
    assert Ticket.objects.get(pk=three[0].pk).status == Status.WAITING


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "resolve", "explanation": " "}, "Write the explanation of the resolution."),
        ({"action": "assign", "assignee": "nobody"}, "Choose whom to assign the tickets to."),
        ({"action": "priority"}, "Choose a priority."),
        ({"action": "redirect", "category": "99999"}, "Choose a category."),
        ({"action": "delete"}, "Select a valid choice. delete is not one of the available"),
    ],
)
def test_bad_input_changes_nothing_and_says_why(client, responsible, three, data, message):
    client.force_login(responsible)

    response = post(client, ids=[t.pk for t in three], **data)

    assert response.status_code == 302
    assert any(shown.startswith(message) for shown in messages_of(response))
    for ticket in three:
        assert list(ticket.events.values_list("kind", flat=True)) == [EventKind.CREATED]


def test_no_ticket_ticked_says_so(client, responsible):
    client.force_login(responsible)

    response = post(client, action="assign", assignee="me")

    assert messages_of(response) == ["Tick the tickets to act on first."]


def test_too_many_ids_change_nothing(client, responsible, three):
    client.force_login(responsible)

    response = post(client, ids=[three[0].pk] + [str(n) for n in range(1, 120)], action="assign")

    assert "nothing was changed" in messages_of(response)[0]
    assert Ticket.objects.get(pk=three[0].pk).assignee is None


def test_back_to_the_list_it_came_from_but_never_off_site(client, responsible, three):
    client.force_login(responsible)

    same_site = post(
        client, ids=[three[0].pk], action="assign", assignee="me", next="/tickets/?view=mine"
    )
    off_site = post(
        client, ids=[three[1].pk], action="assign", assignee="me", next="//evil.example/tickets/"
    )

    assert same_site["Location"] == "/tickets/?view=mine"
    assert off_site["Location"] == "/tickets/"


def test_the_list_offers_checkboxes_to_handlers_only(client, responsible, member, three):
    client.force_login(responsible)
    handler_page = client.get("/tickets/").content.decode()
    client.force_login(member)
    member_page = client.get("/tickets/").content.decode()

    assert handler_page.count('name="ids"') == 3
    assert 'action="/tickets/bulk/"' in handler_page
    assert 'name="ids"' not in member_page


def test_each_checkbox_names_its_ticket_in_the_page_language(client, responsible, three):
    client.force_login(responsible)

    page = client.get("/tickets/", headers={"accept-language": "en"}).content.decode()

    for ticket in three:
        assert (
            f'<input class="form-check-input" type="checkbox" name="ids" value="{ticket.pk}" '
            f'form="bulk-form" aria-label="Select ticket #{ticket.pk}">'
        ) in page


def test_the_list_offers_the_active_colleagues_of_the_team_to_assign_to(
    client, responsible, other_responsible, capacity, three
):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    colleague, gone = (
        UserFactory(username=name, first_name=name.title(), role=Role.STAFF, is_active=active)
        for name, active in (("kapasite2", True), ("kapasite3", False))
    )
    capacity.responsibles.add(colleague, gone)
    client.force_login(responsible)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    offered = page.split('id="bulk-assignee"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{colleague.pk}">' in offered
    assert f'value="{gone.pk}"' not in offered
    assert f'value="{other_responsible.pk}"' not in offered
