from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User


class PrivacyUserAdmin(UserAdmin):
    """The users' admin, with a person's export among its actions: it opens the
    supervisors' page."""

    actions = ["export_personal_data"]

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


admin.site.unregister(User)
admin.site.register(User, PrivacyUserAdmin)
