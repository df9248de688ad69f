"""What /healthz checks: the database, and Redis, the broker and the object store when
the site is configured to use them. Each answer is "ok" or "unavailable".

Every check is bounded by TIMEOUT seconds (its client's own timeouts, and a deadline on
top), so a dead or silent part makes the probe answer 503 rather than hang. The
database is asked in the request's own thread, on the connection the site uses; the
others run side by side in threads.
"""

from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connections

TIMEOUT = 2
OK, DOWN = "ok", "unavailable"


def run() -> dict[str, str]:
    """Each configured part by name, "ok" or "unavailable"."""
    others = {
        name: check
        for name, check, configured in (
            ("redis", _redis, settings.REDIS_URL),
            ("broker", _broker, getattr(settings, "CELERY_BROKER_URL", "")),
            ("storage", _storage, _bucket_storage()),
        )
        if configured
    }
    results = {}
    pool = ThreadPoolExecutor(max_workers=max(len(others), 1), thread_name_prefix="healthz")
    try:
        futures = {name: pool.submit(check) for name, check in others.items()}
        # The primary alone: a read replica that is down must not take every web
        # process out of the load balancer.
        results["database"] = _database()
        # A client that ignores its timeout still cannot hold the probe past the deadline.
        wait(futures.values(), timeout=TIMEOUT + 1)
        for name, future in futures.items():
            results[name] = OK if future.done() and future.exception() is None else DOWN
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results


def _database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return DOWN
    return OK


def _redis() -> None:
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()


def _broker() -> None:
    from kombu import Connection

    options = {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT, "max_retries": 0}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT, transport_options=options
    ) as connection:
        # No retries: a broker that refuses now is down now.
        connection.ensure_connection(max_retries=0, timeout=TIMEOUT)


def _bucket_storage():
    """The default storage when it is an S3 bucket (django-storages), else None."""
    storage = storages["default"]
    return storage if getattr(storage, "bucket_name", None) else None


def _storage() -> None:
    storage = _bucket_storage()
    _bucket_client(storage).head_bucket(Bucket=storage.bucket_name)


_clients: dict[tuple, object] = {}


def _bucket_client(storage):
    """A client like the storage's own (its keys, endpoint and options), with a short
    timeout and no retries; kept, since making one costs more than the check."""
    key = (storage.endpoint_url, storage.region_name, storage.access_key, storage.bucket_name)
    client = _clients.get(key)
    if client is None:
        from botocore.config import Config

        config = storage.client_config.merge(
            Config(
                connect_timeout=TIMEOUT,
                read_timeout=TIMEOUT,
                retries={"total_max_attempts": 1},
            )
        )
        client = storage._create_session().client(
            "s3",
            region_name=storage.region_name,
            use_ssl=storage.use_ssl,
            endpoint_url=storage.endpoint_url,
            config=config,
            verify=storage.verify,
        )
        _clients.clear()  # one configuration at a time
        _clients[key] = client
    return client
