"""PostgreSQL as production uses it, through a real gunicorn process whose connections
persist between requests: connections dropped while the site serves, and pgbouncer in
transaction mode in front of the database."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from tickets.models import EventKind

from .site_process import (
    APPLICATION_NAME,
    SiteProcess,
    free_port,
    site_database_url,
    site_environment,
)

pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql",
        reason="PostgreSQL only: SQLite has no server connections to drop or pool",
    ),
    # Committed data the web process sees; the tables emptied first (conftest).
    pytest.mark.usefixtures(
        "restorable_database", "django_db_serialized_rollback", "transactional_db"
    ),
]


def signed_in(site, user):
    """A browser on the site with the user's session (made here, in the shared database)."""
    client = Client()
    client.force_login(user)
    return site.browser(client.cookies[settings.SESSION_COOKIE_NAME].value)


def site_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = %s",
            [APPLICATION_NAME, connection.settings_dict["NAME"]],
        )
        return [pid for (pid,) in cursor.fetchall()]


def drop_site_connections() -> int:
    """What a database restart or a network cut does to the site: its connections end.
    Waits (up to 5 s) until each has ended, as after a restart: without the time-out,
    pg_terminate_backend only signals, and the site's next request could come before
    the server had said anything on the connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = %s",
            [APPLICATION_NAME, connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def site(tmp_path):
    process = SiteProcess(
        free_port(), site_environment(site_database_url(), tmp_path / "media"), tmp_path / "log"
    )
    process.start()
    yield process
    process.stop()


def test_the_site_serves_again_right_after_postgresql_drops_its_connections(site, member, ticket):
    # given a member browsing, through a connection the web process keeps
    browser = signed_in(site, member)
    pages = ["/tickets/", f"/tickets/{ticket.pk}/", "/tickets/export.csv", "/healthz"]
    for page in pages:
        assert browser.get(page)[0] == 200, page
    assert len(site_backends()) == 1

    # when PostgreSQL drops it
    assert drop_site_connections() == 1

    # then every next request succeeds, on a new connection
    answers = [browser.get(page)[0] for page in pages for _ in range(2)]
    assert answers == [200] * len(answers), site.output()
    status, headers, _body = browser.post(
        f"/tickets/{ticket.pk}/reply/", {"body": "Yine buradayız."}
    )
    assert status == 302, site.output()
    assert ticket.events.filter(kind=EventKind.REPLIED).count() == 1
    assert len(site_backends()) == 1


class Pgbouncer:
    """A private pgbouncer in transaction mode on a loopback port, in front of the test
    database's server, trusting its user (as the PostgreSQL server here does)."""

    def __init__(self, executable, port):
        self.executable, self.port = executable, port
        # Not under pytest's temporary directory, which only root may enter: pgbouncer
        # refuses to run as root and drops to `nobody`.
        self.directory = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.directory.chmod(0o755)

    def start(self):
        db = connections["default"].settings_dict
        users = self.directory / "users.txt"
        users.write_text(f'"{db["USER"]}" "{db["PASSWORD"] or ""}"\n')
        config = self.directory / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {users}\n"
            "pool_mode = transaction\ndefault_pool_size = 4\nmax_client_conn = 50\n"
        )
        for path in (users, config):
            path.chmod(0o644)
        command = [self.executable]
        if os.geteuid() == 0:
            command += ["-u", "nobody"]
        self.log = open(self.directory / "log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [*command, str(config)], stdout=self.log, stderr=subprocess.STDOUT
        )

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def pgbouncer():
    executable = shutil.which("pgbouncer")
    if executable is None:
        pytest.skip("pgbouncer is not installed (Debian: apt-get install pgbouncer; CI does)")
    bouncer = Pgbouncer(executable, free_port())
    bouncer.start()
    yield bouncer
    bouncer.stop()


@pytest.fixture
def site_through_pgbouncer(tmp_path, pgbouncer):
    environment = site_environment(
        site_database_url(host="127.0.0.1", port=pgbouncer.port),
        tmp_path / "media",
        DATABASE_POOLER="pgbouncer",
    )
    process = SiteProcess(free_port(), environment, tmp_path / "log")
    process.start()
    yield process
    process.stop()


def test_the_site_works_through_pgbouncer_in_transaction_mode(
    site_through_pgbouncer, member, capacity, file
):
    site = site_through_pgbouncer
    subjects = [f"Havuzdan geçen kayıt {n}" for n in range(30)]
    for subject in subjects:
        file(subject=subject)
    browser = signed_in(site, member)

    # pages, a change, and the export (more rows than its first fetch) all through it
    status, _headers, body = browser.get("/tickets/?q=Havuzdan")
    assert status == 200, site.output()
    assert subjects[-1] in body.decode()
    status, _headers, _body = browser.get("/tickets/new/")
    assert status == 200
    status, headers, _body = browser.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "high",
            "subject": "pgbouncer üzerinden açıldı",
            "description": "İşlem kipinde havuz.",
        },
    )
    assert status == 302, site.output()
    status, _headers, body = browser.get(headers["Location"])
    assert status == 200
    assert "pgbouncer üzerinden açıldı" in body.decode()

    status, _headers, body = browser.get("/tickets/export.csv")
    assert status == 200, site.output()
    lines = body.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(subjects) + 1
    assert {subject for subject in subjects if subject in body.decode()} == set(subjects)
