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
