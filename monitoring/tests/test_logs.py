"""Structured logs: one JSON line a request with its view, status, time, user and ticket
ids and request id; never a path, a query string or a name."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitoring.logformat import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines():
    """The request log as LOG_FORMAT=json writes it: `request_lines()` parses each line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("monitoring.requests")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_a_request_is_one_json_line_with_its_facts(client, member, ticket, request_lines):
    client.force_login(member)

    response = client.get(f"/tickets/{ticket.pk}/", HTTP_X_REQUEST_ID="lb-7f3a.42")

    [line] = request_lines()
    assert response["X-Request-ID"] == "lb-7f3a.42"
    assert {key: line[key] for key in ("method", "view", "status", "user_id", "ticket_id")} == {
        "method": "GET",
        "view": "tickets:detail",
        "status": 200,
        "user_id": member.pk,
        "ticket_id": ticket.pk,
    }
    assert line["request_id"] == "lb-7f3a.42"
    assert line["logger"] == "monitoring.requests"
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")


def test_without_a_request_id_one_is_made_and_sent_back(client, db, request_lines):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="not an id; ayse@example.org")

    [line] = request_lines()
    assert len(response["X-Request-ID"]) == 32
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["view"], line["user_id"], line["ticket_id"]) == ("login", None, None)


def test_no_path_query_string_or_address_reaches_the_log(client, member, ticket, request_lines):
    client.force_login(member)
    client.get("/tickets/?q=ayse.yilmaz@example.org&status=waiting")
    client.get(f"/tickets/{ticket.pk}/?q=ayse.yilmaz@example.org")
    client.get("/accounts/reset/MQ/set-password/?email=ayse.yilmaz@example.org")

    lines = request_lines()
    text = "\n".join(json.dumps(line) for line in lines)
    assert [line["view"] for line in lines] == [
        "tickets:list",
        "tickets:detail",
        "password_reset_confirm",
    ]
    assert "ayse" not in text
    assert "example.org" not in text
    assert "q=" not in text
    assert "/tickets/" not in text
    assert "MQ" not in text
    assert member.username not in text


def test_lines_logged_while_serving_carry_the_request_id(client, db, monkeypatch):
    """Whatever else a request logs can be found with its request line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/tickets/no-such-page/", HTTP_X_REQUEST_ID="probe-1")
    finally:
        logger.removeHandler(handler)

    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == "probe-1"
    assert line["level"] == "WARNING"
    # Django's own `request` object would show the query string: only plain values go.
    assert line["status_code"] == 404
    assert "request" not in line


def test_an_exception_is_one_line_too():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "failed"
    assert "ValueError: broken" in line["exception"]
    assert "\n" not in JsonFormatter().format(record)


def test_log_format_json_makes_every_line_of_the_site_json(tmp_path):
    """With the settings as production reads them: requests, Django's own warnings."""
    root = Path(__file__).resolve().parents[2]
    environment = {
        **os.environ,
        "LOG_FORMAT": "json",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "helpdesk_site.settings",
    }
    environment.pop("REDIS_URL", None)
    serving = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "client.get('/healthz')\n"
        "client.get('/no-such-page/?email=ayse.yilmaz@example.org')\n"
        "import logging; logging.getLogger('outbox.delivery').warning('Mail %s not sent', 7)\n"
    )
    run = subprocess.run(  # noqa: S603 - this Python, our script
        [sys.executable, "-c", serving],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    lines = [json.loads(text) for text in run.stderr.splitlines()]
    assert [(line["logger"], line.get("view")) for line in lines] == [
        ("monitoring.requests", "healthz"),
        ("monitoring.requests", "unmatched"),
        ("django.request", None),
        ("outbox.delivery", None),
    ]
    assert lines[0]["status"] == 200
    assert lines[1]["request_id"] == lines[2]["request_id"]
    assert "request_id" not in lines[3]
    assert "ayse" not in run.stderr
