"""The ticket's page: the conversation, what the member must do first, ticket numbers
as links, the optimistic check, who else has it open, next and previous in the list."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from tickets import services
from tickets.models import EventKind, Priority, Status, Ticket
from tickets.tests.factories import TicketFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def page(client, user, ticket, query=""):
    client.force_login(user)
    return client.get(f"/tickets/{ticket.pk}/{query}", **EN).content.decode()


def section(html, start_marker, end_marker):
    start = html.index(start_marker)
    return html[start : html.index(end_marker, start)]


def conversation(html):
    return section(html, 'id="conversation"', "</section>")


def test_the_conversation_shows_what_people_wrote_in_order(client, ticket, responsible, member):
    services.reply(ticket, by=responsible, body="Which product codes?")
    services.request_info(ticket, by=responsible, body="Send the capacity number.")
    services.reply(ticket, by=member, body="It is 4711.")
    services.resolve(ticket, by=responsible, explanation="Codes added.")

    html = conversation(page(client, member, ticket))

    texts = [
        "Prod kodları eksik.",
        "Which product codes?",
        "Send the capacity number.",
        "It is 4711.",
        "Codes added.",
    ]
    positions = [html.index(text) for text in texts]
    assert positions == sorted(positions)
    assert "message-resolved" in html


def test_internal_notes_are_marked_for_handlers_and_absent_for_members(
    client, ticket, responsible, member
):
    services.reply(ticket, by=responsible, body="Call the chamber first.", internal=True)

    handler_view = conversation(page(client, responsible, ticket))
    member_view = conversation(page(client, member, ticket))

    assert "message-internal" in handler_view
    assert "Call the chamber first." in handler_view
    assert "Call the chamber first." not in member_view
    assert "message-internal" not in member_view


def test_newest_first_is_remembered_for_the_next_visit(client, ticket, responsible, member):
    services.reply(ticket, by=responsible, body="First answer.")
    services.reply(ticket, by=responsible, body="Second answer.")

    page(client, member, ticket, "?order=newest")
    html = conversation(page(client, member, ticket))

    assert html.index("Second answer.") < html.index("First answer.") < html.index("Prod kod")


def test_an_information_request_and_its_answer_form_come_first_for_the_member(
    client, ticket, responsible, member
):
    services.reply(ticket, by=responsible, body="Looking at it.")
    services.request_info(ticket, by=responsible, body="Which chamber number?")

    html = page(client, member, ticket)

    awaited = section(html, 'id="awaited-title"', "</section>")
    assert "Which chamber number?" in awaited
    assert f'action="/tickets/{ticket.pk}/reply/"' in awaited
    assert html.index('id="awaited-title"') < html.index('id="conversation"')
    assert html.count('id="reply-form"') == 1
    assert 'id="ticket-actions"' not in html  # nothing else to do: no empty column


def test_a_resolution_comes_first_with_confirm_and_reopen(client, ticket, responsible, member):
    services.resolve(ticket, by=responsible, explanation="The codes are defined now.")

    html = page(client, member, ticket)

    awaited = html[html.index('id="awaited-title"') : html.index('id="conversation"')]
    assert "The codes are defined now." in awaited
    assert f'action="/tickets/{ticket.pk}/close/"' in awaited
    assert f'action="/tickets/{ticket.pk}/reopen/"' in awaited


def test_the_union_above_reads_without_anything_to_answer(
    client, ticket, responsible, union_member
):
    services.request_info(ticket, by=responsible, body="Which chamber number?")

    html = page(client, union_member, ticket)

    assert 'id="awaited-title"' not in html


def test_a_handler_has_reply_and_resolve_before_the_log(client, ticket, responsible):
    html = page(client, responsible, ticket)

    log = html.index('id="log-title"')
    assert html.index('id="reply-form"') < log
    assert html.index('id="resolve-form"') < log
    assert '<details class="action-log" open>' in html


def test_ticket_numbers_link_only_to_tickets_the_reader_sees(
    client, file, member, responsible, other_responsible, technical
):
    own = file(subject="Own")
    other = file(subject="Elsewhere", category=technical)
    hidden = TicketFactory(requester=other_responsible)
    services.reply(own, by=responsible, body=f"Same as #{other.pk}, not #{hidden.pk}.")

    html = conversation(page(client, member, own))

    assert f'<a href="/tickets/{other.pk}/">#{other.pk}</a>' in html
    assert f"#{hidden.pk}" in html
    assert f'href="/tickets/{hidden.pk}/"' not in html


def test_a_help_articles_address_on_this_site_becomes_a_link(
    client, ticket, responsible, member, settings
):
    settings.SITE_URL = "https://destek.example.org"
    body = (
        "Bakınız /kb/prod-kodu/ ve https://destek.example.org/kb/yerli-mali/ "
        "ama https://evil.example/kb/tuzak/ değil."
    )
    services.reply(ticket, by=responsible, body=body)

    html = conversation(page(client, member, ticket))

    assert '<a href="/kb/prod-kodu/">/kb/prod-kodu/</a>' in html
    assert '<a href="/kb/yerli-mali/">https://destek.example.org/kb/yerli-mali/</a>' in html
    assert 'href="/kb/tuzak/"' not in html


def test_typed_html_next_to_a_number_stays_text(client, ticket, responsible, member):
    services.reply(ticket, by=responsible, body=f"<b>see</b> #{ticket.pk}")

    html = conversation(page(client, member, ticket))

    assert "&lt;b&gt;see&lt;/b&gt;" in html
    assert f'<a href="/tickets/{ticket.pk}/">#{ticket.pk}</a>' in html


def test_the_page_costs_the_same_however_many_messages_and_numbers(
    client, file, ticket, responsible, django_assert_max_num_queries
):
    services.reply(ticket, by=responsible, body=f"Like #{ticket.pk}.")
    client.force_login(responsible)
    client.get(f"/tickets/{ticket.pk}/")  # the read event and the session settle first
    with django_assert_max_num_queries(16) as few:
        client.get(f"/tickets/{ticket.pk}/")
    spent = len(few.captured_queries)  # now: the connection's log keeps the latest only
    for number in range(15):
        other = file(subject=f"Other {number}")
        services.reply(ticket, by=responsible, body=f"See #{other.pk}.")
    client.get(f"/tickets/{ticket.pk}/")  # the reader's "seen" follows the new activity

    with django_assert_max_num_queries(spent):
        response = client.get(f"/tickets/{ticket.pk}/")

    assert response.content.decode().count('href="/tickets/') >= 15


def reply(client, ticket, body, **extra):
    return client.post(f"/tickets/{ticket.pk}/reply/", {"body": body, **extra}, **EN)


def test_a_reply_to_a_ticket_that_changed_comes_back_with_the_change_unsaved(
    client, ticket, responsible, member
):
    client.force_login(responsible)
    seen = ticket.events.order_by("-pk").first().pk
    services.reply(ticket, by=member, body="Any news?")

    response = reply(client, ticket, "We are on it.", seen_event=seen)

    assert response.status_code == 409
    html = response.content.decode()
    assert "changed since you opened it" in html
    assert "Any news?" in section(html, 'id="changes-since"', "</div>")
    assert 'name="confirm_changes"' in html
    assert "We are on it." in html  # the form keeps what was typed
    assert not ticket.events.filter(note="We are on it.").exists()


def test_confirming_after_the_change_saves_the_reply(client, ticket, responsible, member):
    client.force_login(responsible)
    seen = ticket.events.order_by("-pk").first().pk
    services.reply(ticket, by=member, body="Any news?")

    response = reply(client, ticket, "We are on it.", seen_event=seen, confirm_changes="1")

    assert response.status_code == 302
    assert ticket.events.filter(note="We are on it.", kind=EventKind.REPLIED).count() == 1


def test_an_unchanged_ticket_and_ones_own_events_pass_the_check(client, ticket, responsible):
    client.force_login(responsible)
    seen = ticket.events.order_by("-pk").first().pk
    services.change_priority(ticket, by=responsible, priority=Priority.HIGH)

    response = client.post(
        f"/tickets/{ticket.pk}/resolve/", {"explanation": "Done.", "seen_event": seen}, **EN
    )

    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED


def test_the_change_check_applies_to_every_action(
    client, ticket, responsible, other_responsible, supervisor
):
    client.force_login(responsible)
    seen = ticket.events.order_by("-pk").first().pk
    services.change_priority(ticket, by=supervisor, priority=Priority.HIGH)

    response = client.post(
        f"/tickets/{ticket.pk}/resolve/", {"explanation": "Done.", "seen_event": seen}, **EN
    )

    assert response.status_code == 409
    assert Ticket.objects.get(pk=ticket.pk).status != Status.RESOLVED


def test_a_handler_sees_who_else_opened_the_ticket(client, ticket, responsible, supervisor):
    page(client, supervisor, ticket)

    html = page(client, responsible, ticket)

    assert "Also opened in the last minutes by" in section(html, 'id="ticket-viewers"', "</p>")
    assert supervisor.display_name() in section(html, 'id="ticket-viewers"', "</p>")


def test_members_neither_see_nor_show_up_among_those_who_opened_it(
    client, ticket, responsible, member
):
    page(client, member, ticket)

    assert 'id="ticket-viewers"' not in page(client, responsible, ticket)
    assert 'id="ticket-viewers"' not in page(client, member, ticket)


def test_next_and_previous_follow_the_list_the_handler_came_from(client, file, responsible):
    first, second, third = (file(subject=f"Ticket {n}") for n in range(3))
    listing = urlencode({"sort": "id"})

    html = page(client, responsible, second, "?" + urlencode({"list": listing}))

    assert f'href="/tickets/{first.pk}/?list=sort%3Did"' in html
    assert f'href="/tickets/{third.pk}/?list=sort%3Did"' in html
    assert 'href="/tickets/?sort=id"' in html


def test_next_in_a_filtered_list_skips_what_the_filter_hides(client, file, responsible):
    first = file(subject="Kept one")
    file(subject="Hidden", priority=Priority.HIGH)
    third = file(subject="Kept two")
    listing = urlencode({"priority": Priority.MEDIUM, "sort": "id"})

    html = page(client, responsible, first, "?" + urlencode({"list": listing}))

    assert f'rel="next" id="ticket-next" aria-keyshortcuts="j" href="/tickets/{third.pk}/' in html
    assert 'rel="prev"' not in html


def test_the_shortcuts_help_is_for_handlers(client, ticket, responsible, member):
    assert 'id="shortcuts-dialog"' in page(client, responsible, ticket)
    assert 'id="shortcuts-dialog"' not in page(client, member, ticket)


@pytest.mark.parametrize(
    "listing",
    ["created_from=xx&status=bogus", "sort=nonsense", "after=forged", "%ff=%00", "q=" + "a" * 3000],
)
def test_a_broken_list_query_shows_the_ticket_without_neighbours(
    client, ticket, responsible, listing
):
    client.force_login(responsible)

    response = client.get(f"/tickets/{ticket.pk}/?" + urlencode({"list": listing}), **EN)

    assert response.status_code == 200
    assert 'rel="next"' not in response.content.decode()


def test_after_an_action_the_page_keeps_the_list_it_came_from(client, ticket, responsible):
    client.force_login(responsible)

    response = reply(client, ticket, "On it.", list="sort=id&status=open")

    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.pk}/?list=sort%3Did%26status%3Dopen"


def test_next_and_previous_cost_the_same_however_long_the_list(
    client, file, responsible, django_assert_max_num_queries
):
    middle = [file(subject=f"T{n}") for n in range(3)][1]
    url = f"/tickets/{middle.pk}/?" + urlencode({"list": "sort=subject"})
    client.force_login(responsible)
    client.get(url)
    with django_assert_max_num_queries(21) as few:
        client.get(url)
    for n in range(30):
        file(subject=f"U{n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()

    assert 'rel="next"' in html and 'rel="prev"' in html
