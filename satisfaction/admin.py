from django.contrib import admin

from .models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-only: answers are the requester's, not the staff's."""

    list_display = ["ticket", "rating", "answered_at"]
    list_filter = ["rating"]
    readonly_fields = [f.name for f in Survey._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
