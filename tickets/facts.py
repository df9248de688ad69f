"""What an event's data records (ids and codes), told in the reader's language.

Events store facts, not sentences, so that a Persian reader sees in Persian a
priority that a Turkish user changed. The detail page and the mail notices both
show an event's facts through `Facts`.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.translation import gettext, pgettext

from categories.models import Category
from common.calendars import format_datetime

from .models import EventKind, Priority

# Before events stored facts these kinds wrote a generated note in the actor's
# language; they never hold typed text, so only their facts are shown.
NO_TYPED_NOTE = {EventKind.PRIORITY_CHANGED, EventKind.ASSIGNED}


@dataclass(frozen=True)
class Facts:
    """Values are shown as late as possible: a category or a priority label is
    translated when the page or the mail renders it."""

    before: object = ""  # a changed value before and after: a priority, a category
    after: object = ""
    person: str = ""  # who was assigned
    released: str = ""  # who was no longer assigned after a redirect
    lines: tuple = ()  # plain lines of text (a service level's change and its dues)
    merged_into: int | None = None  # a merge: the ticket that carries on
    merged_from: int | None = None  # a merge: the duplicate, or where a copy came from
    copied: bool = False  # the entry is a copy of the duplicate's conversation

    def _lines(self):
        """Each line as a format string (the HTML isolates names) and its values."""
        if self.after:
            yield (
                "<bdi>{}</bdi> {} <bdi>{}</bdi>",
                (
                    self.before,
                    pgettext("from → to", "→"),
                    self.after,
                ),
            )
        if self.person:
            yield "<bdi>{}</bdi>", (self.person,)
        if self.released:
            yield "{}", (gettext("no longer assigned to %(name)s") % {"name": self.released},)
        for line in self.lines:
            yield "{}", (line,)
        if self.merged_into:
            yield "{}", (gettext("merged into #%(id)s") % {"id": self.merged_into},)
        if self.merged_from:
            if self.copied:
                text = gettext("copied from #%(id)s when it was merged into this ticket")
            else:
                text = gettext("#%(id)s was merged into this ticket")
            yield "{}", (text % {"id": self.merged_from},)

    def __bool__(self):
        return any(
            (self.after, self.person, self.released, self.lines, self.merged_into, self.merged_from)
        )

    def as_html(self):
        lines = (format_html(template, *values) for template, values in self._lines())
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))

    def __str__(self):
        return "\n".join(strip_tags(template).format(*values) for template, values in self._lines())


def describe(events) -> None:
    """Give each event its `facts` and the `typed_note` to show under them.

    At most two queries, for the categories and the people the events name.
    """
    category_ids, user_ids = set(), set()
    for event in events:
        if event.kind == EventKind.REDIRECTED:
            category_ids.update((event.data.get("from"), event.data.get("to")))
            user_ids.add(event.data.get("unassigned"))
        elif event.kind == EventKind.ASSIGNED:
            user_ids.add(event.data.get("to"))
    category_ids.discard(None)
    user_ids.discard(None)
    categories = Category.objects.in_bulk(category_ids) if category_ids else {}
    people = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    for event in events:
        event.facts = _facts(event, categories, people)
        event.typed_note = "" if event.kind in NO_TYPED_NOTE else event.note


def _facts(event, categories, people) -> Facts:
    data = event.data or {}

    def name(user_id) -> str:
        person = people.get(user_id)
        return person.display_name() if person else "—"

    if event.kind == EventKind.PRIORITY_CHANGED and {"from", "to"} <= data.keys():
        labels = dict(Priority.choices)
        return Facts(
            before=labels.get(data["from"], data["from"]), after=labels.get(data["to"], data["to"])
        )
    if event.kind == EventKind.REDIRECTED and {"from", "to"} <= data.keys():
        return Facts(
            before=categories.get(data["from"], "—"),
            after=categories.get(data["to"], "—"),
            released=name(data["unassigned"]) if "unassigned" in data else "",
        )
    if event.kind == EventKind.ASSIGNED and "to" in data:
        return Facts(person=name(data["to"]))
    if event.kind == EventKind.SERVICE_LEVEL:
        return Facts(lines=tuple(_service_level_lines(data)))
    if event.kind == EventKind.MERGED:
        return Facts(merged_into=data.get("into"), merged_from=data.get("from"))
    if "merged_from" in data:
        return Facts(merged_from=data["merged_from"], copied=True)
    return Facts()


def _service_level_changes() -> dict:
    return {
        "started": gettext("Clocks started"),
        "paused": gettext("Clocks paused"),
        "resumed": gettext("Clocks resumed; the dues moved by the paused working time"),
        "moved": gettext("Dues moved"),
        "responded": gettext("First response given"),
        "warned": gettext("About to breach: the team was told"),
        "breached": gettext("Breached: the supervisors were told"),
        "stopped": gettext("Clocks stopped"),
    }


def _service_level_lines(data: dict):
    clocks = {
        "first_response": gettext("First response"),
        "resolution": gettext("Resolution"),
    }
    change = _service_level_changes().get(data.get("change"), "")
    if change and data.get("clock") in clocks:
        change = f"{change} ({clocks[data['clock']]})"
    if change:
        yield change
    dues = (
        ("first_response_due", gettext("First response due: %(when)s")),
        ("resolution_due", gettext("Resolution due: %(when)s")),
    )
    for key, text in dues:
        when = _moment(data.get(key))
        if when is not None:
            yield text % {"when": format_datetime(timezone.localtime(when))}


def _moment(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
