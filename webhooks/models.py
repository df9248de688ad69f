"""Webhooks: a URL that hears of chosen ticket events, and its deliveries.

A delivery row is written in the transaction of the change it reports (like the mail
outbox), sent after the commit, retried with back-off, and kept as the hook's log.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    FILED = "ticket.filed", _("Ticket filed")
    REPLIED = "ticket.replied", _("Reply or internal note")
    STATUS_CHANGED = "ticket.status_changed", _("Status changed")
    ASSIGNED = "ticket.assigned", _("Ticket assigned")
    RESOLVED = "ticket.resolved", _("Ticket resolved")
    SLA_BREACHED = "sla.breached", _("Service level breached")


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """A URL told of the `events` on the tickets its owner sees, within its scope.

    The owner decides what a payload may carry: it is built as the owner would see the
    ticket (`visible_to(owner)`; internal notes only when the owner handles it).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    # Kept as typed: the receiver needs the same key to check the signature.
    secret = models.CharField(_("signing secret"), max_length=64, default=new_secret)
    events = models.JSONField(_("events"), default=list)
    # The scope: no categories means every category; no organisation, every organisation.
    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("categories"), blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation and those below it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Failed attempts since the last success; at HELPDESK_WEBHOOK_FAILURE_LIMIT the hook
    # is switched off (disabled_at says when).
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled automatically"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("webhooks:detail", args=[self.pk])

    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [str(labels.get(kind, kind)) for kind in self.events]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    # The owner no longer sees what it was about (redirected, deactivated): not sent.
    SKIPPED = "skipped", _("Not sent")


class Delivery(models.Model):
    """One event for one hook. Its body is built at the first attempt and then kept, so
    that every retry sends the same bytes under the same delivery id."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    # Plain numbers: a delivery outlives nothing, and reads its ticket at send time.
    ticket_id = models.BigIntegerField(_("ticket"))
    ticket_event_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)  # e.g. a status change's from and to
    body = models.TextField(blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(state="pending"),
            ),
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self):
        return f"{self.event} #{self.ticket_id} ({self.uid})"


class Attempt(models.Model):
    """One try of a delivery: when, and what the receiver answered (or what failed)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(_("when"), default=timezone.now)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.response_code or self.error}"
