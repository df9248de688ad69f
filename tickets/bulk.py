"""Bulk actions from the list: one action on many tickets, each through its service.

Each ticket goes through the same service as on its own page (its own transaction,
its own event, its own notices); a ticket that refuses is reported by its number and
the others go on. An id the user may not see is "not found", like one that does not
exist: nothing about it is revealed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from categories.models import Category

from . import services
from .filters import MAX_ID
from .models import Priority, Ticket
from .workflow import TicketStateError

# A page holds 25; a hand-made request may not make one request a long job.
MAX_TICKETS = 100
ME = "me"


class BulkForm(forms.Form):
    """What one bulk request asks; the fields of the other actions are ignored."""

    action = forms.ChoiceField(
        choices=[
            ("assign", gettext_lazy("Assign")),
            ("priority", gettext_lazy("Change priority")),
            ("redirect", gettext_lazy("Redirect")),
            ("resolve", gettext_lazy("Resolve")),
        ]
    )
    assignee = forms.CharField(required=False, max_length=20)
    priority = forms.ChoiceField(required=False, choices=[("", "—"), *Priority.choices])
    category = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    body = forms.CharField(required=False, max_length=10000)
    explanation = forms.CharField(required=False, max_length=10000)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "assign":
            data["assignee"] = self._assignee(data.get("assignee", ""))
        elif action == "priority" and not data.get("priority"):
            self.add_error("priority", _("Choose a priority."))
        elif action == "redirect":
            category = Category.objects.filter(pk=data.get("category") or 0).first()
            if category is None:
                self.add_error("category", _("Choose a category."))
            data["category"] = category
        elif action == "resolve" and not data.get("explanation", "").strip():
            self.add_error("explanation", _("Write the explanation of the resolution."))
        return data

    def _assignee(self, value: str):
        if value == ME:
            return self.user
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
            found = User.objects.filter(pk=int(value), is_active=True).first()
            if found is not None:
                return found
        self.add_error("assignee", _("Choose whom to assign the tickets to."))
        return None


@dataclass
class Outcome:
    done: list[int] = field(default_factory=list)
    not_found: list[int] = field(default_factory=list)
    refused: dict[str, list[int]] = field(default_factory=dict)  # message -> numbers


def parse_ids(values) -> tuple[list[int], list[str]]:
    """The ticket numbers asked for, in order, once each; and what was not a number."""
    ids, bad = [], []
    for value in values:
        text = str(value).strip().removeprefix("#")
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            if int(text) not in ids:
                ids.append(int(text))
        else:
            bad.append(str(value)[:20])
    return ids, bad


def _service(user, data) -> Callable[[Ticket], object]:
    action = data["action"]
    if action == "assign":
        return lambda ticket: services.assign(ticket, by=user, assignee=data["assignee"])
    if action == "priority":
        return lambda ticket: services.change_priority(ticket, by=user, priority=data["priority"])
    if action == "redirect":
        return lambda ticket: services.redirect_to_category(
            ticket, by=user, category=data["category"], body=data.get("body", "")
        )
    return lambda ticket: services.resolve(ticket, by=user, explanation=data["explanation"])


def run(user, ids: list[int], data) -> Outcome:
    """Apply the form's action to each ticket of `ids` that `user` sees."""
    outcome = Outcome()
    visible = {t.pk: t for t in Ticket.objects.visible_to(user).filter(pk__in=ids)}
    act = _service(user, data)
    for pk in ids:
        ticket = visible.get(pk)
        if ticket is None:
            outcome.not_found.append(pk)
            continue
        try:
            act(ticket)
        except TicketStateError as error:
            outcome.refused.setdefault(str(error), []).append(pk)
        except PermissionDenied:
            message = _("You may not do this on these tickets.")
            outcome.refused.setdefault(message, []).append(pk)
        else:
            outcome.done.append(pk)
    return outcome


def numbers(ids: list[int]) -> str:
    return ", ".join(f"#{pk}" for pk in ids)
