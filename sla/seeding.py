"""The calendars and targets a site starts with (`seed_calendars`): Turkey's, the
deployment default, with its public holidays for 2026-2030, and an Iranian and a Russian
calendar as examples for the other profiles. Admins edit them like any others. The
vendor's demo (`seed_demo --profile vendor`) gives its customer's contract faster
targets and extended hours of its own (`seed_vendor_contract`).

Religious holidays follow the lunar calendar and are announced each year (in Turkey by
the Diyanet): the dates below are the expected ones; an admin corrects a date once the
official calendar is out, and the dues of the tickets that count by it move. The eves
(arife), half days, are working days here: the arithmetic counts whole holidays.
"""

from datetime import date, time, timedelta

import jdatetime
from django.db import transaction

from tickets.demo_profiles import VENDOR_CONTRACT
from tickets.models import Contract, Priority

from . import clocks, schedules
from .models import Calendar, ContractCalendar, Holiday, Target, WorkingHours

YEARS = range(2026, 2031)

TURKISH_FIXED = [
    ((1, 1), "Yılbaşı"),
    ((4, 23), "Ulusal Egemenlik ve Çocuk Bayramı"),
    ((5, 1), "Emek ve Dayanışma Günü"),
    ((5, 19), "Atatürk'ü Anma, Gençlik ve Spor Bayramı"),
    ((7, 15), "Demokrasi ve Milli Birlik Günü"),
    ((8, 30), "Zafer Bayramı"),
    ((10, 29), "Cumhuriyet Bayramı"),
]
# The first day of each feast: Ramazan Bayramı lasts three days, Kurban Bayramı four.
RAMAZAN_BAYRAMI = {
    2026: date(2026, 3, 20),
    2027: date(2027, 3, 10),
    2028: date(2028, 2, 27),
    2029: date(2029, 2, 15),
    2030: date(2030, 2, 4),
}
KURBAN_BAYRAMI = {
    2026: date(2026, 5, 27),
    2027: date(2027, 5, 16),
    2028: date(2028, 5, 5),
    2029: date(2029, 4, 24),
    2030: date(2030, 4, 13),
}

# Solar Hijri (month, day, days) of Iran's fixed public holidays; the lunar ones are
# left to the admin, from the official calendar.
IRANIAN_SOLAR = [
    ((1, 1, 4), "نوروز"),
    ((1, 12, 1), "روز جمهوری اسلامی"),
    ((1, 13, 1), "روز طبیعت"),
    ((3, 14, 1), "رحلت امام خمینی"),
    ((3, 15, 1), "قیام ۱۵ خرداد"),
    ((11, 22, 1), "پیروزی انقلاب اسلامی"),
    ((12, 29, 1), "ملی شدن صنعت نفت"),
]
# Russia's non-working public holidays; the yearly transfers of days off are the admin's.
RUSSIAN_FIXED = [
    ((1, 1, 8), "Новогодние каникулы и Рождество"),
    ((2, 23, 1), "День защитника Отечества"),
    ((3, 8, 1), "Международный женский день"),
    ((5, 1, 1), "Праздник Весны и Труда"),
    ((5, 9, 1), "День Победы"),
    ((6, 12, 1), "День России"),
    ((11, 4, 1), "День народного единства"),
]

NINE_TO_SIX = [(time(9), time(18))]
CALENDARS = {
    "Türkiye": {
        "time_zone": "Europe/Istanbul",
        "hours": {
            day: [(time(8, 30), time(12, 30)), (time(13, 30), time(17, 30))] for day in range(5)
        },
    },
    "Iran": {
        "time_zone": "Asia/Tehran",
        # Saturday to Wednesday, and Thursday morning; Friday is the weekend.
        "hours": {
            **{day: [(time(8), time(16))] for day in (5, 6, 0, 1, 2)},
            3: [(time(8), time(12))],
        },
    },
    "Россия": {
        "time_zone": "Europe/Moscow",
        "hours": {day: NINE_TO_SIX for day in range(5)},
    },
}

# Working minutes: first response, resolution.
DEFAULT_TARGETS = {
    Priority.HIGH: (60, 8 * 60),
    Priority.MEDIUM: (4 * 60, 3 * 8 * 60),
    Priority.LOW: (8 * 60, 5 * 8 * 60),
}

# The vendor's contract: extended support, Monday to Saturday 08:00-20:00 in Moscow
# (Russia's public holidays off), with targets about half the defaults.
EXTENDED = "Россия, расширенная поддержка"
EXTENDED_CALENDAR = {
    "time_zone": "Europe/Moscow",
    "hours": {day: [(time(8), time(20))] for day in range(6)},
}
CONTRACT_TARGETS = {
    Priority.HIGH: (30, 4 * 60),
    Priority.MEDIUM: (2 * 60, 12 * 60),
    Priority.LOW: (4 * 60, 2 * 12 * 60),
}


def _span(first: date, days: int) -> tuple[date, date]:
    return first, first + timedelta(days=days - 1)


def turkish_holidays():
    for year in YEARS:
        for (month, day), name in TURKISH_FIXED:
            yield name, _span(date(year, month, day), 1)
        yield "Ramazan Bayramı", _span(RAMAZAN_BAYRAMI[year], 3)
        yield "Kurban Bayramı", _span(KURBAN_BAYRAMI[year], 4)


def iranian_holidays():
    # Solar Hijri 1404 ends in March 2026, 1409 in March 2031.
    for year in range(1404, 1410):
        for (month, day, days), name in IRANIAN_SOLAR:
            first = jdatetime.date(year, month, day).togregorian()
            if first.year in YEARS:
                yield name, _span(first, days)


def russian_holidays():
    for year in YEARS:
        for (month, day, days), name in RUSSIAN_FIXED:
            yield name, _span(date(year, month, day), days)


HOLIDAYS = {"Türkiye": turkish_holidays, "Iran": iranian_holidays, "Россия": russian_holidays}


def merged(holidays) -> list[tuple[str, tuple[date, date]]]:
    """One holiday for days that two share (19 May inside Kurban Bayramı 2027): the
    admin refuses overlapping holidays, and so does the seed."""
    result: list[tuple[str, tuple[date, date]]] = []
    for name, (first, last) in sorted(holidays, key=lambda item: item[1]):
        if result and first <= result[-1][1][1]:
            previous, (start, end) = result[-1]
            result[-1] = (f"{previous}, {name}"[:100], (start, max(end, last)))
        else:
            result.append((name, (first, last)))
    return result


def _calendar(name: str, spec: dict, holidays) -> tuple[Calendar, bool]:
    calendar, created = Calendar.objects.get_or_create(
        name=name, defaults={"time_zone": spec["time_zone"]}
    )
    if created:
        WorkingHours.objects.bulk_create(
            WorkingHours(calendar=calendar, weekday=day, starts=starts, ends=ends)
            for day, periods in spec["hours"].items()
            for starts, ends in periods
        )
        Holiday.objects.bulk_create(
            Holiday(calendar=calendar, name=title, first_day=first, last_day=last)
            for title, (first, last) in merged(holidays())
        )
        schedules.changed()  # bulk_create sends no signals
    return calendar, created


def _targets(targets: dict, **scope) -> list[str]:
    made = []
    for priority, (first_response, resolution) in targets.items():
        _, created = Target.objects.get_or_create(
            priority=priority,
            category=None,
            kind=None,
            **scope,
            defaults={
                "first_response_minutes": first_response,
                "resolution_minutes": resolution,
            },
        )
        if created:
            made.append(f"target {priority}")
    return made


@transaction.atomic
def seed() -> list[str]:
    """Create what is missing, change nothing an admin edited; returns what it made."""
    made = []
    for name, spec in CALENDARS.items():
        if _calendar(name, spec, HOLIDAYS[name])[1]:
            made.append(f"calendar {name}")
    if not Calendar.objects.filter(is_default=True).exists():
        Calendar.objects.filter(name="Türkiye").update(is_default=True)
    return made + _targets(DEFAULT_TARGETS, contract=None)


@transaction.atomic
def seed_vendor_contract() -> list[str]:
    """The vendor's contract's own calendar and targets, if the contract is there and
    they are missing (an admin's edits stay); then the clocks of its organisations'
    open tickets that have none. Returns what it made."""
    contract = Contract.objects.filter(number=VENDOR_CONTRACT).first()
    if contract is None:
        return []
    made = []
    calendar, created = _calendar(EXTENDED, EXTENDED_CALENDAR, russian_holidays)
    if created:
        made.append(f"calendar {EXTENDED}")
    _, created = ContractCalendar.objects.get_or_create(
        contract=contract, defaults={"calendar": calendar}
    )
    if created:
        made.append(f"contract calendar {contract.number}")
    made += _targets(CONTRACT_TARGETS, contract=contract)
    if made:
        # As when an admin gives a contract service levels: its open tickets take them.
        organisations = clocks.organisations_under([contract.pk])
        clocks.recompute(organisation_ids=organisations, targets=True)
        clocks.start_missing(organisation_ids=organisations)
    return made


def demo_seeded(sender, *, profile: str, **kwargs) -> None:
    if profile == "vendor":
        seed_vendor_contract()
