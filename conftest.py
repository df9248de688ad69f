"""Role fixtures shaped like the demo data: TESK → Bursa union → İnegöl chamber,
the Ankara union beside Bursa, and one responsible per category."""

import pytest

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from categories.tests.factories import CategoryFactory
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
