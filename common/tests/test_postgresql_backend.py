"""The database backend's health check: a kept connection the server has said nothing
on is taken as it is, without a statement; one the server ended, or spoke on, is asked."""

import os
import resource

import pytest
from django.db import connection, connections

from common.postgresql import base
from common.testing import wait_until

pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql", reason="PostgreSQL's connections"
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def kept():
    """A connection of the site's own, idle between requests (autocommit, as kept)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def last_statement(wrapper) -> str:
    """What the server saw last on `wrapper`'s connection, read on another one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s",
            [wrapper.connection.info.backend_pid],
        )
        return cursor.fetchone()[0]


def test_a_quiet_connection_passes_the_check_without_a_statement(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the last request'")

    assert kept.is_usable() is True
    assert last_statement(kept) == "SELECT 'the last request'"


def test_a_connection_the_server_ended_fails_the_check(kept):
    pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    assert wait_until(lambda: kept.is_usable() is False, timeout=10)
    kept.close()
    with kept.cursor() as cursor:  # the next request's connection is a new one
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_connection_the_server_spoke_on_is_asked_and_kept(kept):
    with kept.cursor() as cursor:
        cursor.execute("LISTEN helpdesk_health_check")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # autocommit: delivered at once
            cursor.execute("NOTIFY helpdesk_health_check")
    finally:
        other.close()

    assert wait_until(lambda: base._readable(kept.connection.fileno()), timeout=10)
    assert kept.is_usable() is True
    assert last_statement(kept) == "SELECT 1"


def test_the_check_reads_a_descriptor_of_any_number():
    """A process with a thousand files open has descriptors select() refuses: the check
    must not then take every connection for a dead one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard <= 2050:
        pytest.skip(f"this process may open descriptors up to {hard} only")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2100), hard))
    read, write = os.pipe()
    high = os.dup2(read, 2050)
    try:
        assert base._readable(high) is False
        os.write(write, b"x")
        assert base._readable(high) is True
    finally:
        for descriptor in (high, read, write):
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
