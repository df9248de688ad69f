import io
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.core.management import call_command

from outbox import delivery

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str, **replace: str) -> bytes:
    """A message of the corpus; `replace` swaps placeholders (IN_REPLY_TO=..., ...)."""
    raw = (CORPUS / name).read_bytes()
    for placeholder, value in replace.items():
        raw = raw.replace(placeholder.replace("_", "-").encode(), value.encode())
    return raw


def message(sender, subject="Prod kodları", body="Merhaba, prod kodları eksik.", **headers):
    """A plain message as a person's mail program sends it; Return-Path as the mail
    server adds it (the envelope sender), unless given."""
    msg = EmailMessage()
    msg["Return-Path"] = headers.pop("return_path", f"<{sender}>")
    msg["From"] = sender
    msg["To"] = headers.pop("to", "helpdesk@example.org")
    msg["Subject"] = subject
    msg["Message-ID"] = headers.pop("message_id", make_msgid(domain="client.example"))
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


@pytest.fixture(autouse=True)
def _mail_settings(settings, capacity):
    settings.DEFAULT_FROM_EMAIL = "helpdesk@example.org"
    settings.HELPDESK_MAIL_CATEGORY = str(capacity.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def deliver(monkeypatch):
    """Pipe a message to `receive_mail` as a mail server does; returns (exit code, output)."""

    def run(raw: bytes, *args):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        out = io.StringIO()
        try:
            call_command("receive_mail", *args, stdout=out, stderr=io.StringIO())
        except SystemExit as exit:
            return exit.code, out.getvalue()
        return 0, out.getvalue()

    return run


@pytest.fixture
def notices():
    """Send the outbox now and return the messages as they left (bytes parsed back)."""
    from email import message_from_bytes, policy

    def sent():
        delivery.send_pending()
        return [
            message_from_bytes(m.message().as_bytes(), policy=policy.default)
            for m in django_mail.outbox
        ]

    return sent


@pytest.fixture(scope="session")
def dovecot():
    """The real IMAP server, started once for the session (see dovecot.py)."""
    import shutil
    import tempfile

    from .dovecot import Dovecot, Unavailable

    # Not under pytest's own temporary folder: that one is private to the user running
    # the tests, and dovecot runs as another one when that user is root.
    base = Path(tempfile.mkdtemp(prefix="mailin-dovecot-"))
    base.chmod(0o755)
    server = Dovecot(base)
    try:
        server.start()
    except Unavailable as reason:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"No IMAP server for the mail tests: {reason}")
    yield server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def mailbox(dovecot, settings, capacity):
    """A fresh account on the IMAP server, configured as the site's one mailbox."""
    user = dovecot.new_account()
    settings.HELPDESK_MAILBOXES = [
        {
            "name": "desk",
            "host": dovecot.host,
            "port": dovecot.port,
            "security": "none",
            "user": user,
            "password": "secret",
            "category": str(capacity.pk),
        }
    ]
    return user
