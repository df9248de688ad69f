"""The service levels' rules (the targets, the default calendar, the categories' and the
contracts' own calendars), kept in each process and read again only when one changed.

Filing a ticket, moving its priority or its category asks which calendar and which
target apply: three queries built and compiled each time, about 6 ms of a filing's
40 ms of CPU. The rules are a handful of rows, changed by an admin now and then, so
they ride on the configuration's token as the calendars' schedules do
(sla/schedules.py): every save or delete of one of these rows gives it a new value in
the same transaction (connected in apps.py), and the copy kept here belongs to one copy
of the configuration. Its rows are shared by every request of the process: read them,
never change them.
"""

from dataclasses import dataclass

from django.db import router

from tickets import configuration

from .models import Calendar, CategoryCalendar, ContractCalendar, Target


@dataclass(frozen=True)
class Rules:
    default: Calendar | None  # the deployment's, for categories without their own
    by_category: dict[int, Calendar]  # category id -> its own calendar
    by_contract: dict[int, Calendar]  # contract id -> its own calendar
    targets: tuple[Target, ...]

    def contracts_with_levels(self) -> set[int]:
        """The contracts that carry service levels of their own (targets or a calendar)."""
        return {t.contract_id for t in self.targets if t.contract_id} | set(self.by_contract)

    def calendar(self, category_id: int, contract_id: int | None = None) -> Calendar | None:
        """The contract's own calendar, else the category's, else the deployment's."""
        if contract_id is not None and contract_id in self.by_contract:
            return self.by_contract[contract_id]
        return self.by_category.get(category_id, self.default)

    def target(
        self, *, priority: str, category_id: int, kind_id: int, contract_id: int | None
    ) -> Target | None:
        """The most specific target: the contract's counts most, then the category's,
        then the kind's, then the priority's alone."""
        candidates = (
            t
            for t in self.targets
            if t.priority == priority
            and t.contract_id in (contract_id, None)
            and t.category_id in (category_id, None)
            and t.kind_id in (kind_id, None)
        )
        return min(
            candidates,
            key=lambda t: (t.contract_id is None, t.category_id is None, t.kind_id is None),
            default=None,
        )


@dataclass(frozen=True)
class _Kept:
    configuration: configuration.Configuration
    rules: Rules


_kept: _Kept | None = None  # this process's copy


def current() -> Rules:
    """The rules as of this request's start (or now, outside a request)."""
    global _kept
    now = configuration.current()
    kept = _kept
    if kept is None or kept.configuration is not now:
        kept = _kept = _Kept(now, _load())
    return kept.rules


def _load() -> Rules:
    using = router.db_for_write(Calendar)  # never a replica that lags behind the token
    calendars = {calendar.pk: calendar for calendar in Calendar.objects.using(using)}
    default = min(
        (calendar for calendar in calendars.values() if calendar.is_default),
        key=lambda calendar: calendar.name,
        default=None,
    )
    return Rules(
        default=default,
        by_category={
            category_id: calendars[calendar_id]
            for category_id, calendar_id in CategoryCalendar.objects.using(using).values_list(
                "category_id", "calendar_id"
            )
        },
        by_contract={
            contract_id: calendars[calendar_id]
            for contract_id, calendar_id in ContractCalendar.objects.using(using).values_list(
                "contract_id", "calendar_id"
            )
        },
        targets=tuple(Target.objects.using(using).order_by("pk")),
    )


MODELS = (Target, CategoryCalendar, ContractCalendar)
