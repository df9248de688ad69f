"""Phone numbers: parsed with `phonenumbers`, stored in E.164, shown in national format.

A number typed without a country code is read as Turkish (HELPDESK_PHONE_REGION).
"""

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

INVALID = _("Enter a valid phone number, e.g. 0224 123 45 67 or +90 224 123 45 67.")


def region() -> str:
    return getattr(settings, "HELPDESK_PHONE_REGION", "TR")


def to_e164(value: str) -> str:
    """The number in E.164 ("+902241234567"); empty stays empty; raises ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region())
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(value: str) -> str:
    """How people write the number at home ("0224 123 45 67"); foreign ones in full."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region())
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(number) == region():
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_python(self, value):
        return to_e164(super().to_python(value))

    def prepare_value(self, value):
        # A stored number is edited in the national format; a rejected one as typed.
        if isinstance(value, str) and value.startswith("+"):
            return national(value)
        return value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "type": "tel", "autocomplete": "tel"}


class PhoneNumberField(models.CharField):
    """A CharField that accepts any written form of a number and keeps its E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return to_e164(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
