"""Phone numbers: parsed with `phonenumbers`, stored in E.164, shown in national format.

A number typed without a country code is read in the organisation's country (the country
of its tax number: TR, RU or IR), else in the site's (HELPDESK_PHONE_REGION, Turkish).
"""

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

INVALID = _("Enter a valid phone number, e.g. 0224 123 45 67 or +90 224 123 45 67.")


def region() -> str:
    return getattr(settings, "HELPDESK_PHONE_REGION", "TR")


def region_of(organisation) -> str:
    """Where the organisation's people dial from: its tax number's country, else the site's."""
    scheme = getattr(organisation, "tax_scheme", "")
    return scheme.upper() if scheme else region()


def example(country: str) -> str:
    """A mobile number of `country` as people write it with its code ("+7 912 345-67-89")."""
    number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        return "+90 501 234 56 78"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# How static/js/phone-mask.js writes a country's numbers as they are typed: "_" is a
# digit of the national number, what comes before the first is the country code.
MASKS = {"TR": "+90 (___) ___ __ __", "RU": "+7 (___) ___-__-__", "IR": "+98 ___ ___ ____"}


def input_attrs(country: str) -> dict:
    """The attributes of an input for a number of `country`: the phone keyboard, the
    browser's autofill, and the mask where there is one (without script, any form does)."""
    attrs = {"type": "tel", "inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}
    mask = MASKS.get(country)
    if mask is None:
        return {**attrs, "placeholder": example(country)}
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    return {
        **attrs,
        "placeholder": mask,
        "data-phone-mask": mask,
        # Dialled at home before the national number ("8" in Russia, "0" in Turkey).
        "data-phone-trunk": metadata.national_prefix or "",
    }


def to_e164(value: str, country: str | None = None) -> str:
    """The number in E.164 ("+902241234567"), one typed without its code read in `country`
    (the site's by default); empty stays empty; raises ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    if country is None:
        message = INVALID
    else:
        message = gettext("Enter a valid phone number, e.g. %(example)s.") % {
            "example": example(country)
        }
    try:
        number = phonenumbers.parse(value, country or region())
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")
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
        self.country = None  # where a number without its code is dialled; None: the site's
        super().__init__(**kwargs)

    def read_in(self, country: str) -> None:
        """Read a number without its country code in `country`, and mask it as there."""
        self.country = country
        self.widget.attrs.update(input_attrs(country))

    def to_python(self, value):
        return to_e164(super().to_python(value), self.country)

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
