"""Settings read from the environment, with the defaults the README promises."""

import importlib

import pytest

import helpdesk_site.settings


@pytest.fixture
def reload_with(monkeypatch):
    """`reload_with(NAME=value, ...)`: the settings module as read with that environment."""

    def reload(**environment):
        for name, value in environment.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return importlib.reload(helpdesk_site.settings)

    yield reload
    monkeypatch.undo()
    importlib.reload(helpdesk_site.settings)


def test_a_mail_server_may_keep_us_waiting_five_seconds_by_default(reload_with):
    assert reload_with(EMAIL_TIMEOUT=None).EMAIL_TIMEOUT == 5
    assert reload_with(EMAIL_TIMEOUT="2").EMAIL_TIMEOUT == 2
