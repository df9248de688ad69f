from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from categories.models import Category

from .models import Channel, Priority, TicketKind

DESCRIPTION_MAX_LENGTH = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field. Each is judged later by `uploads.inspect`, so that
    a refused file never costs the ticket or the other files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [upload for upload in files if upload]


class TicketForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        queryset=TicketKind.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=None,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Documents"))

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["requester"] = forms.ModelChoiceField(
                label=_("Requester"),
                queryset=get_user_model()
                .objects.filter(is_active=True, organisation__isnull=False)
                .select_related("organisation")
                .order_by("organisation__name", "username"),
                required=False,
                help_text=_("Leave empty to file the ticket for yourself."),
            )
            self.fields["requester"].label_from_instance = lambda user: (
                f"{user.display_name()} ({user.organisation})"
            )
            self.fields["channel"] = forms.ChoiceField(
                label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE
            )
        self.fields["subject"].widget.attrs["autofocus"] = True


class UploadForm(forms.Form):
    attachments = MultipleFileField(label=_("Documents"))


class ResolveForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done; the requester reads this."),
    )
