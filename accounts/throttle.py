"""A small rate limit on Django's cache: at most `limit` tries per key in a window.

With REDIS_URL the count is shared by every web process; with the default
local-memory cache each process counts for itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The visitor's IP address; behind PROXY_COUNT trusted proxies, from X-Forwarded-For."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            # Each trusted proxy appends the address it saw; the client is the one the
            # outermost trusted proxy saw, whatever the client claims before it.
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(scope: str, key: str, *, limit: int, window: int = 3600) -> bool:
    """Count one try for `key`; False once there were more than `limit` in the window."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    if cache.add(cache_key, 1, window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit
