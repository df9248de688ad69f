"""Tests in a real browser: Playwright for Python driving Debian's Chromium.

Nothing is downloaded at test time: the browser is /usr/bin/chromium (scripts/test.sh
installs it with apt-get where it can), and axe-core is vendored in vendor/. Where
Chromium is missing, every test here is skipped with a message that says so.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client

from accounts.models import User

from .pages import DESKTOP, PASSWORD

# Playwright's sync API keeps an asyncio loop running in the test thread, and Django's
# ORM refuses to run there. Tests only, never in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Only the live server's host resolves: a closed network, and no calls home.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
]
NO_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}: browser tests skipped "
    "(as root, scripts/test.sh installs it: apt-get install chromium fonts-dejavu-core)"
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not os.access(CHROMIUM, os.X_OK):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def pytest_terminal_summary(terminalreporter):
    if not os.access(CHROMIUM, os.X_OK):
        terminalreporter.write_line(NO_CHROMIUM, yellow=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def _serialized_databases(django_db_setup):
    """The test databases' contents as migrations left them, read before Playwright runs."""
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session", autouse=True)
def _database_in_playwrights_loop(_serialized_databases, django_db_blocker, playwright):
    """Once Playwright's loop runs in this thread, Django hands out other connection
    objects (asgiref keeps thread-critical locals per async context). Give them what
    serialized rollback restores, so that the rows migrations made (the ticket kinds)
    come back after each live-server test's flush, whichever tests ran before."""
    for alias, contents in _serialized_databases.items():
        connections[alias]._test_serialized_contents = contents
        # An earlier transactional test may have flushed and let post_migrate make the
        # content types again under new ids (PostgreSQL does not reuse them), which the
        # restore would then collide with: start from empty tables instead.
        with django_db_blocker.unblock():
            call_command(
                "flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0
            )
    yield
    # Close them while the loop still runs, so that the test database can be dropped.
    connections.close_all()


@pytest.fixture
def site(transactional_db, django_db_serialized_rollback, restored_sequences, live_server):
    """The live server's address, with the demo data (users, categories, tickets) in it.

    Serialized rollback brings back the rows that migrations create (the ticket kinds)
    after the flush that ends each test on a live server."""
    call_command("seed_demo", force=True, password=PASSWORD, stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def open_page(browser, site):
    """`open_page(language, viewport=DESKTOP, user=None)`: a page in a new browser window
    that asks for `language` (Accept-Language), signed in as `user` when given."""
    contexts, refused = [], []

    def open_page(language, viewport=DESKTOP, user=None):
        context = browser.new_context(
            base_url=site, locale=language, viewport=viewport, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user:
            # Signed in by cookie: the story tests sign in through the form.
            client = Client()
            client.force_login(User.objects.get(username=user))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site}])
        page = context.new_page()
        # Whatever the Content-Security-Policy blocked: a script, style or image of
        # ours that it blocks is a page that does not work.
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and refused.append(f"{page.url}: {message.text}")
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not refused, "\n".join(refused)


@pytest.fixture(scope="session")
def screenshot(tmp_path_factory):
    """`screenshot(page, name)`: saves a PNG. UPDATE_SCREENSHOTS=1 writes the README's
    pictures in docs/screenshots/; otherwise they go to a temporary folder, so that a
    test run leaves the work tree as it was."""
    folder = (
        SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path_factory.mktemp("shots")
    )

    def screenshot(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        assert path.stat().st_size < 400_000, f"{path.name} is too large for the README"
        return path

    return screenshot
