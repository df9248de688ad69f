"""The IMAP mailboxes `fetch_mail` polls, from settings (HELPDESK_MAILBOXES, JSON).

Settings rather than a table: a mailbox's password or token command belongs with the
site's other secrets (the environment, a secret store), not in the database, its
backups and the admin's screens; and a mailbox changes as rarely as the mail server.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from categories.models import Category


@dataclass(frozen=True)
class Mailbox:
    name: str
    host: str
    user: str
    port: int = 993
    security: str = "tls"  # "tls" (IMAPS), "starttls" or "none" (loopback only)
    password: str = ""
    # A command printing an OAuth2 access token (XOAUTH2), e.g. a cloud CLI; instead
    # of the password.
    token_command: str = ""
    folder: str = "INBOX"
    done_folder: str = "Handled"
    category: str = ""  # the category new tickets go to (name or id)


def configured() -> list[Mailbox]:
    boxes = []
    for index, entry in enumerate(settings.HELPDESK_MAILBOXES):
        try:
            boxes.append(Mailbox(**{"name": f"mailbox{index + 1}", **entry}))
        except TypeError as error:
            raise ImproperlyConfigured(f"HELPDESK_MAILBOXES entry {index + 1}: {error}") from None
    return boxes


def category_for(name_or_id: str = "") -> Category:
    """The category new mail goes to: the mailbox's, else HELPDESK_MAIL_CATEGORY, else
    the first active one."""
    wanted = str(name_or_id or settings.HELPDESK_MAIL_CATEGORY or "").strip()
    active = Category.objects.filter(is_active=True).order_by("pk")
    if wanted:
        found = active.filter(pk=int(wanted)) if wanted.isdigit() else active.filter(name=wanted)
        category = found.first()
        if category is None:
            raise ImproperlyConfigured(f"No active category {wanted!r} for mail.")
        return category
    category = active.first()
    if category is None:
        raise ImproperlyConfigured("There is no active category for mail to go to.")
    return category
