from django.contrib import admin

from .models import Export


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "state", "rows_done", "rows_total", "finished_at")
    list_filter = ("state",)
    readonly_fields = [field.name for field in Export._meta.fields]

    def has_add_permission(self, request):
        return False
