"""Who else has the ticket open: handlers who opened it in the last minutes.

Kept in Django's cache (Redis, or the database's cache table), never in a table of
its own: it is a hint that may be lost, not a record.
"""

from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 5 * 60
# A stamp younger than this is not written again: a page reloaded costs one read.
REFRESH_SECONDS = 60


def _key(ticket_id: int) -> str:
    return f"tickets:viewers:{ticket_id}"


def opened(ticket_id: int, user) -> list[str]:
    """Note that `user` opened the ticket now; the names of the others who did within
    the window, latest first. Two handlers opening at once may drop one of them: a hint."""
    now = timezone.now().timestamp()
    key = _key(ticket_id)
    viewers = cache.get(key) or {}
    viewers = {
        viewer: seen
        for viewer, seen in viewers.items()
        if isinstance(seen, list) and now - seen[0] < WINDOW_SECONDS
    }
    others = sorted(
        (seen for viewer, seen in viewers.items() if viewer != user.pk),
        key=lambda seen: -seen[0],
    )
    mine = viewers.get(user.pk)
    if mine is None or now - mine[0] >= REFRESH_SECONDS:
        viewers[user.pk] = [now, user.display_name()]
        cache.set(key, viewers, WINDOW_SECONDS)
    return [name for _, name in others]
