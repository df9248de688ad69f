"""Settings read from the environment, with the defaults the README promises."""

import importlib

import pytest

import helpdesk_site.settings


@pytest.fixture
def reload_with(monkeypatch):
    """`reload_with(NAME=value, ...)`: the settings module as read with that environment."""

    def reload(**environment):
        for name, value in environment.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return importlib.reload(helpdesk_site.settings)

    yield reload
    monkeypatch.undo()
    importlib.reload(helpdesk_site.settings)


def test_a_mail_server_may_keep_us_waiting_five_seconds_by_default(reload_with):
    assert reload_with(EMAIL_TIMEOUT=None).EMAIL_TIMEOUT == 5
    assert reload_with(EMAIL_TIMEOUT="2").EMAIL_TIMEOUT == 2


def test_logs_are_text_unless_json_is_asked_for(reload_with):
    assert reload_with(LOG_FORMAT=None).LOGGING["handlers"]["console"].get("formatter") is None
    assert reload_with(LOG_FORMAT="JSON").LOGGING["handlers"]["console"]["formatter"] == "json"


def test_an_unknown_log_format_stops_the_site(reload_with):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        reload_with(LOG_FORMAT="xml")


def test_metrics_are_off_and_local_only_by_default(reload_with):
    settings = reload_with(HELPDESK_METRICS=None, HELPDESK_METRICS_ALLOWED=None)

    assert settings.HELPDESK_METRICS is False
    assert settings.HELPDESK_METRICS_ALLOWED == ["127.0.0.1", "::1"]


def test_without_redis_the_cache_is_a_table_every_web_process_shares(reload_with):
    cache = reload_with(REDIS_URL=None).CACHES["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "helpdesk_cache"


def test_with_redis_the_cache_and_the_sessions_are_there(reload_with):
    settings = reload_with(REDIS_URL="redis://127.0.0.1:6379/0")

    assert settings.CACHES["default"]["BACKEND"] == "common.cache.FailSoftRedisCache"
    # Read from Redis, written through to the database: a stopped Redis signs nobody out.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_migrate_makes_the_cache_table(tmp_path):
    """A site that only ran `migrate` has its rate limits working (no separate step)."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    database = tmp_path / "fresh.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    environment.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        check=True,
    )

    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "helpdesk_cache" in tables


def test_an_address_is_locked_after_fifty_failed_sign_ins_by_default(reload_with):
    settings = reload_with(HELPDESK_ADDRESS_FAILURE_LIMIT=None)

    assert settings.HELPDESK_ADDRESS_FAILURE_LIMIT == 50
    assert settings.AXES_FAILURE_LIMIT == 5
    assert reload_with(HELPDESK_ADDRESS_FAILURE_LIMIT="80").HELPDESK_ADDRESS_FAILURE_LIMIT == 80


def test_two_factor_is_required_of_whom_the_environment_names(reload_with):
    assert reload_with(HELPDESK_2FA_REQUIRED_FOR=None).HELPDESK_2FA_REQUIRED_FOR == []
    assert reload_with(HELPDESK_2FA_REQUIRED_FOR="").HELPDESK_2FA_REQUIRED_FOR == []
    required = reload_with(HELPDESK_2FA_REQUIRED_FOR="members, handlers").HELPDESK_2FA_REQUIRED_FOR
    assert required == ["members", "handlers"]


def test_a_replica_is_a_second_alias_only_when_given(reload_with):
    assert "replica" not in reload_with(DATABASE_REPLICA_URL=None).DATABASES

    databases = reload_with(
        DATABASE_URL="postgres://site@db1:5432/helpdesk",
        DATABASE_REPLICA_URL="postgres://site@db2:5432/helpdesk",
    ).DATABASES

    assert (databases["default"]["HOST"], databases["replica"]["HOST"]) == ("db1", "db2")
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}


def test_connections_are_kept_and_checked_before_reuse(reload_with):
    database = reload_with(DATABASE_POOLER=None, CONN_MAX_AGE=None).DATABASES["default"]

    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    assert not database.get("DISABLE_SERVER_SIDE_CURSORS", False)


def test_behind_pgbouncer_no_cursor_outlives_a_transaction(reload_with):
    databases = reload_with(
        DATABASE_URL="postgres://site@127.0.0.1:6432/helpdesk",
        DATABASE_REPLICA_URL="postgres://site@127.0.0.1:6433/helpdesk",
        DATABASE_POOLER="pgbouncer",
        CONN_MAX_AGE=None,
    ).DATABASES

    for database in databases.values():
        assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert database["CONN_MAX_AGE"] == 0


def test_an_unknown_pooler_stops_the_site(reload_with):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        reload_with(DATABASE_POOLER="pgpool")


def test_without_a_bucket_documents_are_files_in_media_root_streamed(reload_with):
    settings = reload_with(AWS_STORAGE_BUCKET_NAME=None, HELPDESK_ATTACHMENT_URL_SECONDS=None)

    assert settings.STORAGES["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert settings.HELPDESK_ATTACHMENT_URL_SECONDS == 0


def test_with_a_bucket_documents_are_private_objects_reached_by_signed_requests(reload_with):
    settings = reload_with(
        AWS_STORAGE_BUCKET_NAME="helpdesk-belgeler",
        AWS_S3_ENDPOINT_URL="https://minio.example.org:9000",
        AWS_ACCESS_KEY_ID="helpdesk",
        AWS_SECRET_ACCESS_KEY="s3cr3t",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_LOCATION="/helpdesk/",
        AWS_S3_ADDRESSING_STYLE=None,
        HELPDESK_ATTACHMENT_URL_SECONDS="60",
    )

    default = settings.STORAGES["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "helpdesk-belgeler",
        "endpoint_url": "https://minio.example.org:9000",
        "access_key": "helpdesk",
        "secret_key": "s3cr3t",
        "region_name": "eu-central-1",
        "location": "helpdesk",
        "default_acl": None,
        "querystring_auth": True,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "max_memory_size": 5 * 1024 * 1024,
    }
    assert settings.HELPDESK_ATTACHMENT_URL_SECONDS == 60


def test_with_a_bucket_and_no_keys_boto3_finds_its_own(reload_with):
    settings = reload_with(
        AWS_STORAGE_BUCKET_NAME="helpdesk",
        AWS_S3_ENDPOINT_URL=None,
        AWS_ACCESS_KEY_ID=None,
        AWS_SECRET_ACCESS_KEY=None,
        AWS_S3_REGION_NAME=None,
        AWS_LOCATION=None,
    )

    options = settings.STORAGES["default"]["OPTIONS"]
    assert not {"endpoint_url", "access_key", "secret_key", "region_name"} & set(options)


def test_webhooks_refuse_private_addresses_unless_the_environment_allows_them(reload_with):
    names = ["ALLOW_PRIVATE", "FAILURE_LIMIT", "MAX_ATTEMPTS", "TIMEOUT"]
    settings = reload_with(**{f"HELPDESK_WEBHOOK_{name}": None for name in names})

    assert settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE is False
    assert settings.HELPDESK_WEBHOOK_FAILURE_LIMIT == 10
    assert settings.HELPDESK_WEBHOOK_MAX_ATTEMPTS == 8
    assert settings.HELPDESK_WEBHOOK_TIMEOUT == 5
    assert reload_with(HELPDESK_WEBHOOK_ALLOW_PRIVATE="1").HELPDESK_WEBHOOK_ALLOW_PRIVATE is True
