"""Dates in the calendar of the page's language: Solar Hijri in Persian, Gregorian elsewhere.

Showing: `format_datetime` is what the `when` template filter prints. Reading:
`CalendarDateField` (and `CalendarDateFilter` for django-filter) accepts a date typed in
the calendar the page shows, with Latin, Persian or Arabic-Indic digits, and answers a
date it cannot read with a message that shows what it expects.
"""

import datetime
import functools
import re
from collections.abc import Callable

import django_filters
import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, formats, timezone, translation
from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext_lazy as _

SOLAR_HIJRI_LANGUAGES = {"fa"}

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN_DIGITS + _ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN_DIGITS)

# Year, month and day in that order, as Persian and ISO dates are written.
_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")

# The list filters only make sense in these years (the filter methods ignore others).
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(9000, 1, 1)
# Solar Hijri 1279 begins in 1900; a year from 1900 on is taken as Gregorian, so that
# the ISO dates of links and scripts (`created_from=2019-02-18`) work in Persian too.
_FIRST_SOLAR_HIJRI_YEAR = 1279
_FIRST_GREGORIAN_YEAR = 1900
# A "Gregorian" year in this range was almost surely typed in the Solar Hijri calendar.
_LIKELY_SOLAR_HIJRI_YEARS = range(1200, 1600)

_EXAMPLE = datetime.date(2019, 2, 18)
# 8 Bahman 1401 (28 January 2023), the example Persian users see.
_EXAMPLE_SOLAR_HIJRI = datetime.date(2023, 1, 28)


def uses_solar_hijri(language: str | None = None) -> bool:
    language = language or translation.get_language() or ""
    return language.split("-")[0].lower() in SOLAR_HIJRI_LANGUAGES


def persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN)


def latin_digits(text: str) -> str:
    return text.translate(_TO_LATIN)


def format_datetime(value: datetime.date | datetime.datetime) -> str:
    """A date (and time) in the user's time zone, language and calendar."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if uses_solar_hijri():
            day = jdatetime.datetime.fromgregorian(datetime=value)
            return persian_digits(
                f"{day.day} {day.j_months_fa[day.month - 1]} {day.year} {day:%H:%M}"
            )
        return _gregorian(value, "SHORT_DATETIME_FORMAT")
    if uses_solar_hijri():
        day = jdatetime.date.fromgregorian(date=value)
        return persian_digits(f"{day.day} {day.j_months_fa[day.month - 1]} {day.year}")
    return _gregorian(value, "SHORT_DATE_FORMAT")


def _gregorian(value: datetime.date, format_name: str) -> str:
    """As `formats.date_format` writes it, without dateformat where the format allows."""
    pattern = formats.get_format(format_name)
    write = _writer(pattern, translation.get_language())
    return write(value) if write else dateformat.format(value, pattern)


# Django's date format characters written here as dateformat writes them: each as a
# str.format field of the value `v`, or of its month's abbreviated name `N` ("Feb.").
_FIELDS = {
    "d": "{v.day:02d}",
    "j": "{v.day}",
    "m": "{v.month:02d}",
    "n": "{v.month}",
    "Y": "{v.year:04d}",
    "H": "{v.hour:02d}",
    "i": "{v.minute:02d}",
    "N": "{N}",
}


@functools.cache
def _writer(pattern: str, language: str | None) -> Callable[[datetime.date], str] | None:
    """What writes a date as `pattern` ("d.m.Y H:i", "N j, Y, H:i") when it holds only
    those characters and punctuation, else None (other names, escapes: dateformat's
    job). Kept per language, whose month names it reads once: dateformat looked up
    every character of the pattern for every date, a list's most costly cell."""
    template = []
    for char in pattern:
        if char in _FIELDS:
            template.append(_FIELDS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            template.append(char.replace("{", "{{").replace("}", "}}"))
    text = "".join(template)
    if "{N}" in text:
        names = {number: str(name) for number, name in MONTHS_AP.items()}
        return lambda value: text.format(v=value, N=names[value.month])
    return lambda value: text.format(v=value)


def datetime_formatter() -> Callable[[datetime.datetime], str]:
    """`format_datetime` for many values (a list page shows a hundred): the language,
    time zone and format looked up once rather than for each value, and the format
    written without dateformat where it can (a fifth of its time)."""
    if uses_solar_hijri():
        return format_datetime
    pattern = formats.get_format("SHORT_DATETIME_FORMAT")
    write = _writer(pattern, translation.get_language())
    zone = timezone.get_current_timezone()

    def format_one(value: datetime.datetime) -> str:
        if not isinstance(value, datetime.datetime):
            return format_datetime(value)
        if timezone.is_aware(value):
            value = value.astimezone(zone)
        return write(value) if write else dateformat.format(value, pattern)

    return format_one


def format_input(value: datetime.date) -> str:
    """A date as typed into a date filter: 1401/11/08 in Persian digits, else ISO."""
    if uses_solar_hijri():
        day = jdatetime.date.fromgregorian(date=value)
        return persian_digits(f"{day.year:04d}/{day.month:02d}/{day.day:02d}")
    return value.isoformat()


class CalendarDateInput(forms.DateInput):
    """The browser's date picker where it shows the page's calendar; in Persian, whose
    Solar Hijri calendar browsers do not offer, a text box with an example."""

    input_type = "date"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if uses_solar_hijri():
            widget = context["widget"]
            widget["type"] = "text"
            widget["attrs"].setdefault("placeholder", format_input(_EXAMPLE_SOLAR_HIJRI))
            widget["attrs"].setdefault("autocomplete", "off")
        return context

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_input(value)
        return value


class CalendarDateField(forms.DateField):
    """A date typed in the page's calendar; an unreadable one gets a message, never a 500."""

    widget = CalendarDateInput
    default_error_messages = {
        "invalid": _("Enter a date such as %(example)s."),
        "invalid_solar_hijri": _("Enter a Solar Hijri date such as %(example)s."),
        "solar_hijri_elsewhere": _(
            "This looks like a Solar Hijri date; enter a Gregorian date such as %(example)s."
        ),
    }

    # The hint names the calendar only where it is not the one people expect: Persian.
    @property
    def help_text(self):
        if uses_solar_hijri():
            return _("Solar Hijri calendar, e.g. %(example)s") % {
                "example": format_input(_EXAMPLE_SOLAR_HIJRI)
            }
        return self._help_text

    @help_text.setter
    def help_text(self, value):
        self._help_text = value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = latin_digits(str(value)).strip()
        if not text:
            return None
        if len(text) > 32:
            raise self._invalid()
        if uses_solar_hijri():
            return self._solar_hijri(text)
        return self._gregorian(text)

    def _solar_hijri(self, text: str) -> datetime.date:
        match = _YEAR_FIRST.fullmatch(text)
        if not match:
            raise self._invalid()
        year, month, day = (int(part) for part in match.groups())
        try:
            if year >= _FIRST_GREGORIAN_YEAR:
                value = datetime.date(year, month, day)
            elif year >= _FIRST_SOLAR_HIJRI_YEAR:
                value = jdatetime.date(year, month, day).togregorian()
            else:
                raise ValueError(year)
        except ValueError:
            raise self._invalid() from None
        return self._in_range(value)

    def _gregorian(self, text: str) -> datetime.date:
        match = _YEAR_FIRST.fullmatch(text)
        if match and int(match.group(1)) in _LIKELY_SOLAR_HIJRI_YEARS:
            raise ValidationError(
                self.error_messages["solar_hijri_elsewhere"],
                code="solar_hijri_elsewhere",
                params={"example": _example()},
            )
        try:
            value = super().to_python(text)
        except ValidationError:
            raise self._invalid() from None
        return self._in_range(value)

    def _in_range(self, value: datetime.date) -> datetime.date:
        if not EARLIEST <= value <= LATEST:
            raise self._invalid()
        return value

    def _invalid(self) -> ValidationError:
        code = "invalid_solar_hijri" if uses_solar_hijri() else "invalid"
        return ValidationError(self.error_messages[code], code=code, params={"example": _example()})


class CalendarDateFilter(django_filters.DateFilter):
    field_class = CalendarDateField


def _example() -> str:
    if uses_solar_hijri():
        return format_input(_EXAMPLE_SOLAR_HIJRI)
    return formats.localize_input(_EXAMPLE, formats.get_format("DATE_INPUT_FORMATS")[0])
