"""The database cache's table is made by `migrate` whatever the cache setting then."""

import importlib
from types import SimpleNamespace

from django.db import connection

cache_table = importlib.import_module("common.migrations.0003_cache_table_always")


def test_a_site_migrated_with_redis_still_gets_the_cache_table(db, settings):
    # As 0001 left a database migrated with REDIS_URL set: no table.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE helpdesk_cache")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    cache_table.create_cache_table(None, SimpleNamespace(connection=connection))

    assert "helpdesk_cache" in connection.introspection.table_names()


def test_an_existing_cache_table_is_left_as_it_is(db):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO helpdesk_cache VALUES ('k', 'v', '2099-01-01')")

    cache_table.create_cache_table(None, SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM helpdesk_cache WHERE cache_key = 'k'")
        assert cursor.fetchone() == ("v",)
