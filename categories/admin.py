from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "team"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["responsibles"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsibles")

    @admin.display(description=Category._meta.get_field("responsibles").verbose_name)
    def team(self, obj):
        return ", ".join(user.username for user in obj.responsibles.all())
