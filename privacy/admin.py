from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User

from .models import AnonymisedTicket, Erasure


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what was done: read here, written only by the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["person", "by", "source", "redacted_text", "tickets", "created_at"]
    list_filter = ["source", "redacted_text"]
    list_select_related = ["person", "by"]


@admin.register(AnonymisedTicket)
class AnonymisedTicketAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "created_at"]


class PrivacyUserAdmin(UserAdmin):
    """The users' admin, with a person's export and erasure among its actions; they
    open the supervisors' pages, which ask for confirmation."""

    actions = ["export_personal_data", "erase_personal_data"]

    def has_privacy_permission(self, request):
        return request.user.is_supervisor

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select one person."), messages.WARNING)
            return None
        return queryset.get()

    @admin.action(description=_("Export the personal data"), permissions=["privacy"])
    def export_personal_data(self, request, queryset):
        if person := self._one(request, queryset):
            return redirect("privacy:person_export", pk=person.pk)
        return None

    @admin.action(description=_("Erase the personal data…"), permissions=["privacy"])
    def erase_personal_data(self, request, queryset):
        if person := self._one(request, queryset):
            return redirect("privacy:person_erase", pk=person.pk)
        return None


admin.site.unregister(User)
admin.site.register(User, PrivacyUserAdmin)
