"""Service levels: working calendars, targets, and what each ticket's clocks rest on.

The dues themselves live on tickets.Ticket (the list filters and sorts by them); the
rows here are what they are computed from: when the clocks started, with which
targets and calendar, and when they were paused.
"""

import zoneinfo
from datetime import time, timedelta
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tickets.models import Contract, Priority, Ticket, TicketKind

from . import worktime


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(zone)s is not a time zone; use a name such as Europe/Istanbul."),
            params={"zone": value},
        ) from None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Calendar(models.Model):
    """When a team works: hours per weekday, a time zone, holidays."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Istanbul", validators=[validate_time_zone]
    )
    # The deployment's calendar: the categories without one of their own use it.
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="sla_one_default_calendar",
                violation_error_message=_(
                    "Another calendar is the default already; make it not the default first."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def schedule(self) -> worktime.Schedule:
        """The calendar for the arithmetic, from the process's copy (sla/schedules.py);
        cached on the instance."""
        return self._schedule

    @cached_property
    def _schedule(self) -> worktime.Schedule:
        from . import schedules  # it reads these models

        return schedules.of(self)


class WorkingHours(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    # 00:00 means midnight at the end of the day.
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "starts"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"

    def clean(self):
        known = self.starts is not None and self.ends is not None
        if known and self.ends != time(0) and self.ends <= self.starts:
            raise ValidationError(_("The working hours must end after they start."))


class Holiday(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["first_day"]
        indexes = [models.Index(fields=["calendar", "first_day"], name="sla_holiday_day")]

    def __str__(self):
        return f"{self.name} ({self.first_day:%Y-%m-%d})"

    def clean(self):
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError(_("A holiday cannot end before it begins."))


class CategoryCalendar(models.Model):
    """A category whose team keeps other hours (works Saturdays, sits elsewhere)."""

    category = models.OneToOneField(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="sla_calendar",
    )
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("category calendar")
        verbose_name_plural = _("category calendars")

    def __str__(self):
        return f"{self.category}: {self.calendar}"


class ContractCalendar(models.Model):
    """A contract whose customer is served in other hours (extended, round the clock):
    its organisations' tickets count by it, over their category's calendar."""

    contract = models.OneToOneField(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="sla_calendar",
    )
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contract calendar")
        verbose_name_plural = _("contract calendars")

    def __str__(self):
        return f"{self.contract}: {self.calendar}"


def positive_minutes(value) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("A target must be more than zero minutes."))


# Said by the model and by the formset of a contract's targets alike.
DUPLICATE_TARGET = _("There is already a target for this priority, contract, category and kind.")


class Target(models.Model):
    """How long a ticket may wait, in working minutes: per priority, and optionally
    for one contract, category or kind (the most specific target wins, the contract
    counting most, then the category, then the kind)."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_targets",
    )
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.ForeignKey(
        TicketKind,
        verbose_name=_("kind"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    first_response_minutes = models.IntegerField(
        _("first response (working minutes)"), validators=[positive_minutes]
    )
    resolution_minutes = models.IntegerField(
        _("resolution (working minutes)"), validators=[positive_minutes]
    )

    class Meta:
        verbose_name = _("service level target")
        verbose_name_plural = _("service level targets")
        ordering = ["priority", "contract", "category", "kind"]
        constraints = [
            # NULLs are distinct here: clean() refuses a second general target, and the
            # contract's page compares its rows (admin.TargetFormSet).
            models.UniqueConstraint(
                fields=["priority", "contract", "category", "kind"], name="sla_target_unique"
            ),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gt=0, resolution_minutes__gt=0),
                name="sla_target_positive",
                violation_error_message=_("A target must be more than zero minutes."),
            ),
        ]

    def __str__(self):
        return str(self.get_priority_display())

    def clean(self):
        if not self.priority or (self.contract_id is None and self.contract is not None):
            return  # a contract being added has no targets yet to clash with
        same = Target.objects.filter(
            priority=self.priority,
            contract_id=self.contract_id,
            category_id=self.category_id,
            kind_id=self.kind_id,
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(DUPLICATE_TARGET)


class Clock(models.Model):
    """What a ticket's dues are computed from; the dues are on the ticket."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="sla_clock")
    started_at = models.DateTimeField()
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="clocks")
    first_response_minutes = models.IntegerField()
    resolution_minutes = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["calendar"], name="sla_clock_calendar")]

    def __str__(self):
        return f"#{self.ticket_id}"

    @property
    def first_response_target(self) -> timedelta:
        return timedelta(minutes=self.first_response_minutes)

    @property
    def resolution_target(self) -> timedelta:
        return timedelta(minutes=self.resolution_minutes)


class Pause(models.Model):
    """A span in which a ticket's clocks stood still (waiting for the member, resolved)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        indexes = [models.Index(fields=["ticket", "started_at"], name="sla_pause_ticket")]

    def __str__(self):
        return f"#{self.ticket_id} {self.started_at:%Y-%m-%d %H:%M}"


class EscalationLevel(models.TextChoices):
    WARNING = "warning", _("About to breach")
    BREACH = "breach", _("Breached")


class ClockKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class Escalation(models.Model):
    """One notice per ticket, clock and level: the unique row is what makes it once."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_escalations")
    clock = models.CharField(max_length=20, choices=ClockKind.choices)
    level = models.CharField(max_length=10, choices=EscalationLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "clock", "level"], name="sla_escalation_once")
        ]

    def __str__(self):
        return gettext("%(level)s: %(clock)s") % {
            "level": self.get_level_display(),
            "clock": self.get_clock_display(),
        }


class Recompute(models.Model):
    """Dues to recompute after service levels changed (a calendar, a target, a
    contract's): what the admin's save recorded, and how far the job has gone through
    it (recomputing.py). The scope is clocks.clocks_in's arguments, with `reach` for
    the general targets' (priority, category id, kind id) rows."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    scope = models.JSONField(default=dict)
    # Targets changed: the open tickets take them, and those without clocks start theirs.
    targets = models.BooleanField(default=False)
    # How many tickets it concerned when it was recorded (what the admin was told).
    tickets = models.PositiveIntegerField(_("tickets"), default=0)
    # Where the job stands: the last clock recomputed, then the last ticket whose clock
    # it started; a job that stopped (a crash, its time used up) goes on from there.
    after_clock = models.BigIntegerField(default=0)
    clocks_done = models.BooleanField(default=False)
    after_ticket = models.BigIntegerField(default=0)
    moved = models.PositiveIntegerField(_("moved"), default=0)
    started = models.PositiveIntegerField(_("clocks started"), default=0)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("due time recompute")
        verbose_name_plural = _("due time recomputes")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(finished_at__isnull=True), name="sla_recompute_pending"
            )
        ]

    def __str__(self):
        return f"#{self.pk}"
