from django.contrib import admin

from .models import (
    Attachment,
    Component,
    Contract,
    CustomField,
    ParentRecord,
    Product,
    SavedSearch,
    Ticket,
    TicketEvent,
    TicketKind,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ["created_at", "actor", "kind", "note", "internal"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "internal", "created_at"]
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Tickets change through the site's actions, which log them; here they are read."""

    list_display = ["id", "subject", "organisation", "category", "priority", "status", "created_at"]
    list_filter = ["status", "priority", "category", "kind", "channel"]
    search_fields = ["subject", "organisation__name", "requester__username"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation", "category"]
    show_full_result_count = False
    inlines = [EventInline, AttachmentInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    """The action log is append-only: nobody edits or deletes it, not even here."""

    list_display = ["created_at", "ticket", "kind", "actor", "internal"]
    list_filter = ["kind", "internal"]
    list_select_related = ["ticket", "actor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TicketKind)
class TicketKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scope", "needs_contract", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "team", "query", "created_at"]
    list_select_related = ["owner", "team"]
    raw_id_fields = ["owner"]
    search_fields = ["name", "owner__username"]


@admin.register(ParentRecord)
class ParentRecordAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "organisation", "authority", "reviewer"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "organisation__name"]
    raw_id_fields = ["organisation", "reviewer"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "is_active"]
    search_fields = ["number", "customer__name"]
    raw_id_fields = ["customer"]
    filter_horizontal = ["organisations", "kinds", "products"]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 1


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [ComponentInline]


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    """An admin adds fields to a category's form; the key stays as first saved, so that
    no stored value is lost when the label, choices or requirement change."""

    list_display = ["label", "key", "category", "kind", "contract", "type", "required", "is_active"]
    list_filter = ["category", "type", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []
