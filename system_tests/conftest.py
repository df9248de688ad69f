"""The whole site as production runs it, on this machine, for the system tests.

A fresh PostgreSQL database, migrated by its owner and seeded with the demo data;
static files collected under hashed names; a real SMTP sink; two gunicorn instances on
their own ports with the same settings, sharing the database, Redis and the media
folder. Parts that other branches bring are started too as soon as the code has them:

- the Celery worker and beat (`helpdesk_site/celery.py` exists): broker on Redis;
- attachments in S3 (the settings switch the default storage to S3 when
  AWS_STORAGE_BUCKET_NAME is set): moto's S3 server on a loopback port;
- Prometheus metrics (a `monitoring` app exists): a multiprocess folder per instance.
"""

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import SYSTEM_BROKER_REDIS, SYSTEM_CACHE_REDIS, SmtpSink, redis_test_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = "system-test-" + "q7w8e9r0t1y2" * 5
PASSWORD = "demo12345"
# Redis databases of their own (the cache and sessions; the broker), emptied first: one
# pair per test process, as each starts its own site.
REDIS_CACHE_URL = os.environ.get("SYSTEM_TEST_REDIS_URL") or redis_test_url(SYSTEM_CACHE_REDIS)
REDIS_BROKER_URL = os.environ.get("SYSTEM_TEST_BROKER_URL") or redis_test_url(SYSTEM_BROKER_REDIS)
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str, user: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user:
        netloc = f"{user}@{netloc.rpartition('@')[2]}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", "", ""))


def fresh_database(url: str) -> str:
    """Drop and create `<name>_system` (`_system_gw1` in xdist's process gw1) as
    DATABASE_URL's user (the owner on CI)."""
    import psycopg2
    from psycopg2 import sql

    process = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = urlsplit(url).path.lstrip("/") + "_system" + (f"_{process}" if process else "")
    connection = psycopg2.connect(with_database(url, "postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
    return with_database(url, name)


def s3_storage_supported() -> bool:
    """Whether the settings put attachments in S3 when a bucket is named."""
    probe = "import helpdesk_site.settings as s; print(s.STORAGES['default']['BACKEND'])"
    environment = {**os.environ, "AWS_STORAGE_BUCKET_NAME": "probe", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    return result.returncode == 0 and "s3" in result.stdout.lower()


def workers_supported() -> bool:
    return importlib.util.find_spec("helpdesk_site.celery") is not None


def metrics_supported() -> bool:
    return importlib.util.find_spec("monitoring") is not None


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict
    log: Path
    popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT
        )
        handle.close()
        return self

    def kill(self) -> None:
        """As a crash or the OOM killer would: no warm shutdown."""
        if self.popen and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 60) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class System:
    env: dict  # the environment every process of the site runs with
    owner_env: dict  # the same, connected as the tables' owner
    database_url: str  # as the owner
    web: list[Process]
    urls: list[str]
    smtp: SmtpSink
    media: Path
    workers: list[Process] = field(default_factory=list)
    s3: dict = field(default_factory=dict)  # the AWS_* settings when attachments are in S3
    mail_before: int = 0  # the outbox's last id after the demo data
    tmp: Path = Path()

    def manage(self, *args: str, owner: bool = False, check: bool = True):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.owner_env if owner else self.env,
            capture_output=True,
            text=True,
            check=check,
        )

    def query(self, statement: str, *params) -> list[tuple]:
        import psycopg2

        connection = psycopg2.connect(self.database_url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def restart_worker(self) -> None:
        """Kill the Celery worker mid-way (SIGKILL) and start a new one."""
        for process in self.workers:
            if process.name == "worker":
                process.kill()
                process.start()


def wait_healthy(process: Process, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            pytest.fail(f"{process.name} exited at start:\n{process.tail()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{process.name} never answered /healthz:\n{process.tail()}")


def start_s3(tmp: Path, processes: list[Process]) -> dict:
    """moto's S3 server on a loopback port, with an empty private bucket."""
    import boto3

    port = free_port()
    server = Process(
        "s3",
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        dict(os.environ),
        tmp / "s3.log",
    ).start()
    processes.append(server)
    settings = {
        "AWS_STORAGE_BUCKET_NAME": "helpdesk-system",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "system-test",
        "AWS_SECRET_ACCESS_KEY": "system-test-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=settings["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
        region_name=settings["AWS_S3_REGION_NAME"],
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            client.create_bucket(Bucket=settings["AWS_STORAGE_BUCKET_NAME"])
            return settings
        except Exception:  # noqa: BLE001 - not listening yet
            if time.monotonic() > deadline or server.popen.poll() is not None:
                pytest.fail(f"moto's S3 server did not start:\n{server.tail()}")
            time.sleep(0.3)


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@pytest.fixture(scope="session")
def system(tmp_path_factory):
    url = postgres_url()
    if url is None:
        pytest.skip(
            "The whole-system test runs on PostgreSQL only (two instances and a worker "
            "share one database): set DATABASE_URL=postgres://..."
        )
    tmp = tmp_path_factory.mktemp("system")
    processes: list[Process] = []
    smtp = SmtpSink(free_port())
    smtp.start()
    try:
        yield _start(url, tmp, smtp, processes)
    finally:
        for process in reversed(processes):
            process.stop()
        smtp.stop()


def _start(url: str, tmp: Path, smtp: SmtpSink, processes: list[Process]) -> System:
    database_url = fresh_database(url)
    site_role = os.environ.get("DATABASE_SITE_ROLE", "")
    # The web processes and workers connect as the site's role when CI names one, as in
    # production; the owner migrates.
    site_url = (
        with_database(database_url, urlsplit(database_url).path.lstrip("/"), site_role)
        if site_role
        else database_url
    )
    empty_redis(REDIS_CACHE_URL)
    media, static = tmp / "media", tmp / "static"
    base = {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "helpdesk_site.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "HELPDESK_LOG_KEY": SECRET_KEY + "-log",
        "DATABASE_URL": site_url,
        "REDIS_URL": REDIS_CACHE_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(static),
        "STATIC_MANIFEST": "1",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        # The worker is killed with mail in hand (`restart_worker`): its leases must end
        # within the test's wait for the mail, not after production's five minutes.
        "HELPDESK_MAIL_LEASE_SECONDS": "10",
    }
    if site_role:
        base["DATABASE_SITE_ROLE"] = site_role
    if s3_storage_supported():
        base.update(start_s3(tmp, processes))
    if workers_supported():
        empty_redis(REDIS_BROKER_URL)
        base["CELERY_BROKER_URL"] = REDIS_BROKER_URL
    owner_env = {**base, "DATABASE_URL": database_url}

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=owner_env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, (
            f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
        )

    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    # The demo's example tickets mail their teams: through the sink, like everything.
    manage("seed_demo", "--force", "--password", PASSWORD)

    web, urls = [], []
    for name in ("web-a", "web-b"):
        port = free_port()
        env = {**base, "GUNICORN_BIND": f"127.0.0.1:{port}", "SITE_URL": f"http://127.0.0.1:{port}"}
        if metrics_supported():
            metrics = tmp / f"metrics-{name}"
            env.update(HELPDESK_METRICS="1", PROMETHEUS_MULTIPROC_DIR=str(metrics))
        process = Process(
            name,
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "helpdesk_site.wsgi"],
            env,
            tmp / f"{name}.log",
        ).start()
        processes.append(process)
        web.append(process)
        urls.append(f"http://127.0.0.1:{port}")
    for process, address in zip(web, urls, strict=True):
        wait_healthy(process, address)

    workers = []
    if workers_supported():
        celery = str(BIN / "celery")
        workers = [
            Process(
                "worker",
                [
                    celery,
                    "-A",
                    "helpdesk_site",
                    "worker",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "INFO",
                ],
                base,
                tmp / "worker.log",
            ).start(),
            Process(
                "beat",
                [celery, "-A", "helpdesk_site", "beat", "--schedule", str(tmp / "beat-schedule")],
                base,
                tmp / "beat.log",
            ).start(),
        ]
        processes.extend(workers)

    system = System(
        env=base,
        owner_env=owner_env,
        database_url=database_url,
        web=web,
        urls=urls,
        smtp=smtp,
        media=media,
        workers=workers,
        s3={k: v for k, v in base.items() if k.startswith("AWS_")},
        tmp=tmp,
    )
    ((system.mail_before,),) = system.query("SELECT coalesce(max(id), 0) FROM tickets_outgoingmail")
    return system


def describe(system: System) -> str:
    """What ran, for the failure messages."""
    parts = {p.name: p.tail(30) for p in [*system.web, *system.workers]}
    return json.dumps(parts, indent=1, ensure_ascii=False)
