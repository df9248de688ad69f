from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

from .models import Category


class TeamFilter(admin.SimpleListFilter):
    """A category with no active responsible swallows its tickets (only supervisors
    hear of them): the admin finds such categories here."""

    title = _("team")
    parameter_name = "team"

    def lookups(self, request, model_admin):
        return [("none", _("No responsibles")), ("some", _("Has responsibles"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(active_team=0)
        if self.value() == "some":
            return queryset.filter(active_team__gt=0)
        return queryset


def team_candidates():
    """Who may be on a category's team: active staff and supervisors, never a member."""
    return (
        get_user_model()
        .objects.filter(Q(role__in=[Role.STAFF, Role.SUPERVISOR]) | Q(is_superuser=True))
        .filter(is_active=True)
        .order_by("username")
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "has_team", "team"]
    list_filter = ["is_active", TeamFilter]
    search_fields = ["name"]
    filter_horizontal = ["responsibles"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("responsibles")
            .annotate(active_team=Count("responsibles", filter=Q(responsibles__is_active=True)))
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "responsibles":
            kwargs["queryset"] = team_candidates()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("has responsibles"), boolean=True, ordering="active_team")
    def has_team(self, obj):
        return obj.active_team > 0

    @admin.display(description=Category._meta.get_field("responsibles").verbose_name)
    def team(self, obj):
        return ", ".join(user.username for user in obj.responsibles.all())
