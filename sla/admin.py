"""The admin edits calendars and targets; bad ones are refused with a message, and a
saved calendar moves the dues of the tickets that count by it. A contract's targets and
calendar are edited here or on the contract's own page; saving them moves the dues of
its organisations' open tickets. Saving or deleting a general target moves the open
tickets of its priority (and category and kind, if it names them).

The save commits the change and records the recompute (recomputing.queue); a job moves
the tickets afterwards, a batch at a time, and the admin is told how many it concerns.
The list of recomputes shows how far each went."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.admin import ContractAdmin as TicketsContractAdmin
from tickets.models import Contract

from . import clocks, recomputing, worktime
from .models import (
    DUPLICATE_TARGET,
    Calendar,
    CategoryCalendar,
    ContractCalendar,
    Holiday,
    Recompute,
    Target,
    WorkingHours,
)


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


def _recompute(request, modeladmin, **which) -> None:
    """Leave the dues of the tickets `which` (recomputing.queue's arguments) to a job
    that runs after this save commits, and say how many tickets it concerns: with tens
    of thousands of them this request would take minutes."""
    job = recomputing.queue(**which)
    if job.tickets:
        modeladmin.message_user(
            request,
            ngettext(
                "Open tickets' due times are being recomputed (%(count)d ticket).",
                "Open tickets' due times are being recomputed (%(count)d tickets).",
                job.tickets,
            )
            % {"count": job.tickets},
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
            _recompute(request, self, calendar_ids=ids)


@admin.register(Recompute)
class RecomputeAdmin(admin.ModelAdmin):
    """The recomputes the saves here left to the job, and how far each went: read only."""

    list_display = ["created_at", "tickets", "moved", "started", "finished_at"]
    fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CategoryCalendar)
class CategoryCalendarAdmin(admin.ModelAdmin):
    list_display = ["category", "calendar"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recompute(request, self, category_ids=[obj.category_id])

    def delete_model(self, request, obj):
        category_id = obj.category_id
        super().delete_model(request, obj)
        _recompute(request, self, category_ids=[category_id])


def _contract_recomputed(request, modeladmin, contract_ids) -> None:
    """A contract's service levels changed: its organisations' open tickets take the
    calendar and targets that now apply, from their filing on."""
    organisations = clocks.organisations_under({pk for pk in contract_ids if pk is not None})
    _organisations_recomputed(request, modeladmin, organisations)


def _organisations_recomputed(request, modeladmin, organisations) -> None:
    """The open tickets of `organisations` take the calendar and targets that now
    apply; those without clocks yet (no target applied before) start theirs."""
    if organisations:
        _recompute(request, modeladmin, organisation_ids=organisations, targets=True)


class ContractLevelsAdmin(admin.ModelAdmin):
    """A row that may belong to a contract (its calendar, a target): saving or deleting
    it moves the open tickets of the contract it belonged to and now belongs to."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _contract_recomputed(request, self, [obj.contract_id, form.initial.get("contract")])

    def delete_model(self, request, obj):
        contract_id = obj.contract_id
        super().delete_model(request, obj)
        _contract_recomputed(request, self, [contract_id])

    def delete_queryset(self, request, queryset):
        contract_ids = list(queryset.values_list("contract_id", flat=True))
        super().delete_queryset(request, queryset)
        _contract_recomputed(request, self, contract_ids)


@admin.register(ContractCalendar)
class ContractCalendarAdmin(ContractLevelsAdmin):
    list_display = ["contract", "calendar"]
    autocomplete_fields = ["contract"]


@admin.register(Target)
class TargetAdmin(ContractLevelsAdmin):
    list_display = [
        "priority",
        "contract",
        "category",
        "kind",
        "first_response_minutes",
        "resolution_minutes",
    ]
    list_filter = ["priority"]
    list_select_related = ["contract__customer", "category", "kind"]
    autocomplete_fields = ["contract"]

    # A general target (no contract) reaches the tickets of its priority, and of its
    # category and kind where it names them; a contract's, its contract's tickets.
    SCOPE = ("contract", "priority", "category", "kind")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        before = tuple(form.initial.get(name) for name in self.SCOPE)
        after = (obj.contract_id, obj.priority, obj.category_id, obj.kind_id)
        _general_recomputed(request, self, [before, after] if change else [after])

    def delete_model(self, request, obj):
        scope = (obj.contract_id, obj.priority, obj.category_id, obj.kind_id)
        super().delete_model(request, obj)
        _general_recomputed(request, self, [scope])

    def delete_queryset(self, request, queryset):
        scopes = list(queryset.values_list("contract_id", "priority", "category_id", "kind_id"))
        super().delete_queryset(request, queryset)
        _general_recomputed(request, self, scopes)


def _general_recomputed(request, modeladmin, scopes) -> None:
    """General targets of `scopes` ((contract id, priority, category id, kind id) rows;
    those of a contract are left to its own path) changed: the open tickets they
    reached or now reach take the targets that apply."""
    reach = [
        (priority, category, kind) for contract, priority, category, kind in scopes if not contract
    ]
    if reach:
        _recompute(request, modeladmin, reach=reach, targets=True)


class TargetFormSet(forms.BaseInlineFormSet):
    """A contract's targets compared with each other (the database cannot: NULLs are
    distinct in its unique constraint)."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            row = form.cleaned_data
            if not row or row.get("DELETE") or not row.get("priority"):
                continue
            key = (row["priority"], row.get("category"), row.get("kind"))
            if key in seen:
                raise forms.ValidationError(DUPLICATE_TARGET)
            seen.add(key)


class ContractTargetInline(admin.TabularInline):
    model = Target
    formset = TargetFormSet
    fields = ["priority", "category", "kind", "first_response_minutes", "resolution_minutes"]
    extra = 0


class ContractCalendarInline(admin.TabularInline):
    model = ContractCalendar
    extra = 0


admin.site.unregister(Contract)


@admin.register(Contract)
class ContractAdmin(TicketsContractAdmin):
    """The contract's page, with its service levels: its calendar and its targets."""

    inlines = [*TicketsContractAdmin.inlines, ContractCalendarInline, ContractTargetInline]
    # What decides whose tickets the contract's service levels reach (the number too:
    # of an organisation's contracts, the lowest number's apply).
    REACH = {"customer", "organisations", "is_active", "number"}

    def save_related(self, request, form, formsets, change):
        # The organisations reached before this save (the contract's row is saved
        # already, its organisations not yet): those that left it move too.
        before = clocks.organisations_under([form.instance.pk])
        if form.initial.get("customer") is not None:
            before.add(form.initial["customer"])
        super().save_related(request, form, formsets, change)
        if self.REACH & set(form.changed_data) or any(f.has_changed() for f in formsets):
            after = clocks.organisations_under([form.instance.pk])
            _organisations_recomputed(request, self, before | after)

    def delete_model(self, request, obj):
        reached = clocks.organisations_under([obj.pk])
        super().delete_model(request, obj)
        _organisations_recomputed(request, self, reached)

    def delete_queryset(self, request, queryset):
        reached = clocks.organisations_under(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)
        _organisations_recomputed(request, self, reached)
