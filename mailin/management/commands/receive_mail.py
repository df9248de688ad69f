"""`python manage.py receive_mail < message.eml`: one message from a mail server's pipe.

Exit 0 when the message was handled (filed, threaded, held, ignored or refused, each
logged with its reason); 75 (EX_TEMPFAIL) when the mail server should try again later:
the database or the document store is down, or anything unforeseen went wrong. Then
nothing was kept, and the message stays with the mail server.
"""

import logging
import sys

from django.core.management.base import BaseCommand

from mailin import services

logger = logging.getLogger(__name__)

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Handle one e-mail message read from standard input (a mail server's pipe)."

    def add_arguments(self, parser):
        parser.add_argument("--category", default="", help="Category of new tickets (name or id).")
        parser.add_argument(
            "--sender", default=None, help="The envelope sender, as the mail server saw it."
        )

    def handle(self, *args, category, sender, **options):
        from django.conf import settings

        # One byte more than the limit is enough to know it is too large; the rest is
        # read and dropped, so that the mail server is not cut off mid-write.
        raw = sys.stdin.buffer.read(settings.HELPDESK_MAIL_MAX_SIZE + 1)
        while sys.stdin.buffer.read(1024 * 1024):
            pass
        try:
            handled = services.receive(
                raw, mailbox="pipe", category=category, envelope_sender=sender
            )
        except services.TryAgain as error:
            self.stderr.write(f"Temporary failure, try again later: {error}")
            sys.exit(EX_TEMPFAIL)
        except Exception:  # noqa: BLE001 - the mail server keeps it and tries again
            logger.exception("Mail not handled; the mail server will try again")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"{handled.outcome}: {handled.reason}")
