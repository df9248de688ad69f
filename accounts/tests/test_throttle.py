"""Rate limits count in the cache every web process shares."""

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem

from accounts.throttle import allow

pytestmark = pytest.mark.django_db


def another_process():
    """What a web process of its own starts with: a new cache connection, and nothing in
    memory (a local-memory cache keeps its entries in module globals)."""
    caches["default"].close()
    del caches["default"]
    for store in (locmem._caches, locmem._expire_info, locmem._locks):
        store.clear()


def test_tries_through_separate_cache_connections_share_one_count():
    for _ in range(3):
        assert allow("reset", "10.0.0.1", limit=3)
        another_process()

    assert not allow("reset", "10.0.0.1", limit=3)


def test_each_key_and_scope_counts_apart():
    assert allow("reset", "10.0.0.1", limit=1)

    assert allow("reset", "10.0.0.2", limit=1)
    assert allow("register", "10.0.0.1", limit=1)
    assert not allow("reset", "10.0.0.1", limit=1)


@pytest.fixture
def counters_on_redis(settings, redis_server):
    settings.CACHES = {
        "default": {"BACKEND": "common.cache.FailSoftRedisCache", "LOCATION": redis_server.url}
    }
    return redis_server


def test_limits_count_in_redis(counters_on_redis):
    assert allow("reset", "10.0.0.1", limit=1)

    assert not allow("reset", "10.0.0.1", limit=1)


def test_limits_let_tries_through_while_redis_is_down(counters_on_redis):
    assert allow("reset", "10.0.0.1", limit=1)
    counters_on_redis.stop()

    assert allow("reset", "10.0.0.1", limit=1)
    assert allow("reset", "10.0.0.1", limit=1)
    assert not allow("reset", "10.0.0.1", limit=1, when_down=lambda: False)
