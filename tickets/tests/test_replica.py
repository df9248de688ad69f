"""A read replica serves the list, search and export, never a read after the user's own
write, and never a write. The replica alias is the primary's test database (a test
mirror), so each test asserts which alias ran each query."""

import copy
from contextlib import ExitStack

import pytest
from django.db import connections, router, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from common.replica import COOKIE, REPLICA, reads_from_replica
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", REPLICA]
)


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """DATABASE_REPLICA_URL as settings.py reads it: a second alias, here mirroring the
    primary's test database (committed rows only: hence transactional tests)."""
    replica = copy.deepcopy(connections.settings["default"])
    replica["TEST"] = {**replica["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = replica
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


class Queries:
    """The SQL each alias ran within the block."""

    def __enter__(self):
        self._stack = ExitStack()
        self.primary = self._stack.enter_context(CaptureQueriesContext(connections["default"]))
        self.replica = self._stack.enter_context(CaptureQueriesContext(connections[REPLICA]))
        return self

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)

    @staticmethod
    def tickets_read(capture) -> int:
        return sum('FROM "tickets_ticket"' in query["sql"] for query in capture.captured_queries)


def test_the_list_and_its_search_read_tickets_from_the_replica(client, member, ticket):
    client.force_login(member)

    with Queries() as queries:
        page = client.get("/tickets/", {"q": "Kapasite"})

    assert page.status_code == 200
    assert ticket.subject in page.content.decode()
    assert Queries.tickets_read(queries.replica) >= 1
    assert Queries.tickets_read(queries.primary) == 0


def test_the_export_streams_from_the_replica(client, member, ticket):
    client.force_login(member)

    with Queries() as queries:
        response = client.get("/tickets/export.csv")
        content = b"".join(response.streaming_content).decode("utf-8-sig")

    assert ticket.subject in content
    assert Queries.tickets_read(queries.replica) >= 2  # the size check, then the rows
    assert Queries.tickets_read(queries.primary) == 0


def test_the_list_right_after_filing_reads_from_the_primary(client, member, capacity, settings):
    client.force_login(member)
    filed = client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": "Yeni kayıt, hemen listede",
            "description": "Kopya geride kalsa da görünmeli.",
        },
    )
    assert filed.status_code == 302
    assert filed.cookies[COOKIE]["max-age"] == settings.HELPDESK_REPLICA_LAG_SECONDS

    with Queries() as queries:
        page = client.get("/tickets/")

    assert "Yeni kayıt, hemen listede" in page.content.decode()
    assert queries.replica.captured_queries == []
    assert Queries.tickets_read(queries.primary) >= 1


def test_another_users_list_still_reads_from_the_replica(client, member, chamber_colleague, file):
    file(by=chamber_colleague, subject="Meslektaşın kaydı")
    client.force_login(member)

    with Queries() as queries:
        page = client.get("/tickets/")

    assert "Meslektaşın kaydı" in page.content.decode()
    assert Queries.tickets_read(queries.replica) >= 1


def test_writes_and_reads_in_a_transaction_go_to_the_primary_in_a_marked_view(ticket):
    @reads_from_replica
    def view(request):
        Ticket.objects.filter(pk=ticket.pk).update(subject="Yeni konu")
        with transaction.atomic():
            locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        return locked, Ticket.objects.get(pk=ticket.pk)

    with Queries() as queries:
        locked, read = view(RequestFactory().get("/"))

    assert locked._state.db == "default"
    assert read._state.db == REPLICA
    assert read.subject == "Yeni konu"
    primary_sql = [query["sql"] for query in queries.primary.captured_queries]
    assert any(sql.startswith('UPDATE "tickets_ticket"') for sql in primary_sql)
    assert not any(query["sql"].startswith("UPDATE") for query in queries.replica.captured_queries)


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "tickets", model_name="ticket")
    assert not router.allow_migrate(REPLICA, "tickets", model_name="ticket")


def test_opening_a_ticket_that_marks_it_read_keeps_the_reader_on_the_primary(
    client, responsible, ticket
):
    client.force_login(responsible)

    opened = client.get(f"/tickets/{ticket.pk}/")
    with Queries() as queries:
        client.get("/tickets/", {"status": ""})
    again = client.get(f"/tickets/{ticket.pk}/")

    assert COOKIE in opened.cookies
    assert Queries.tickets_read(queries.replica) == 0
    assert COOKIE not in again.cookies  # read already: this visit wrote nothing
