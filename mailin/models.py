from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    FILED = "filed", _("Filed")
    THREADED = "threaded", _("Added to a ticket")
    HELD = "held", _("Held for a supervisor")
    IGNORED = "ignored", _("Ignored")
    REFUSED = "refused", _("Refused")


class InboundMessage(models.Model):
    """One message the mail gate handled, and why it ended as it did: the log an
    administrator reads, the guard against handling a message twice (a poll that
    could not move it away sees it again), and the count of the per-sender limit."""

    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # The ticket it filed or went into: a plain number, read back through visible_to.
    ticket_id = models.BigIntegerField(_("ticket"), null=True, blank=True)
    mailbox = models.CharField(_("mailbox"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mail")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["message_id"], name="mailin_message_id"),
            models.Index(fields=["sender", "outcome", "received_at"], name="mailin_sender_recent"),
            models.Index(fields=["-received_at", "-id"], name="mailin_received"),
        ]

    def __str__(self):
        return f"{self.sender}: {self.subject}"


class HeldMessage(models.Model):
    """A message from an address that is no active user's: it files nothing until a
    supervisor assigns it to a user (it is then filed as theirs) or discards it."""

    class State(models.TextChoices):
        HELD = "held", _("Held")
        ASSIGNED = "assigned", _("Assigned")
        DISCARDED = "discarded", _("Discarded")

    sender = models.CharField(_("sender"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    raw = models.BinaryField(_("original message"))
    mailbox = models.CharField(_("mailbox"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    # The polite reply ("we do not know this address") went out with this one.
    answered = models.BooleanField(_("answered"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.HELD)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ticket_id = models.BigIntegerField(_("ticket"), null=True, blank=True)

    class Meta:
        verbose_name = _("held e-mail")
        verbose_name_plural = _("held e-mail")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-received_at"], name="mailin_held_state"),
            models.Index(fields=["sender", "answered", "received_at"], name="mailin_held_answered"),
        ]

    def __str__(self):
        return f"{self.sender}: {self.subject}"
