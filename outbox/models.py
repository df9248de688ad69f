import secrets
from email.utils import parseaddr

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def from_domain() -> str:
    """The domain of our From address, for the ids our mail carries."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)


def new_message_id() -> str:
    """`<outbox-random@domain>`: each mail's own, and not to be guessed from another's."""
    return f"<outbox-{secrets.token_hex(16)}@{from_domain()}>"


class OutgoingMail(models.Model):
    """A mail waiting to be sent: written in the change's transaction, sent after the
    commit, retried with back-off while the mail server is down.

    The row carries its `message_id` from the start. A sender first leases the row
    (`leased_until`, `lease_owner`), committed before it talks to the mail server: a
    sender killed mid-send leaves the row to the next one when the lease ends, and the
    mail sent again carries the same Message-ID.
    """

    # The ticket a notice is about, if any: a plain number, so that the outbox
    # depends on no app (the table was tickets' own, hence its name).
    ticket_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    topic = models.CharField(max_length=30)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    # Given when the row is made (a lease that gave each mail its own cost a clause a
    # mail in the UPDATE); unique, so that a reply's In-Reply-To finds the mail (and its
    # ticket) it answers.
    message_id = models.CharField(
        max_length=255, null=True, blank=True, unique=True, default=new_message_id
    )

    class Meta:
        db_table = "tickets_outgoingmail"
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="mail_due",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
