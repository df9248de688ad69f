from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from categories.selectors import ticket_handlers

from . import services
from .models import Organisation, RegistrationRequest, RegistrationStatus, User
from .phones import national


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "parent",
        "city",
        "tax_number",
        "email",
        "phone_number",
        "member_count",
    ]
    list_filter = ["kind", "city", "tax_scheme"]
    search_fields = ["name", "tax_number", "city"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(member_total=Count("members"))
        )

    def get_search_results(self, request, queryset, search_term):
        # "INEGOL" finds "İnegöl": the folded name is searched too.
        results, duplicates = super().get_search_results(request, queryset, search_term)
        key = Organisation.key_for(search_term)
        if key:
            results |= queryset.filter(name_key__contains=key)
        return results, duplicates

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    @admin.display(description=_("phone"), ordering="phone")
    def phone_number(self, obj):
        return national(obj.phone)


class UserForm(UserChangeForm):
    team_categories = forms.ModelMultipleChoiceField(
        label=_("teams"),
        queryset=Category.objects.all(),
        required=False,
        widget=FilteredSelectMultiple(_("categories"), is_stacked=False),
        help_text=_("The categories whose tickets this user reads and resolves."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["team_categories"] = list(
                self.instance.team_categories.values_list("pk", flat=True)
            )


class HandlesTicketsFilter(admin.SimpleListFilter):
    """Responsibles and supervisors, as `handles_tickets` counts them."""

    title = _("handles tickets")
    parameter_name = "handles_tickets"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        handlers = ticket_handlers().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=handlers)
        if self.value() == "no":
            return queryset.exclude(pk__in=handlers)
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserForm
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "teams",
        "is_active",
    ]
    list_filter = [
        "role",
        HandlesTicketsFilter,
        "is_active",
        "is_staff",
        "registration__status",
        "organisation__kind",
        "team_categories",
    ]
    search_fields = ["username", "email", "first_name", "last_name", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Helpdesk"),
            {"fields": ["organisation", "role", "team_categories", "phone", "language"]},
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Helpdesk"), {"fields": ["email", "organisation", "role"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("team_categories")

    @admin.display(description=_("teams"))
    def teams(self, obj):
        return ", ".join(str(category) for category in obj.team_categories.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "team_categories" in form.cleaned_data:
            form.instance.team_categories.set(form.cleaned_data["team_categories"])


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Sent to each applicant by e-mail, and shown when they try to sign in."),
    )


class RegistrationStatusFilter(admin.SimpleListFilter):
    """Opens on the applications waiting for approval: the admin's work; "All" shows
    the decided ones too."""

    title = _("status")
    parameter_name = "status"
    EVERY = "all"

    def lookups(self, request, model_admin):
        return RegistrationStatus.choices

    def value(self):
        return super().value() or RegistrationStatus.PENDING

    def queryset(self, request, queryset):
        if self.value() == self.EVERY:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        yield {
            "selected": self.value() == self.EVERY,
            "query_string": changelist.get_query_string({self.parameter_name: self.EVERY}),
            "display": _("All"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "full_name",
        "email",
        "applied_for",
        "status",
        "created_at",
        "decided_at",
    ]
    list_filter = [RegistrationStatusFilter, "created_at"]
    search_fields = [
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "organisation__name",
        "proposed_name",
    ]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation", "proposed_parent"]
    readonly_fields = [
        "user",
        "full_name",
        "email",
        "phone",
        "status",
        "reason",
        "language",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["user", "full_name", "email", "phone", "status", "created_at"]},
        ),
        (
            _("Organisation"),
            {
                "fields": [
                    "organisation",
                    "proposed_name",
                    "proposed_kind",
                    "proposed_tax_scheme",
                    "proposed_tax_number",
                    "proposed_parent",
                ],
                "description": _(
                    "A proposed organisation is created when the application is approved. "
                    "If it is in the directory after all, choose it as the organisation."
                ),
            },
        ),
        (_("Decision"), {"fields": ["decided_at", "decided_by", "reason", "language"]}),
    ]
    actions = ["approve_selected", "refuse_selected"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("phone"))
    def phone(self, obj):
        return national(obj.user.phone)

    @admin.display(description=_("organisation"))
    def applied_for(self, obj):
        if obj.organisation_id:
            return obj.organisation.name
        return gettext("%(name)s (new)") % {"name": obj.proposed_name}

    def _base_url(self, request):
        return request.build_absolute_uri("/").rstrip("/")

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        done = 0
        for registration in queryset.select_related("user"):
            try:
                services.approve(registration, by=request.user, base_url=self._base_url(request))
            except services.RegistrationError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application approved; the applicant was told by e-mail.",
                    "%(count)d applications approved; the applicants were told by e-mail.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Refuse the selected applications…"), permissions=["change"])
    def refuse_selected(self, request, queryset):
        form = RefusalForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for registration in queryset.select_related("user"):
                try:
                    services.refuse(
                        registration,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                        base_url=self._base_url(request),
                    )
                except services.RegistrationError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d application refused; the applicant was told why by e-mail.",
                        "%(count)d applications refused; the applicants were told why by e-mail.",
                        done,
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Refuse applications"),
            "opts": self.model._meta,
            "form": form,
            "registrations": queryset.select_related("user"),
            "pending": RegistrationStatus.PENDING,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "accounts/admin/refuse.html", context)
