"""/healthz: the database, and Redis, the broker and the object store when configured;
503 naming the part that is down, within a bounded time, whatever the part does."""

import pytest
from django.db import connections
from django.db.utils import load_backend

from .conftest import answers, s3_storages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_but_the_database(settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def database_down():
    """The site's database connection, pointed at a PostgreSQL port nobody listens on."""
    from .conftest import free_port

    up = connections["default"]
    down = load_backend("django.db.backends.postgresql").DatabaseWrapper(
        {
            **up.settings_dict,
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "helpdesk",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": free_port(),
            "OPTIONS": {"connect_timeout": 2},
        },
        alias="default",
    )
    connections["default"] = down
    try:
        yield
    finally:
        connections["default"] = up
        down.close()


def test_with_nothing_else_configured_it_checks_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.fixture
def patient_probe(monkeypatch):
    """A probe that waits longer than production's: on a test machine busy with other
    work, making the object store's first client alone can outlast two seconds."""
    from monitoring import health

    monkeypatch.setattr(health, "TIMEOUT", 10)


@pytest.mark.usefixtures("patient_probe")
def test_every_configured_part_up_is_ok(client, settings, redis_url, s3_endpoint, bucket):
    settings.REDIS_URL = redis_url
    settings.CELERY_BROKER_URL = redis_url
    settings.STORAGES = s3_storages(s3_endpoint, bucket)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
        "storage": "ok",
    }


@pytest.mark.skipif(not answers(5672), reason="RabbitMQ is not running on 127.0.0.1:5672")
@pytest.mark.usefixtures("patient_probe")
def test_a_rabbitmq_broker_that_answers_is_ok(client, settings):
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_redis_down_is_503_naming_redis(client, settings, redis_url, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/4"
    settings.CELERY_BROKER_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "redis": "unavailable",
        "broker": "ok",
    }


@pytest.mark.parametrize("scheme", ["redis://127.0.0.1:{}/4", "amqp://guest:guest@127.0.0.1:{}//"])
def test_the_broker_down_is_503_naming_the_broker(client, settings, redis_url, closed_port, scheme):
    settings.REDIS_URL = redis_url
    settings.CELERY_BROKER_URL = scheme.format(closed_port)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "redis": "ok",
        "broker": "unavailable",
    }


def test_parts_that_accept_and_never_answer_are_down_not_waited_for(client, settings, silent_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{silent_port}/4"
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{silent_port}//"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"] == response.json()["broker"] == "unavailable"


def test_an_object_store_that_is_down_is_503_naming_the_storage(client, settings, closed_port):
    settings.STORAGES = s3_storages(f"http://127.0.0.1:{closed_port}", "attachments")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "storage": "unavailable"}


def test_a_missing_bucket_is_503_naming_the_storage(client, settings, s3_endpoint):
    settings.STORAGES = s3_storages(s3_endpoint, "no-such-bucket")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"


def test_the_database_down_is_503_naming_the_database(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_a_probe_gets_no_cookie_and_no_cached_answer_for_one_query(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_probe_still_answers_in_json(client, member):
    client.force_login(member)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
