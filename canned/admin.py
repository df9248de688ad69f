from django.contrib import admin

from .models import CannedReply


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "language", "action", "updated_at"]
    list_filter = ["category", "language", "action"]
    search_fields = ["title", "body"]
    list_select_related = ["category"]
    readonly_fields = ["created_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
