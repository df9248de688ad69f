"""`python manage.py fetch_mail`: poll the IMAP mailboxes of HELPDESK_MAILBOXES once.

Exit 0 when every mailbox was read (a message that failed stays in its folder and is
tried again next time); 1 when a mailbox could not be reached or read.
"""

import imaplib
import logging
import ssl
import subprocess
import sys

from django.core.management.base import BaseCommand

from mailin import imap, mailboxes

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Fetch new e-mail from the configured IMAP mailboxes and handle each message."

    def handle(self, *args, **options):
        boxes = mailboxes.configured()
        if not boxes:
            self.stdout.write("No mailboxes configured (HELPDESK_MAILBOXES).")
            return
        unreachable = 0
        for box in boxes:
            try:
                result = imap.poll(box)
            except (
                imaplib.IMAP4.error,
                OSError,
                ssl.SSLError,
                subprocess.SubprocessError,
            ) as error:
                unreachable += 1
                logger.warning("Mailbox %s could not be read: %s", box.name, error)
                self.stderr.write(f"{box.name}: could not be read: {error}")
                continue
            self.stdout.write(
                f"{box.name}: {result.handled} handled, {result.failed} left to retry"
            )
        if unreachable:
            sys.exit(1)
