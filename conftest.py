"""Role fixtures shaped like the demo data: TESK → Bursa union → İnegöl chamber,
the Ankara union beside Bursa, and one responsible per category."""

import asyncio
import os
import threading

import pytest

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from categories.tests.factories import CategoryFactory
from common.testing import wait_until
from tickets import services
from tickets.models import Priority, TicketKind


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_log_guard():
    """Between live-server tests Django empties every table with TRUNCATE, which the
    action log refuses on PostgreSQL (tickets migration 0006). The test database's
    owner may switch the guards off for that one statement; the site's role may not."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = flush(self, style, tables, **kwargs)
        guarded = [t for t in tables if t in ("tickets_ticketevent", "tickets_attachment")]
        if not statements or not guarded:
            return statements
        off = [f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in guarded]
        on = [f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in guarded]
        return off + statements + on

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = flush


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing demo passwords the slow, safe way buys nothing in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests sign handlers in with force_login and no authenticator; the rule that some
    # groups must use two-factor sign-in is tested on its own (twofactor/tests/).
    settings.HELPDESK_2FA_REQUIRED_FOR = []


@pytest.fixture(autouse=True)
def _nothing_held_from_an_earlier_test():
    """A streamed response an earlier test never read to its end never finished its
    request (a server always closes one): what that request held must not hold this
    test's mail and deliveries back."""
    from common.handover import Handover

    for handover in Handover.made:
        handover._held.set(None)


@pytest.fixture(autouse=True)
def _no_configuration_kept():
    """Each test starts without a process's copy of the categories, kinds and fields
    (tickets/configuration.py): the database under it was emptied."""
    from tickets import configuration

    configuration.forget()


@pytest.fixture(autouse=True)
def _no_fragments_kept():
    """Each test starts without the page parts a process keeps drawn
    (common/templatetags/fragments.py): an earlier test's menu or filter fields were
    drawn from rows that are gone."""
    from common.templatetags import fragments

    fragments.forget_drawn()


@pytest.fixture
def tesk(db):
    return OrganisationFactory(name="TESK", kind=OrganisationKind.CONFEDERATION)


@pytest.fixture
def bursa_union(tesk):
    return OrganisationFactory(name="Bursa ESOB", kind=OrganisationKind.UNION, parent=tesk)


@pytest.fixture
def inegol_chamber(bursa_union):
    return OrganisationFactory(
        name="İnegöl Marangozlar Odası", kind=OrganisationKind.CHAMBER, parent=bursa_union
    )


@pytest.fixture
def ankara_union(tesk):
    return OrganisationFactory(name="Ankara ESOB", kind=OrganisationKind.UNION, parent=tesk)


@pytest.fixture
def capacity(db):
    return CategoryFactory(name="Kapasite Raporu")


@pytest.fixture
def technical(db):
    return CategoryFactory(name="Bilgi İşlem – Teknik")


@pytest.fixture
def member(inegol_chamber):
    """`oda`: a member of the İnegöl chamber."""
    return UserFactory(username="oda", organisation=inegol_chamber)


@pytest.fixture
def chamber_colleague(inegol_chamber):
    return UserFactory(username="oda2", organisation=inegol_chamber)


@pytest.fixture
def union_member(bursa_union):
    """`bursa`: sees the İnegöl chamber's tickets, read-only."""
    return UserFactory(username="bursa", organisation=bursa_union)


@pytest.fixture
def other_union_member(ankara_union):
    """`birlik`: another union, sees nothing of İnegöl's."""
    return UserFactory(username="birlik", organisation=ankara_union)


@pytest.fixture
def responsible(tesk, capacity):
    """`kapasite`: on the Kapasite Raporu team."""
    user = UserFactory(username="kapasite", organisation=tesk, role=Role.STAFF)
    capacity.responsibles.add(user)
    return user


@pytest.fixture
def other_responsible(tesk, technical):
    """`teknik`: on the Bilgi İşlem – Teknik team."""
    user = UserFactory(username="teknik", organisation=tesk, role=Role.STAFF)
    technical.responsibles.add(user)
    return user


@pytest.fixture
def supervisor(tesk):
    return UserFactory(username="tesk", organisation=tesk, role=Role.SUPERVISOR)


@pytest.fixture
def problem(db):
    return TicketKind.objects.get(code="problem")


@pytest.fixture
def file(member, capacity, problem):
    """File a ticket through the service, as the site does."""

    def file_ticket(by=member, category=capacity, subject="Kapasite Raporu Prod Kodları", **fields):
        fields.setdefault("priority", Priority.MEDIUM)
        fields.setdefault("description", "Prod kodları eksik.")
        return services.file_ticket(
            by=by, category=category, kind=problem, subject=subject, **fields
        ).ticket

    return file_ticket


@pytest.fixture
def ticket(file):
    """A Kapasite Raporu ticket filed by `oda`."""
    return file()


class _Inbox:
    """Collects what a real SMTP server on localhost received."""

    def __init__(self):
        self.messages = []
        # While closed, senders are kept waiting after MAIL FROM, before any recipient
        # is accepted: a sender killed then has sent nothing.
        self.open = threading.Event()
        self.open.set()
        self.waiting = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if not self.open.is_set():
            self.waiting += 1
            while not self.open.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"


class SmtpSink:
    """A real SMTP server on a localhost port that can be stopped and started again."""

    def __init__(self, port):
        self.port = port
        self.inbox = _Inbox()
        self.messages = self.inbox.messages
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop(no_assert=True)
            self.controller = None

    def hold(self):
        """Keep senders waiting in the middle of the SMTP exchange, accepting nothing."""
        self.inbox.open.clear()

    def release(self):
        self.inbox.open.set()

    @property
    def waiting(self):
        """How many senders have been kept waiting by `hold`."""
        return self.inbox.waiting


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; settings point Django's SMTP backend at it.

    `smtp_server.messages` holds the parsed messages received, `smtp_server.stop()`
    takes it down (to test a mail server that is down) and `start()` brings it back.
    """
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink(port)
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def silent_mail_server(settings):
    """A mail server that accepts connections and never says a word (not even hello).

    The kernel completes each connection on the listening socket; nothing reads or
    answers it, so every send waits for EMAIL_TIMEOUT and fails.
    """
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
        settings.EMAIL_TIMEOUT = 1
        yield server


@pytest.fixture
def holding_client(client, django_capture_on_commit_callbacks):
    """The test client, with each response held the way a WSGI server holds the page it
    is sending: the view's transaction has committed (its on-commit callbacks ran, inside
    the request), but the response is not closed, so what waits for `request_finished`
    runs only when the test calls `response.finish()`.
    """
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test.client import ClientHandler

    class HoldingHandler(ClientHandler):
        def get_response(self, request):
            with django_capture_on_commit_callbacks(execute=True):
                response = super().get_response(request)

            close = response.close

            def finish():
                # As the test client does: the test's transaction outlives the request.
                request_finished.disconnect(close_old_connections)
                try:
                    close()
                finally:
                    request_finished.connect(close_old_connections)

            response.finish = finish
            response.close = lambda: None  # the test client's close: the server still sends
            return response

    client.handler = HoldingHandler(enforce_csrf_checks=False)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file rather than in memory, so that the worker,
    scheduler and command processes the tests start (conftest `celery_worker`) open it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
        # A test database is thrown away: no waiting for the disk. WAL lets those
        # processes read while another writes.
        database.setdefault("OPTIONS", {})["init_command"] = (
            "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL"
        )


# The Redis server of the tests that empty their databases (TEST_REDIS_PORT gives two
# checkouts tested at once a server each).
TEST_REDIS_PORT = int(os.environ.get("TEST_REDIS_PORT", "6379"))

# Redis databases of the tests that empty theirs, one set per pytest-xdist process
# (scripts/test.sh starts at most three), so that two never empty each other's; not 0
# (a developer's), 4 (monitoring's) nor 9 (the API's rate limits, under a key prefix).
REDIS_DATABASES = [1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14]
BROKER_REDIS, JOBS_REDIS, SYSTEM_CACHE_REDIS, SYSTEM_BROKER_REDIS = range(4)


def redis_test_url(purpose: int) -> str:
    """The Redis database of `purpose` (BROKER_REDIS, ...) for this test process."""
    process = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
    if 4 * process + purpose >= len(REDIS_DATABASES):
        raise pytest.UsageError("At most three test processes (-n 3): see REDIS_DATABASES.")
    return f"redis://127.0.0.1:{TEST_REDIS_PORT}/{REDIS_DATABASES[4 * process + purpose]}"


# The worker tests' broker; they empty it first.
TEST_BROKER_URL = os.environ.get("TEST_BROKER_URL") or redis_test_url(BROKER_REDIS)


class SiteProcess:
    """A process of the site a test started (a Celery worker, a command), its output
    in a file."""

    def __init__(self, args, env, log_path):
        import subprocess
        import sys
        from pathlib import Path

        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - the tests' own arguments
                [sys.executable, *args],
                cwd=Path(__file__).resolve().parent,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: a prefork worker is a parent and its children.
                start_new_session=True,
            )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text, timeout=60):
        wait_until(lambda: text in self.log or self.process.poll() is not None, timeout)
        assert text in self.log, self.log

    def signal(self, signum):
        import os

        if self.process.poll() is None:
            os.killpg(self.process.pid, signum)

    def kill(self):
        """SIGKILL, to the worker and its children: nothing gets to clean up."""
        import signal

        self.signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, timeout=30):
        import signal
        import subprocess

        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise


def pytest_collection_modifyitems(config, items):
    """Every test that restores the database after it (serialized rollback) first empties
    it (`restorable_database`), before pytest-django's own set-up restores the rows."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        restored = marker and marker.kwargs.get("serialized_rollback")
        if restored and "restorable_database" not in item.fixturenames:
            item.fixturenames.insert(0, "restorable_database")
        if restored and "restored_sequences" not in item.fixturenames:
            item.fixturenames.append("restored_sequences")


@pytest.fixture
def restorable_database(django_db_setup, django_db_blocker, _flush_past_the_log_guard):
    """Empty tables for a serialized rollback to restore, requested before it: an earlier
    transactional test without one may have flushed and let post_migrate make the content
    types again under new ids (PostgreSQL does not reuse them), which the restore would
    collide with. Asked first of all, it needs the flush that passes the log's guard."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


@pytest.fixture
def restored_sequences(transactional_db, django_db_blocker):
    """Sequences past the rows a serialized rollback restored: the restore writes them
    with their ids and leaves PostgreSQL's sequences where the flush reset them, so the
    next ticket kind a test creates would take id 1 again."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)


@pytest.fixture
def site_processes(
    restorable_database,
    django_db_serialized_rollback,
    transactional_db,
    restored_sequences,
    smtp_server,
    settings,
    tmp_path,
):
    """Starts processes of the site (`celery -A helpdesk_site worker`, management
    commands) on the test database, mailing to `smtp_server`, with TEST_BROKER_URL as
    the broker; stops what is left at the end.

    `site_processes.start(*args, **env)` runs `python -m *args`; `.worker(**env)` starts a
    worker and waits until it is ready. The test database must be committed to
    (`transactional_db`) for them to see it; on SQLite it is a file for them
    (`django_db_modify_db_settings`).
    """
    import os
    from urllib.parse import quote

    import redis
    from django.core.cache import cache
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("an in-memory SQLite test database cannot be shared with a process")
        url = f"sqlite:///{database['NAME']}"
    else:
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        url = (
            f"postgres://{quote(database['USER'], safe='')}{password}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        )
    redis.Redis.from_url(TEST_BROKER_URL).flushdb()
    # The cache's table outlives the tables a test empties: no job's run of this
    # period is taken by an earlier test.
    cache.clear()
    base = {
        **os.environ,
        "DATABASE_URL": url,
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": TEST_BROKER_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        # Long enough to outlast a sink that holds a sender on purpose.
        "EMAIL_TIMEOUT": "60",
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "LOG_LEVEL": "INFO",
    }
    base.pop("REDIS_URL", None)  # the shared cache is the test database's table
    started = []

    class Starter:
        broker_url = TEST_BROKER_URL

        def start(self, *args, **env):
            log = tmp_path / f"process-{len(started)}.log"
            process = SiteProcess(args, {**base, **env}, log)
            started.append(process)
            return process

        def worker(self, **env):
            name = f"test{len(started)}@%h"
            process = self.start(
                *("-m", "celery", "-A", "helpdesk_site", "worker", "--loglevel=INFO"),
                *("--concurrency=1", "--without-gossip", "--without-mingle", "-n", name),
                **env,
            )
            process.wait_for(" ready.")
            return process

    settings.CELERY_BROKER_URL = TEST_BROKER_URL
    yield Starter()
    for process in started:
        if process.process.poll() is None:
            process.stop()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A private redis-server on a loopback port, keeping nothing on disk, that can be
    stopped (to test Redis being down) and started again on the same port."""

    def __init__(self, executable, port, directory):
        self.executable, self.port, self.directory = executable, port, directory
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)

    def start(self):
        import subprocess
        import time

        import redis

        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    """A private, running redis-server (see RedisServer); stopped after the test."""
    import shutil

    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    server = RedisServer(executable, free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


class MotoServer:
    """moto's S3 in server mode: a real HTTP server in its own process on a loopback port."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        import subprocess
        import sys
        import time
        import urllib.request
        from pathlib import Path

        # Beside the interpreter, so that CI's .venv finds its own.
        executable = Path(sys.executable).parent / "moto_server"
        self.process = subprocess.Popen(  # noqa: S603 - our own executable
            [str(executable), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).close()  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto_server did not start on port {self.port}") from None
                time.sleep(0.1)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self, access_key="testing", secret_key="testing"):  # noqa: S107 - moto's
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name="us-east-1",
            config=Config(signature_version="s3v4"),
        )

    def check_credentials(self, enforced: bool):
        """Make moto refuse unknown keys (off by default: it takes any)."""
        import urllib.request

        request = urllib.request.Request(  # noqa: S310 - our loopback server
            f"{self.endpoint}/moto-api/reset-auth",
            data=b"0" if enforced else b"inf",
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310


@pytest.fixture(scope="session")
def moto_server():
    server = MotoServer()
    server.start()
    yield server
    server.stop()


class Bucket:
    """A bucket on moto's server that the site's default storage now uses."""

    def __init__(self, server, name):
        self.server, self.name = server, name
        self.client = server.client()
        self.client.create_bucket(Bucket=name)

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def storage_settings(self, **options) -> dict:
        """The site's STORAGES["default"] for this bucket; `options` change any of it."""
        return object_store_settings(self.server, self.name, **options)


def object_store_settings(server, bucket, **options) -> dict:
    """The site's STORAGES["default"] for `bucket` on a moto server, as settings.py
    makes it from AWS_STORAGE_BUCKET_NAME and the others; `options` change any of it."""
    from helpdesk_site.settings import object_store

    connection = {
        "endpoint_url": server.endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
    }
    return object_store(bucket, **(connection | options))


@pytest.fixture
def store_settings():
    """`store_settings(server, bucket, **options)`: see `object_store_settings`."""
    return object_store_settings


@pytest.fixture
def bucket(moto_server, settings):
    """Attachments in a new bucket of moto's S3 server, as AWS_STORAGE_BUCKET_NAME sets."""
    import uuid

    created = Bucket(moto_server, f"helpdesk-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, "default": created.storage_settings()}
    return created


@pytest.fixture
def spare_moto_server():
    """`spare_moto_server()`: a moto server of the test's own, free to stop (the shared
    one stays up for the other tests)."""
    started = []

    def start():
        server = MotoServer()
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def store_to_stop(settings, spare_moto_server, store_settings):
    """Documents kept in a bucket on a moto server of the test's own: `.stop()` it to see
    what the site does with a store that is down."""
    import uuid

    server = spare_moto_server()
    name = f"helpdesk-{uuid.uuid4().hex[:12]}"
    server.client().create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": store_settings(server, name)}
    return server
