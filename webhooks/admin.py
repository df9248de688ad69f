from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import clean_url
from .models import Attempt, Delivery, EventType, Webhook


class WebhookAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["owner", "name", "url", "secret", "events", "categories", "organisation"]
        fields += ["is_active"]

    def clean_url(self):
        return clean_url(self.cleaned_data["url"])


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookAdminForm
    list_display = ["name", "owner", "url", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url", "owner__username"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["categories"]
    readonly_fields = ["consecutive_failures", "disabled_at", "created_at"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["at", "response_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    inlines = [AttemptInline]
    list_display = ["created_at", "webhook", "event", "ticket_id", "state", "response_code"]
    list_filter = ["state", "event", "webhook"]
    list_select_related = ["webhook"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
