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


class DayCount(models.Model):
    """A category's tickets filed on one day, and resolved on it (local days): the
    weekly trend's rows. Kept by `counts.py` in the transaction of each change, so
    that the heavy scopes add up a few hundred rows instead of reading the tickets."""

    category = models.ForeignKey("categories.Category", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Tickets of the category created on `day`.
    filed = models.PositiveIntegerField(default=0)
    # Tickets of the category whose `resolved_at` falls on `day` (a reopened ticket has
    # none until it is resolved again).
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "day"], name="daycount_category_day")
        ]
        indexes = [models.Index(fields=["day"], name="daycount_day")]

    def __str__(self):
        return f"{self.day} #{self.category_id}: {self.filed} / {self.resolved}"


class OpenCount(models.Model):
    """How many open tickets of a category and organisation are in a status: the open
    figures' rows, kept like DayCount."""

    category = models.ForeignKey("categories.Category", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20)
    tickets = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "organisation", "status"], name="opencount_key"
            )
        ]

    def __str__(self):
        return f"#{self.category_id} #{self.organisation_id} {self.status}: {self.tickets}"


class OpenTotal(models.Model):
    """How many open tickets of a category are in a status, of every organisation: the
    open figures of whole categories from a few dozen rows (OpenCount's sums)."""

    category = models.ForeignKey("categories.Category", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    tickets = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "status"], name="opentotal_key")]

    def __str__(self):
        return f"#{self.category_id} {self.status}: {self.tickets}"


class CategorySnapshot(models.Model):
    """One category's medians and shares within the targets over the tickets filed
    since `since`, as the periodic job `dashboard_snapshots` last computed them
    (`snapshots.py`): medians cannot be added up from rollups, and computing them over
    a million tickets takes seconds."""

    category = models.OneToOneField(
        "categories.Category", on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField()
    taken_at = models.DateTimeField()
    to_read = models.DurationField(null=True)
    to_first_response = models.DurationField(null=True)
    to_resolve = models.DurationField(null=True)
    responded = models.PositiveIntegerField(default=0)
    responded_in_time = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_in_time = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"#{self.category_id} since {self.since:%Y-%m-%d}"


class FilingSnapshot(models.Model):
    """How many tickets an organisation filed in a category since `since`, as the
    periodic job last counted them (snapshots.py): the organisations that file most,
    for whole categories, from some thousand rows instead of six months of tickets."""

    category = models.ForeignKey("categories.Category", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField()
    taken_at = models.DateTimeField()
    filed = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "organisation"], name="filingsnapshot_key")
        ]

    def __str__(self):
        return f"#{self.category_id} #{self.organisation_id}: {self.filed}"
