"""The site as production runs it, for fault tests: a gunicorn process on the test
database, whose connections persist between requests, and a small HTTP client for it."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
APPLICATION_NAME = "helpdesk-fault-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_database_url(*, host=None, port=None) -> str:
    """The test database as a DATABASE_URL, optionally through another host and port."""
    db = connections["default"].settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return (
        f"postgres://{credentials}@{host or db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}"
        f"/{db['NAME']}?application_name={APPLICATION_NAME}"
    )


class Browser:
    """Keeps cookies, follows nothing: each answer is (status, headers, body)."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, data=None):
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, response.headers, content

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)


class SiteProcess:
    """`gunicorn helpdesk_site.wsgi`, one sync worker, with the given environment."""

    def __init__(self, port, environment, log_path):
        self.port = port
        self.environment = environment
        self.log_path = log_path
        self.process = None

    def start(self):
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "1", "--timeout", "60", "helpdesk_site.wsgi"],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(200):
            if self.process.poll() is not None:
                break
            try:
                if Browser(self.port).get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.output())

    def output(self) -> str:
        return Path(self.log_path).read_text(errors="replace")[-5000:]

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
            self.log.close()

    def browser(self, session_key=None) -> Browser:
        cookies = {settings.SESSION_COOKIE_NAME: session_key} if session_key else {}
        return Browser(self.port, cookies)


def site_environment(database_url: str, media_root, **extra) -> dict:
    """Production settings on the test database; no Redis, broker nor replica, so that
    the test is about the database alone."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_REPLICA_URL", "DATABASE_POOLER")
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,
        HELPDESK_LOG_KEY=settings.HELPDESK_LOG_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        HELPDESK_2FA_REQUIRED_FOR="",
        **extra,
    )
    return environment
