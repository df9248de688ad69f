"""The admin edits calendars and targets; bad ones are refused with a message, and a
saved calendar moves the dues of the tickets that count by it."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import clocks, worktime
from .models import Calendar, CategoryCalendar, Holiday, Target, WorkingHours


class WorkingHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(_("A calendar needs working hours on at least one day."))
        by_day: dict[int, list] = {}
        for row in kept:
            if row.get("starts") is None or row.get("ends") is None:
                continue
            by_day.setdefault(row["weekday"], []).append(row)
        for rows in by_day.values():
            spans = sorted((r["starts"], r["ends"]) for r in rows)
            for (_start, end), (next_start, _end) in zip(spans, spans[1:], strict=False):
                if end.hour == end.minute == 0 or next_start < end:
                    raise forms.ValidationError(
                        _("Working hours of the same day must not overlap.")
                    )


class HolidayFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("first_day")
            and form.cleaned_data.get("last_day")
        ]
        clash = worktime.overlapping([(row["first_day"], row["last_day"]) for row in kept])
        if clash is not None:
            first, second = (kept[i]["name"] for i in clash)
            raise forms.ValidationError(
                _("The holidays %(first)s and %(second)s overlap.")
                % {"first": first, "second": second}
            )


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    formset = WorkingHoursFormSet
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    formset = HolidayFormSet
    extra = 0


def _recomputed(request, modeladmin, moved: int) -> None:
    if moved:
        modeladmin.message_user(
            request,
            ngettext(
                "The dues of %(count)d ticket moved.",
                "The dues of %(count)d tickets moved.",
                moved,
            )
            % {"count": moved},
        )


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "is_default"]
    inlines = [WorkingHoursInline, HolidayInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            # A new default calendar concerns every ticket without a calendar of its
            # category's own; other edits, the tickets counted by this calendar.
            ids = None if "is_default" in form.changed_data else [form.instance.pk]
            with transaction.atomic():
                _recomputed(request, self, clocks.recompute(calendar_ids=ids))


@admin.register(CategoryCalendar)
class CategoryCalendarAdmin(admin.ModelAdmin):
    list_display = ["category", "calendar"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recomputed(request, self, clocks.recompute(category_ids=[obj.category_id]))

    def delete_model(self, request, obj):
        category_id = obj.category_id
        super().delete_model(request, obj)
        _recomputed(request, self, clocks.recompute(category_ids=[category_id]))


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "priority",
        "category",
        "kind",
        "first_response_minutes",
        "resolution_minutes",
    ]
    list_filter = ["priority"]
