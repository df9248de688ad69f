"""Ticket numbers written in text (`#6`): links for readers who may see that ticket.

The page gathers every number in its texts first and asks once which of them the
reader sees (`visible_numbers`); the template filter then links only those.

The address of a help article (`/kb/<slug>/`, alone or after the site's address), as a
canned reply or a handler writes it, becomes a link too: the article's page decides who
may read it.
"""

import functools
import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Ticket

# `#` not inside a word or an HTML entity (`&#39;` after escaping), at most 9 digits.
NUMBER = re.compile(r"(?<![\w&])#(\d{1,9})\b")


@functools.cache
def _article_address(site_url: str) -> re.Pattern:
    """A help article's address on this site; a slug holds nothing that escaping changes."""
    site = re.escape(site_url.rstrip("/"))
    return re.compile(r"(?<![\w/])(?:" + site + r")?(/kb/[a-z0-9-]{1,120}/)")


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

    def article(match):
        return format_html('<a href="{}">{}</a>', match.group(1), match.group(0))

    text = NUMBER.sub(link, escape(text or ""))
    return mark_safe(_article_address(settings.SITE_URL).sub(article, text))  # noqa: S308 - escaped above
