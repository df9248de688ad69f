"""`python manage.py fetch_mail`: poll the IMAP mailboxes of HELPDESK_MAILBOXES once
(the periodic job `fetch_mail` does the same every minute).

Exit 0 when every mailbox was read (a message that failed stays in its folder and is
tried again next time); 1 when a mailbox could not be reached or read.
"""

import sys

from django.core.management.base import BaseCommand

from mailin import imap, mailboxes


class Command(BaseCommand):
    help = "Fetch new e-mail from the configured IMAP mailboxes and handle each message."

    def handle(self, *args, **options):
        if not mailboxes.configured():
            self.stdout.write("No mailboxes configured (HELPDESK_MAILBOXES).")
            return
        done = imap.poll_all()
        for name, what in done.items():
            self.stdout.write(f"{name}: {what}")
        if any(what.startswith("could not") for what in done.values()):
            sys.exit(1)
