"""Ticket numbers written in text (`#6`): links for readers who may see that ticket.

The page gathers every number in its texts first and asks once which of them the
reader sees (`visible_numbers`); the template filter then links only those.
"""

import re

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Ticket

# `#` not inside a word or an HTML entity (`&#39;` after escaping), at most 9 digits.
NUMBER = re.compile(r"(?<![\w&])#(\d{1,9})\b")


def numbers_in(texts) -> set[int]:
    return {int(match) for text in texts if text for match in NUMBER.findall(text)}


def visible_numbers(user, texts) -> frozenset[int]:
    """Those of the numbers in `texts` that are tickets `user` sees: one query, or none."""
    numbers = numbers_in(texts)
    if not numbers:
        return frozenset()
    visible = Ticket.objects.visible_to(user).filter(pk__in=numbers)
    return frozenset(visible.values_list("pk", flat=True))


def linked(text: str, visible: frozenset[int]) -> str:
    """`text` escaped, with the numbers in `visible` as links to their tickets."""

    def link(match):
        number = int(match.group(1))
        if number not in visible:
            return match.group(0)
        return format_html('<a href="{}">#{}</a>', reverse("tickets:detail", args=[number]), number)

    return mark_safe(NUMBER.sub(link, escape(text or "")))  # noqa: S308 - escaped above
