"""Dates in each language's format, Persian in the Solar Hijri calendar, both ways."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import formats, timezone, translation

from common.calendars import CalendarDateField, _writer, datetime_formatter
from common.templatetags.dates import when

# 28 January 2023 11:25 in Istanbul (UTC+3) is 8 Bahman 1401.
BAHMAN_8 = datetime.datetime(2023, 1, 28, 8, 25, tzinfo=datetime.UTC)
FEBRUARY_18 = datetime.datetime(2019, 2, 18, 8, 25, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "language, value, expected",
    [
        ("tr", FEBRUARY_18, "18.02.2019 11:25"),
        ("ru", FEBRUARY_18, "18.02.2019 11:25"),
        ("en", FEBRUARY_18, "Feb. 18, 2019, 11:25"),
        ("fa", BAHMAN_8, "۸ بهمن ۱۴۰۱ ۱۱:۲۵"),
        ("fa", FEBRUARY_18, "۲۹ بهمن ۱۳۹۷ ۱۱:۲۵"),
        ("tr", FEBRUARY_18.date(), "18.02.2019"),
        ("fa", BAHMAN_8.date(), "۸ بهمن ۱۴۰۱"),
    ],
)
def test_when_shows_each_languages_format_and_calendar(language, value, expected):
    with translation.override(language):
        assert when(value) == expected


@pytest.mark.parametrize("language", ["tr", "ru", "en", "fa"])
def test_a_lists_dates_read_as_when_shows_them(language, settings):
    # The list formats a page of dates at once (datetime_formatter), by strftime where
    # the language's format allows: the same text as one date at a time.
    values = [FEBRUARY_18, BAHMAN_8, datetime.datetime(2024, 12, 31, 21, 5, tzinfo=datetime.UTC)]
    with translation.override(language):
        formatter = datetime_formatter()
        assert [formatter(value) for value in values] == [when(value) for value in values]


# Every month (its name in English), a day and an hour of one digit, the year's last minute.
EVERY_MONTH = [datetime.datetime(2024, m, 5, 6, 7, tzinfo=datetime.UTC) for m in range(1, 13)]
EVERY_MONTH += [FEBRUARY_18, datetime.datetime(2024, 12, 31, 21, 5, tzinfo=datetime.UTC)]


@pytest.mark.parametrize("language", ["tr", "ru", "en"])
def test_a_gregorian_date_reads_as_djangos_own_format_writes_it(language):
    # `when` and the list write their formats without dateformat: the same text.
    with translation.override(language):
        formatter = datetime_formatter()
        for value in EVERY_MONTH:
            local = timezone.localtime(value)
            expected = formats.date_format(local, "SHORT_DATETIME_FORMAT")
            assert when(value) == expected
            assert formatter(value) == expected
            assert when(local.date()) == formats.date_format(local.date(), "SHORT_DATE_FORMAT")


def test_a_format_with_other_names_or_escapes_is_left_to_django():
    september = datetime.datetime(2024, 9, 5, 6, 7, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert _writer("N j, Y, H:i", "en")(september) == "Sept. 5, 2024, 06:07"
        assert _writer("d.m.Y {H}", "en")(september) == "05.09.2024 {06}"
        assert _writer("F j, Y", "en") is None  # the full name: not written here
        assert _writer("d \\d\\e m", "en") is None


def test_when_shows_a_dash_for_no_date():
    assert when(None) == "—"


def test_when_shows_the_deployments_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tehran"  # UTC+3:30

    with translation.override("fa"), timezone.override("Asia/Tehran"):
        assert when(BAHMAN_8) == "۸ بهمن ۱۴۰۱ ۱۱:۵۵"


def test_templates_get_when_without_loading_it():
    with translation.override("fa"):
        html = Template("{{ value|when }}").render(Context({"value": BAHMAN_8}))

    assert html == "۸ بهمن ۱۴۰۱ ۱۱:۲۵"


@pytest.mark.parametrize(
    "typed",
    [
        "1401-11-08",
        "1401/11/08",
        "1401/11/8",
        " 1401-11-08 ",
        "۱۴۰۱-۱۱-۰۸",
        "۱۴۰۱/۱۱/۰۸",
        "١٤٠١/١١/٠٨",
    ],
)
def test_a_persian_date_filter_reads_solar_hijri_dates(typed):
    with translation.override("fa"):
        assert CalendarDateField().clean(typed) == datetime.date(2023, 1, 28)


def test_a_persian_date_filter_still_reads_iso_dates_from_links_and_scripts():
    with translation.override("fa"):
        assert CalendarDateField().clean("2023-01-28") == datetime.date(2023, 1, 28)


@pytest.mark.parametrize(
    "typed",
    ["1401-12-30", "1401-13-01", "1401-00-10", "28.01.2023", "۸ بهمن ۱۴۰۱", "1200-01-01", "x" * 40],
)
def test_a_persian_date_that_does_not_exist_gets_a_message_with_an_example(typed):
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        CalendarDateField().clean(typed)

    assert error.value.code == "invalid_solar_hijri"
    assert "۱۴۰۱/۱۱/۰۸" in error.value.messages[0]


def test_a_solar_hijri_leap_day_is_a_date():
    with translation.override("fa"):
        assert CalendarDateField().clean("1403-12-30") == datetime.date(2025, 3, 20)


@pytest.mark.parametrize(
    "language, typed", [("tr", "18.02.2019"), ("tr", "2019-02-18"), ("ru", "18.02.2019")]
)
def test_gregorian_languages_read_their_own_and_iso_dates(language, typed):
    with translation.override(language):
        assert CalendarDateField().clean(typed) == datetime.date(2019, 2, 18)


def test_a_solar_hijri_date_in_turkish_is_named_as_such():
    with translation.override("tr"), pytest.raises(ValidationError) as error:
        CalendarDateField().clean("1401-11-08")

    assert error.value.code == "solar_hijri_elsewhere"
    assert "18.02.2019" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["2019-13-45", "0001-01-01", "9999-12-31", "18/18/2019", "dün"])
def test_a_wrong_gregorian_date_gets_a_message(typed):
    with translation.override("tr"), pytest.raises(ValidationError) as error:
        CalendarDateField().clean(typed)

    assert error.value.code == "invalid"


def test_the_date_box_is_the_browsers_picker_except_in_persian():
    field = CalendarDateField()

    with translation.override("tr"):
        turkish = field.widget.render("created_from", datetime.date(2023, 1, 28))
    with translation.override("fa"):
        persian = field.widget.render("created_from", datetime.date(2023, 1, 28))

    assert 'type="date"' in turkish and 'value="2023-01-28"' in turkish
    assert 'type="text"' in persian and 'value="۱۴۰۱/۱۱/۰۸"' in persian
    assert 'placeholder="۱۴۰۱/۱۱/۰۸"' in persian


def test_only_persian_explains_the_calendar_under_the_box():
    field = CalendarDateField(help_text="")

    with translation.override("tr"):
        assert field.help_text == ""
    with translation.override("fa"):
        assert "۱۴۰۱/۱۱/۰۸" in str(field.help_text)
