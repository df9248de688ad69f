"""`@username` in an internal note tells that colleague; a member is never told."""

import re

from django.contrib.auth import get_user_model

from . import notifications, permissions
from .models import EventKind

# "@teknik," or "(@teknik)"; not the middle of an e-mail address.
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+)")


def mentioned(ticket, text: str) -> list:
    """The handlers of `ticket` named as `@username` in `text`; never a member."""
    names = {name.rstrip(".-") for name in MENTION.findall(text)}
    names.discard("")
    if not names:
        return []
    people = get_user_model().objects.filter(username__in=names, is_active=True)
    return [person for person in people if permissions.is_handler(person, ticket)]


def notify(ticket, event) -> None:
    """Tell the colleagues an internal note names (in the note's transaction)."""
    if event.kind != EventKind.NOTE:
        return
    people = [p for p in mentioned(ticket, event.note) if p.pk != event.actor_id]
    if people:
        notifications.queue_mentions(ticket, event, people)
