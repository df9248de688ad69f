from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SummarySubscription(models.Model):
    """A supervisor who asked for the weekly summary by mail (summary.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The week (its Monday) last mailed: a second run in the same week sends nothing.
    last_week = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly summary subscription")
        verbose_name_plural = _("weekly summary subscriptions")

    def __str__(self):
        return str(self.user)
