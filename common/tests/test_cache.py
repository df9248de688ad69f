"""The Redis cache fails soft: a Redis that is down is a miss, never an error."""

import logging

import pytest

from common.cache import CacheUnavailable, FailSoftRedisCache, failures_raised


@pytest.fixture
def cache(redis_server):
    return FailSoftRedisCache(redis_server.url, {})


def test_a_running_redis_is_an_ordinary_cache(cache, redis_server):
    cache.set("colour", "kırmızı")

    assert cache.get("colour") == "kırmızı"
    assert cache.add("colour", "mavi") is False
    assert redis_server.client().dbsize() == 1


def test_a_number_counts_up_from_where_it_started(cache, redis_server):
    assert cache.incr_from("steps", 40, 60) == 41
    assert cache.incr_from("steps", 7, 60) == 42  # started already: counts on
    assert cache.get("steps") == 42
    assert 0 < redis_server.client().ttl(cache.make_key("steps")) <= 60

    cache.set("steps", "a word")  # as another release may have left it
    assert cache.incr_from("steps", 7, 60) == 8

    redis_server.stop()
    assert cache.incr_from("steps", 7, 60) is None


def test_calls_share_one_client_of_the_pool(cache, monkeypatch):
    import redis

    made = []
    real = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda *a, **k: made.append(1) or real(*a, **k))

    cache.set("colour", "kırmızı")
    assert cache.get_many(["colour", "size"]) == {"colour": "kırmızı"}
    assert cache.get("colour") == "kırmızı"

    assert len(made) == 1  # Django's own makes one a call


def test_a_stopped_redis_is_a_miss_and_a_failed_add(cache, redis_server):
    cache.set("colour", "kırmızı")
    redis_server.stop()

    assert cache.get("colour", "none") == "none"
    assert cache.get_many(["colour", "size"]) == {}
    assert cache.add("size", 1) is False
    assert cache.has_key("colour") is False
    cache.set("colour", "mavi")
    cache.set_many({"a": 1})
    cache.delete("colour")
    cache.delete_many(["a"])
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_the_cache_works_again_when_redis_is_back(cache, redis_server):
    redis_server.stop()
    assert cache.get("colour") is None

    redis_server.start()
    cache.set("colour", "yeşil")

    assert redis_server.client().exists(cache.make_key("colour")) == 1
    assert cache.get("colour") == "yeşil"


def test_callers_that_must_know_ask_for_the_failure(cache, redis_server):
    redis_server.stop()

    with failures_raised(), pytest.raises(CacheUnavailable):
        cache.get_many(["slot"])
    with failures_raised(), pytest.raises(CacheUnavailable):
        cache.incr("counter")
    assert cache.get("slot") is None  # outside the block: soft again


def test_a_stopped_redis_is_logged_once_not_on_every_call(cache, redis_server, caplog):
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="common.cache"):
        for _ in range(5):
            cache.get("colour")
            cache.set("colour", "mor")

    assert [record.getMessage()[:37] for record in caplog.records] == [
        "The cache (Redis) cannot be reached, "
    ]


def test_after_a_timeout_the_cache_is_not_asked_for_a_while(cache, monkeypatch):
    """An unreachable host costs a call its whole timeout: a page's later calls must not
    each wait again."""
    import time

    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from common import cache as module

    asked = []

    def hung(self, *args):
        asked.append(args)
        raise RedisTimeoutError("Timeout connecting to server")

    monkeypatch.setattr(RedisCache, "get", hung)
    monkeypatch.setattr(RedisCache, "incr", hung)
    now = time.monotonic()
    monkeypatch.setattr(module.time, "monotonic", lambda: now)

    assert cache.get("colour", "none") == "none"
    assert cache.get("colour", "none") == "none"
    with failures_raised(), pytest.raises(CacheUnavailable):
        cache.incr("counter")
    assert len(asked) == 1

    now += module.PAUSE_AFTER_TIMEOUT + 1
    assert cache.get("colour") is None
    assert len(asked) == 2
