"""The ticket's page shows handlers its clocks and their history; members neither."""

from django.utils import timezone

from sla.tests.conftest import istanbul
from tickets import services


def page(client, ticket):
    return client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_handler_sees_the_clocks_with_due_used_and_paused_time(
    at, client, ticket_factory, responsible, member
):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    at(istanbul(2026, 12, 7, 11, 0))
    services.request_info(ticket, by=responsible, body="Which year?")
    at(istanbul(2026, 12, 8, 11, 0))
    services.reply(ticket, by=member, body="2025.")
    at(istanbul(2026, 12, 8, 12, 30))
    client.force_login(responsible)
    with timezone.override("Europe/Istanbul"):
        html = page(client, ticket)
    assert "Service level" in html
    assert "First response" in html and "Resolution" in html
    # first response met after 1 h; resolution used 1 h + 1.5 h; paused 8 h
    assert "<td>1:00</td>" in html
    assert "<td>2:30</td>" in html
    assert '<span class="sla-paused">8:00</span>' in html
    assert "Met" in html and "Running" in html
    # the history: started, paused, responded, resumed
    assert "Clocks started" in html
    assert "Clocks paused" in html
    assert "Clocks resumed" in html
    assert "Resolution due:" in html


def test_a_member_sees_neither_the_clocks_nor_their_history(at, client, ticket_factory, member):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    client.force_login(member)
    html = page(client, ticket)
    assert "Service level" not in html
    assert "Clocks started" not in html


def test_the_clocks_cost_a_fixed_number_of_queries(
    at, client, ticket_factory, responsible, member, django_assert_max_num_queries
):
    at(istanbul(2026, 12, 7, 10, 0))
    ticket = ticket_factory()
    client.force_login(responsible)
    page(client, ticket)
    at(istanbul(2026, 12, 7, 10, 5))  # presence is written again, as it is below
    # 12 for the page, the reader's "seen" upsert (it changed since), and the presence
    # stamp written again (tickets/presence.py): 8 more in the database's cache table,
    # which tests use instead of Redis.
    with django_assert_max_num_queries(22) as before:
        page(client, ticket)
    for day in range(8, 12):
        at(istanbul(2026, 12, day, 10, 0))
        services.request_info(ticket, by=responsible, body="More?")
        at(istanbul(2026, 12, day, 11, 0))
        services.reply(ticket, by=member, body="Here.")
    with django_assert_max_num_queries(22) as after:
        page(client, ticket)
    assert len(after.captured_queries) == len(before.captured_queries)
