"""The export is whole, or refused before it starts, or visibly broken: never cut short."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from tickets import export, selectors
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory
from tickets.tests.test_clustered_sorts import plan_of
from tickets.tests.test_list import read_csv

URL = "/tickets/export.csv"


def test_an_export_of_many_cursor_chunks_is_whole(client, member, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_SIZE", 3)
    TicketFactory.create_batch(10, requester=member)
    client.force_login(member)

    rows = read_csv(client.get(URL))

    assert len(rows) - 1 == Ticket.objects.visible_to(member).count() == 10
    assert {int(row[0]) for row in rows[1:]} == set(
        Ticket.objects.visible_to(member).values_list("pk", flat=True)
    )


def test_an_export_of_exactly_the_cap_is_made(client, member, settings):
    settings.HELPDESK_EXPORT_MAX_ROWS = 4
    TicketFactory.create_batch(4, requester=member)
    client.force_login(member)

    assert len(read_csv(client.get(URL))) == 5


def test_an_export_over_the_cap_is_offered_to_the_worker_not_streamed(client, member, settings):
    settings.HELPDESK_EXPORT_MAX_ROWS = 4
    TicketFactory.create_batch(5, requester=member)
    client.force_login(member)

    response = client.get(URL, {"priority": "medium", "page": "2"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/exports/new/?priority=medium"
    assert not response.streaming
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 4 tickets match these criteria" in page
    assert 'name="query" value="priority=medium"' in page


def test_a_failure_midway_breaks_the_stream_instead_of_ending_the_file(client, member, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    TicketFactory.create_batch(6, requester=member)
    cells = []

    def failing_cell(value):
        cells.append(value)
        if len(cells) > 30:
            raise RuntimeError("the database went away")
        return str(value)

    monkeypatch.setattr(export, "safe_cell", failing_cell)
    client.force_login(member)
    response = client.get(URL)
    received = []

    with pytest.raises(RuntimeError):
        for chunk in response.streaming_content:
            received.append(chunk)

    assert 1 < len(received) < 7  # the header and some rows, then the break


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_export_cursor_streams_inside_a_transaction_not_with_hold(client, member, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("server-side cursors are PostgreSQL's")
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    TicketFactory.create_batch(5, requester=member)
    client.force_login(member)
    stream = iter(client.get(URL).streaming_content)
    next(stream), next(stream)  # the header and the first row: the cursor is open

    with connection.cursor() as cursor:
        cursor.execute("SELECT is_holdable FROM pg_cursors")
        holdable = [row[0] for row in cursor.fetchall()]

    assert holdable == [False]
    assert len(list(stream)) == 4


@pytest.mark.parametrize(
    ("language", "separator"), [("tr", ";"), ("ru", ";"), ("en", ","), ("fa", ",")]
)
def test_the_columns_are_split_where_the_languages_spreadsheet_expects(
    client, member, language, separator
):
    TicketFactory(requester=member, subject="Bir; iki, üç")
    client.force_login(member)

    body = b"".join(client.get(URL, HTTP_ACCEPT_LANGUAGE=language).streaming_content).decode(
        "utf-8"
    )

    assert body.startswith("\ufeff")
    header, row = body[1:].splitlines()[:2]
    assert header.count(f'"{separator}"') == len(export.EXPORT_COLUMNS) - 1
    assert '"Bir; iki, üç"' in row


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize("make", [export.rows, export.xlsx])
def test_an_export_is_planned_for_every_row(make, member, monkeypatch):
    """Planned for its first tenth, a member's export sorted by a column walked the
    column's index past everyone else's tickets before its first row: seconds."""
    TicketFactory(requester=member)
    seen = [fraction()]

    def noting(*args):
        seen.append(fraction())
        return iter([])

    monkeypatch.setattr(export, "_rows", noting)
    monkeypatch.setattr(export, "write_xlsx", noting)
    result = make(Ticket.objects.visible_to(member), "en")
    if make is export.rows:
        list(result)

    assert seen == ["0.1", "1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_teams_open_tickets_are_counted_from_an_index_alone(responsible, capacity, member):
    """Before a team's export streams, its size: 20,000 open tickets at a million read
    from the tickets themselves took 217 ms."""
    for _ in range(3):
        TicketFactory(requester=member, category=capacity)
    tickets = selectors.filtered_tickets(responsible, QueryDict()).qs  # their open list

    with CaptureQueriesContext(connection) as queries:
        assert not export.too_large(tickets)

    (sql,) = [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT")]
    assert "Index Only Scan using ticket_open_category on" in plan_of(sql)


def fraction() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        return cursor.fetchone()[0]
