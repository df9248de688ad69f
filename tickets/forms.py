import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from categories.models import Category

from . import services, uploads
from .models import Channel, Priority, TicketKind

DESCRIPTION_MAX_LENGTH = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, at most HELPDESK_MAX_FILES_PER_REQUEST. Each is
    judged later by `uploads.inspect`, so that a refused file never costs the ticket or
    the other files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [upload for upload in files if upload]
        if len(files) > settings.HELPDESK_MAX_FILES_PER_REQUEST:
            raise forms.ValidationError(uploads.too_many_files(), code="too_many_files")
        return files


CHOOSE_FILES_AGAIN = _(
    "The form could not be sent, and a browser does not keep chosen files: choose your "
    "documents again before you send it."
)


class ChosenFilesNotKept:
    """A form that comes back with an error says plainly, next to the file field, that
    the files chosen must be chosen again (browsers empty a file field on reload)."""

    files_field = "attachments"

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors or self.files_field not in self.fields:
            return
        chosen = self.files.getlist(self.files_field) if hasattr(self.files, "getlist") else []
        if any(chosen):
            self.add_error(self.files_field, forms.ValidationError(CHOOSE_FILES_AGAIN))


class TicketForm(ChosenFilesNotKept, forms.Form):
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
    # A fresh token per form: a second submit of the same form files nothing more.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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
                label=_("Channel"),
                # A person at the form is not a program calling the API.
                choices=[(value, name) for value, name in Channel.choices if value != Channel.API],
                initial=Channel.PHONE,
            )
        self.fields["subject"].widget.attrs["autofocus"] = True
        self.fields["submission"].initial = uuid.uuid4

    def clean(self):
        cleaned = super().clean()
        # Filing for oneself on this form is the web channel; the channel chosen
        # applies only to a ticket filed for someone else.
        requester = cleaned.get("requester")
        if requester is None or requester == self.user:
            cleaned["requester"], cleaned["channel"] = None, Channel.WEB
        return cleaned


class UploadForm(forms.Form):
    attachments = MultipleFileField(label=_("Documents"))


def _text(label, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ResolveForm(forms.Form):
    explanation = _text(_("Explanation"), help_text=_("What was done; the requester reads this."))


class ReplyForm(ChosenFilesNotKept, forms.Form):
    body = _text(_("Message"))
    attachments = MultipleFileField(label=_("Documents"))
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, can_note: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4
        if can_note:
            self.fields["internal"] = forms.BooleanField(
                label=_("Internal note (never shown to the requester)"), required=False
            )


class RequestInfoForm(forms.Form):
    body = _text(_("What information is needed?"), rows=3)


class ReopenForm(forms.Form):
    body = _text(_("Why is it not solved?"), rows=3)


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button says it all."""


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class RedirectForm(forms.Form):
    category = forms.ModelChoiceField(label=_("New category"), queryset=Category.objects.none())
    body = _text(_("Reason"), required=False, rows=2)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).exclude(
            pk=ticket.category_id
        )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)

    def __init__(self, *args, ticket, user, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = services.assignable(ticket)
        if user.is_supervisor:
            candidates = candidates | get_user_model().objects.filter(pk=user.pk)
        self.fields["assignee"].queryset = candidates.distinct()
        self.fields["assignee"].label_from_instance = lambda person: person.display_name()
