"""Every sort the list offers is read in order from an index, in both directions: a
sort of every visible ticket takes up to a second at a million (bench/). Checked on
PostgreSQL's plan with sorting priced out, so that a missing index shows as a Sort.
An incremental sort reads the index in order and sorts only the rows of equal value
(created_at and last_activity_at are all but unique): that is allowed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets.filters import TicketFilter
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans and indexes"
)

SORTS = list(TicketFilter.base_filters["sort"].param_map)  # the names ?sort= takes


def page_query(client, sort) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tickets/", {"sort": sort}).status_code == 200
    rows = 'SELECT "tickets_ticket"."id", "tickets_ticket"."requester_id"'
    (sql,) = [q["sql"] for q in queries if q["sql"].startswith(rows) and "ORDER BY" in q["sql"]]
    return sql


def plan(sql) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("sort", [s for name in SORTS for s in (name, f"-{name}")])
def test_each_sort_reads_an_index_in_order(client, supervisor, member, sort):
    TicketFactory.create_batch(3, requester=member)
    client.force_login(supervisor)

    explained = plan(page_query(client, sort))

    assert not re.search(r"(^|->  )Sort  ", explained, re.M), explained
