"""A small rate limit on Django's cache: at most `limit` tries per key in a window.

The cache is shared by every web process (Redis, or a table of the database), so the
count is too.

When Redis is down the limits let tries through (fail open), logged: refusing would
turn a cache outage into nobody registering, resetting a password or entering a
second-factor code. What guards sign-in stays in the database: django-axes locks a
name at an address and an address (accounts/lockout.py), wrong codes included, and the
code limit per user falls back to axes' count (twofactor/lockout.py, `when_down`).
"""

import hashlib
import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from common.cache import CacheUnavailable, failures_raised

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The visitor's address as the limits count it. An IPv6 address counts as its /64
    network: one household or office gets a whole /64 and could otherwise take a new
    address for every try."""
    return _network(visitor_address(request))


def visitor_address(request) -> str:
    """The visitor's own address; behind PROXY_COUNT trusted proxies, from
    X-Forwarded-For."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            # Each trusted proxy appends the address it saw; the client is the one the
            # outermost trusted proxy saw, whatever the client claims before it.
            address = forwarded[-proxies]
    return address


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


def allow(
    scope: str,
    key: str,
    *,
    limit: int,
    window: int = 3600,
    when_down: Callable[[], bool] = lambda: True,
) -> bool:
    """Count one try for `key`; False once `limit` tries were counted in the last `window`.

    Each try claims one of `limit` slots with `cache.add`, which only one caller can win
    for a free slot (SET NX on Redis; an INSERT on the database cache, whose primary key
    refuses the second): two processes trying at once do not count as one, as a
    read-then-write increment would. The database cache reclaims a slot whose time ran
    out with a read, then a write, so two tries at that very moment may share it. A
    slot frees itself `window` seconds after its try.

    When the cache cannot be reached, `when_down()` answers (by default: allowed).
    """
    slots = _slots(scope, key, limit)
    try:
        with failures_raised():
            taken = cache.get_many(slots)
            return any(cache.add(slot, 1, window) for slot in slots if slot not in taken)
    except CacheUnavailable:
        logger.warning("Rate limit %r not counted: the cache cannot be reached.", scope)
        return when_down()


def used_up(scope: str, key: str, *, limit: int) -> bool:
    """Whether `limit` tries are counted for `key` in the window, without counting one."""
    return len(cache.get_many(_slots(scope, key, limit))) >= limit


def reset(scope: str, key: str, *, limit: int) -> None:
    """Forget the tries counted for `key`."""
    cache.delete_many(_slots(scope, key, limit))


def _slots(scope: str, key: str, limit: int) -> list[str]:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
    return [f"throttle:{scope}:{digest}:{n}" for n in range(limit)]
