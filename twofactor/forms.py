from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.calendars import latin_digits


def normalise_code(value: str) -> str:
    """What people type around a code: spaces, dashes, capitals, Persian digits."""
    return latin_digits("".join(value.split()).replace("-", "").lower())


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            _("The 6-digit code your authenticator app shows, or one of your recovery codes.")
            if recovery
            else _("The 6-digit code your authenticator app shows.")
        )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not (code.isascii() and code.isalnum()):
            raise ValidationError(_("A code has only letters and digits."), code="invalid")
        return code


class TurnOffForm(forms.Form):
    """Turning two-factor sign-in off asks for the password or a current code."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("or a code from your app"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("password") and not cleaned.get("code"):
            raise ValidationError(
                _("Type your password or a code from your app to turn two-factor sign-in off."),
                code="required",
            )
        return cleaned
