"""Polling IMAP mailboxes: each message goes through `services.receive`; a handled one
is moved to the mailbox's done folder; one that failed stays where it is, with the
error logged, and is tried again at the next poll. One failing message never stops the
others, nor one failing mailbox the next."""

import contextlib
import imaplib
import logging
import re
import shlex
import ssl
import subprocess
from dataclasses import dataclass

from django.conf import settings

from . import mailboxes, services
from .mailboxes import Mailbox

logger = logging.getLogger(__name__)

TIMEOUT = 30


@dataclass
class Poll:
    handled: int = 0
    failed: int = 0


# A mailbox that cannot be reached or read: the next poll tries again.
UNREADABLE = (imaplib.IMAP4.error, OSError, ssl.SSLError, subprocess.SubprocessError)


def poll_all() -> dict[str, str]:
    """Poll every mailbox of HELPDESK_MAILBOXES once: the periodic `fetch_mail` job."""
    done = {}
    for box in mailboxes.configured():
        try:
            result = poll(box)
        except UNREADABLE as error:
            logger.warning("Mailbox %s could not be read: %s", box.name, error)
            done[box.name] = f"could not be read: {error}"
        else:
            done[box.name] = f"{result.handled} handled, {result.failed} left to retry"
    return done


def connect(box: Mailbox) -> imaplib.IMAP4:
    if box.security == "tls":
        client = imaplib.IMAP4_SSL(
            box.host, box.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT
        )
    else:
        client = imaplib.IMAP4(box.host, box.port, timeout=TIMEOUT)
        if box.security == "starttls":
            client.starttls(ssl_context=ssl.create_default_context())
    if box.token_command:
        # The administrator's own command from the settings, never the mail's input.
        token = subprocess.run(  # noqa: S603
            shlex.split(box.token_command), capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
        auth = f"user={box.user}\x01auth=Bearer {token}\x01\x01".encode()
        client.authenticate("XOAUTH2", lambda _challenge: auth)
    else:
        client.login(box.user, box.password)
    return client


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def poll(box: Mailbox) -> Poll:
    """Handle every message in the box's folder; returns how many went and failed."""
    result = Poll()
    client = connect(box)
    try:
        client.create(_quoted(box.done_folder))  # "already exists" is fine
        status, _ = client.select(_quoted(box.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open {box.folder}")
        status, data = client.uid("SEARCH", None, "ALL")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        # Asked again: what a server offers after the login may be more than before.
        status, data = client.capability()
        can_move = status == "OK" and b"MOVE" in (data[0] or b"").upper().split()
        for uid in uids:
            if _one(client, box, uid.decode(), can_move=can_move):
                result.handled += 1
            else:
                result.failed += 1
        client.expunge()
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
    return result


def _size(client, uid: str) -> int:
    status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
    found = SIZE.search(b" ".join(d for d in data or () if isinstance(d, bytes)))
    return int(found[1]) if status == "OK" and found else 0


SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _one(client, box: Mailbox, uid: str, *, can_move: bool) -> bool:
    size = _size(client, uid)
    if size > settings.HELPDESK_MAIL_MAX_SIZE:
        # Never downloaded: refused by its size, and moved away like any handled one.
        try:
            services.refuse_unread(size=size, mailbox=box.name)
        except Exception:  # noqa: BLE001 - it stays for the next poll
            logger.warning("Mailbox %s: message %s stays, to be retried", box.name, uid)
            return False
        return _move(client, box, uid, can_move=can_move)
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((item[1] for item in data or () if isinstance(item, tuple)), None)
    if status != "OK" or raw is None:
        logger.warning("Mailbox %s: message %s could not be fetched", box.name, uid)
        return False
    try:
        handled = services.receive(raw, mailbox=box.name, category=box.category)
    except Exception as error:  # noqa: BLE001 - it stays in the folder for the next poll
        logger.warning(
            "Mailbox %s: message %s stays, to be retried: %s",
            box.name,
            uid,
            type(error).__name__,
            exc_info=not isinstance(error, services.TryAgain),
        )
        return False
    logger.info("Mailbox %s: message %s %s", box.name, uid, handled.outcome)
    return _move(client, box, uid, can_move=can_move)


def _move(client, box: Mailbox, uid: str, *, can_move: bool) -> bool:
    if can_move:
        status, _ = client.uid("MOVE", uid, _quoted(box.done_folder))
    else:
        status, _ = client.uid("COPY", uid, _quoted(box.done_folder))
        if status == "OK":
            client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
    if status != "OK":
        # Handled but not moved: the next poll sees it again and skips it by its
        # Message-ID ("already handled").
        logger.warning("Mailbox %s: message %s handled but not moved", box.name, uid)
    return True


NOT_SAFE = re.compile(r"[\r\n]")
