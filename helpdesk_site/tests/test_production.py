"""The settings a production site runs with: what they require and what they switch on."""

import importlib
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import helpdesk_site.settings

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / "deploy" / "env.example"


def production_environment() -> dict[str, str]:
    """What docs/deploy.md tells a production site to set: deploy/env.example, read as
    systemd reads an EnvironmentFile, with real keys for its placeholders."""
    environment = {}
    for line in ENV_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            environment[name] = value
    environment["SECRET_KEY"] = "k" * 20 + "-a-long-and-random-production-key-0123456789"
    environment["HELPDESK_LOG_KEY"] = "l" * 20 + "-another-long-random-key-for-the-log-9876543210"
    return environment


PRODUCTION = production_environment()


@contextmanager
def settings_with(monkeypatch, **environment):
    """The settings module as loaded with `environment`; reloaded as it was afterwards."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        yield importlib.reload(helpdesk_site.settings)
    finally:
        for name in environment:
            monkeypatch.delenv(name)
        importlib.reload(helpdesk_site.settings)


@pytest.mark.parametrize(
    "value, expected", [("0", False), ("false", False), ("False", False), ("1", True), ("", True)]
)
def test_debug_follows_the_environment(monkeypatch, value, expected):
    with settings_with(monkeypatch, DEBUG=value, SECRET_KEY="set") as loaded:
        assert loaded.DEBUG is expected


def test_a_production_site_without_a_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with (
        pytest.raises(ImproperlyConfigured, match="SECRET_KEY"),
        settings_with(monkeypatch, DEBUG="0"),
    ):
        pass


def test_https_turns_on_hsts_secure_cookies_and_the_redirect(monkeypatch):
    with settings_with(monkeypatch, **PRODUCTION) as loaded:
        assert loaded.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
        assert loaded.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
        assert loaded.SESSION_COOKIE_SECURE is True
        assert loaded.CSRF_COOKIE_SECURE is True
        assert loaded.SECURE_SSL_REDIRECT is True


def test_the_log_key_stays_when_the_secret_key_changes(monkeypatch):
    with settings_with(monkeypatch, SECRET_KEY="old", HELPDESK_LOG_KEY="log-key") as loaded:
        assert loaded.HELPDESK_LOG_KEY == "log-key"
    with settings_with(monkeypatch, SECRET_KEY="only") as loaded:
        assert loaded.HELPDESK_LOG_KEY == "only"


def check_deploy(**environment):
    # Only what a production machine sets: nothing the test run added.
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_production_settings():
    result = check_deploy(**PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_for_a_log_key_of_its_own():
    result = check_deploy(**{**PRODUCTION, "HELPDESK_LOG_KEY": ""})

    assert result.returncode != 0
    assert "tickets.W001" in result.stdout + result.stderr
