"""Real services for the health checks: Redis (the one on this machine, database 4, or
one started here), moto's S3 server, and ports that refuse or never answer."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REDIS_DB = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(200):
        if answers(port):
            return
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not open port {port}")


@pytest.fixture(scope="session")
def redis_url():
    """Redis on this machine (database 4), else one started for the tests; skipped only
    where no Redis is installed at all."""
    port = int(os.environ.get("TEST_REDIS_PORT", "6379"))  # as the root conftest.py
    if answers(port):
        yield f"redis://127.0.0.1:{port}/{REDIS_DB}"
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip(f"Redis is neither running on 127.0.0.1:{port} nor installed")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the services the tests need
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/{REDIS_DB}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server, in server mode, on a port of its own."""
    executable = Path(sys.executable).with_name("moto_server")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the services the tests need
        [str(executable), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, process, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def s3_storages(endpoint: str, bucket: str) -> dict:
    """STORAGES with attachments in `bucket` at `endpoint` (django-storages)."""
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
            },
        },
    }


@pytest.fixture
def bucket(s3_endpoint):
    """A new bucket on moto's server."""
    import uuid

    import boto3

    name = f"health-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket=name)
    return name


@pytest.fixture
def closed_port():
    """A port nothing listens on: connections are refused."""
    return free_port()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]
