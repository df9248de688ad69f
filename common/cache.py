"""Django's Redis cache, failing soft: a Redis that is down or slow is a cache miss.

Django's RedisCache raises on a dead server, and every page reads the cache (the
session, the rate limits): one stopped Redis would answer every request with a 500.
Here a connection error or a timeout is a miss, a failed `add`, a write that did not
happen; the web process logs it, at most once a minute, and serves the page. Callers
that must tell "not there" from "could not ask" (the rate limits) ask inside
`failures_raised()` and get `CacheUnavailable`.

A refused connection fails at once, but an unreachable host or a hung server costs
each call its timeout, and a page makes several calls. After a timeout the process
stops asking for `PAUSE_AFTER_TIMEOUT` seconds (every call a miss at once), then tries
again: one slow call per pause and process, not several per page.
"""

import contextvars
import logging
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError as RedisResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Seconds Redis may take to accept a connection, then to answer: a page waits at most
# this long for each cache call while Redis is unreachable (a refused connection, the
# usual case on a stopped server, fails at once).
CONNECT_TIMEOUT = 0.5
ANSWER_TIMEOUT = 1.0
WARN_EVERY = 60  # seconds
PAUSE_AFTER_TIMEOUT = 5  # seconds

_raising = contextvars.ContextVar("cache_failures_raised", default=False)


class CacheUnavailable(Exception):
    """The cache could not be reached (only inside `failures_raised()`)."""


@contextmanager
def failures_raised():
    """Within this block a cache that cannot be reached raises `CacheUnavailable`."""
    token = _raising.set(True)
    try:
        yield
    finally:
        _raising.reset(token)


class KeptClients(RedisCacheClient):
    """One `redis.Redis` per connection pool, kept, where Django makes one for every
    call: making one fills a table of some 170 reply handlers, more Python than the
    call itself, and a page makes several. A client is only a handle on its pool's
    connections, which each command takes and gives back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """RedisCache whose every call survives Redis being down (see the module)."""

    def __init__(self, server, params):
        options = {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": ANSWER_TIMEOUT}
        params = {**params, "OPTIONS": {**options, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = KeptClients
        self._warned_at = None
        self._paused_until = 0.0

    def _call(self, call, *args):
        """`call(*args)`, unless a timeout paused the cache: then the failure at once."""
        if time.monotonic() < self._paused_until:
            raise RedisTimeoutError("Paused after a timeout: not asking Redis for now.")
        try:
            return call(*args)
        except RedisTimeoutError:
            self._paused_until = time.monotonic() + PAUSE_AFTER_TIMEOUT
            raise

    def _soft(self, call, failed, *args):
        try:
            return self._call(call, *args)
        except (RedisConnectionError, RedisTimeoutError) as error:
            if _raising.get():
                raise CacheUnavailable(str(error)) from error
            self._warn(error)
            return failed

    def _warn(self, error) -> None:
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            logger.warning("The cache (Redis) cannot be reached, served without it: %s", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._soft(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._soft(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._soft(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        try:
            return self._call(super().incr, key, delta, version)
        except (RedisConnectionError, RedisTimeoutError) as error:
            if _raising.get():
                raise CacheUnavailable(str(error)) from error
            self._warn(error)
            # What Django raises for a key that is not there.
            raise ValueError(f"Key {key!r} not found: the cache cannot be reached.") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().set_many, list(data), data, timeout, version)

    def incr_from(self, key, start: int, timeout: int, version=None) -> int | None:
        """The number at `key` plus one, or `start` plus one where there is none or what
        is there is not a number (then kept `timeout` seconds); None when Redis cannot
        be reached. One round trip, where `add` then `incr` take three."""
        key = self.make_and_validate_key(key, version=version)

        def counted():
            client = self._cache.get_client(key, write=True)
            pipeline = client.pipeline()
            pipeline.set(key, start, nx=True, ex=timeout)
            pipeline.incr(key)
            number = pipeline.execute(raise_on_error=False)[1]
            if isinstance(number, RedisResponseError):  # not a number: begun again
                client.set(key, start + 1, ex=timeout)
                return start + 1
            return number

        return self._soft(counted, None)

    def delete_many(self, keys, version=None):
        return self._soft(super().delete_many, None, keys, version)

    def clear(self):
        return self._soft(super().clear, False)
