"""The production files in deploy/ agree with the settings and with docs/deploy.md."""

import gc
import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .site_process import Browser, site_environment

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
READS = re.compile(r'(?:os\.environ\.get|env_bool|env_list|os\.environ\[)\(?\s*"([A-Z0-9_]+)"')


def variables_read() -> set[str]:
    names = set()
    for source in (ROOT / "helpdesk_site" / "settings.py", DEPLOY / "gunicorn.conf.py"):
        names.update(READS.findall(source.read_text()))
    return names | {"DATABASE_URL"}  # read by dj_database_url


def documented(path: Path, heading: str) -> set[str]:
    text = path.read_text()
    table = text[text.index(heading) :]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_variable_the_site_reads_is_in_the_guide_and_the_readme():
    read = variables_read()

    assert read - documented(ROOT / "docs" / "deploy.md", "## Environment variables") == set()
    assert read - documented(ROOT / "README.md", "## Settings") == set()


def test_every_variable_of_the_env_file_is_in_the_guide():
    names = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (DEPLOY / "env.example").read_text(), re.M))

    assert names - documented(ROOT / "docs" / "deploy.md", "## Environment variables") == set()


def gunicorn_config(monkeypatch, **environment) -> dict:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


@pytest.mark.parametrize(
    "database, per_core",
    [
        ("postgres://helpdesk@db.example.org:5432/helpdesk", 2),
        ("postgres://helpdesk@10.0.0.7/helpdesk", 2),
        ("postgres://helpdesk@127.0.0.1:5432/helpdesk", 1),
        ("postgres://helpdesk@[::1]:5432/helpdesk", 1),
        ("postgres://helpdesk@localhost/helpdesk", 1),
        ("postgres:///helpdesk?host=/var/run/postgresql", 1),
        ("sqlite:////srv/helpdesk/db.sqlite3", 1),
        ("postgres://helpdesk@[not an address/helpdesk", 2),
    ],
)
def test_gunicorn_runs_a_worker_a_core_or_two_plus_one_unless_told(monkeypatch, database, per_core):
    """Two a core plus one with the database elsewhere; one a core plus one where it
    shares the machine."""
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = gunicorn_config(monkeypatch, DATABASE_URL=database)
    assert config["workers"] == per_core * os.cpu_count() + 1
    assert gunicorn_config(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_preloaded_site_hands_its_workers_no_database_connection(monkeypatch):
    """The site is preloaded unless told not to; then the arbiter closes what loading
    opened before it forks the workers."""
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    assert gunicorn_config(monkeypatch, GUNICORN_PRELOAD="0")["preload_app"] is False
    monkeypatch.delenv("GUNICORN_PRELOAD")
    config = gunicorn_config(monkeypatch)
    assert config["preload_app"] is True
    connection.ensure_connection()

    try:
        config["when_ready"](None)
    finally:
        gc.unfreeze()

    assert connection.connection is None


def test_gunicorn_ends_a_request_where_the_export_limit_expects(monkeypatch):
    config = gunicorn_config(monkeypatch)

    assert config["worker_class"] == "sync"  # the only kind whose timeout ends a request
    assert config["timeout"] == 60
    assert (
        "60 s worker timeout" in Path(settings.BASE_DIR / "helpdesk_site/settings.py").read_text()
    )


def test_a_dead_worker_stops_counting_in_the_live_gauges(monkeypatch, tmp_path):
    config = gunicorn_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"x")
    (tmp_path / "counter_4242.db").write_bytes(b"x")

    config["child_exit"](None, type("Worker", (), {"pid": 4242}))

    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter_4242.db"]


def test_gunicorn_starts_counting_from_zero(monkeypatch, tmp_path):
    config = gunicorn_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1.db").write_bytes(b"x")

    config["on_starting"](None)

    assert list((tmp_path / "metrics").iterdir()) == []


def nginx_site() -> str:
    return (DEPLOY / "nginx" / "helpdesk.conf").read_text() + (
        DEPLOY / "nginx" / "helpdesk_proxy.conf"
    ).read_text()


def test_nginx_refuses_a_body_over_the_sites_own_limit():
    (size,) = re.findall(r"client_max_body_size (\d+)m;", nginx_site())

    assert int(size) * 1024 * 1024 == settings.HELPDESK_MAX_REQUEST_SIZE


def test_nginx_sets_the_visitors_address_and_serves_nothing_from_media():
    site = nginx_site()

    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "media" not in " ".join(re.findall(r"(?:alias|root) [^;]+;", site))
    assert re.search(r"location \^~ /metrics \{ deny all; \}", site)


def test_nginx_waits_as_long_as_a_worker_may_work(monkeypatch):
    (read_timeout,) = re.findall(r"proxy_read_timeout (\d+)s;", nginx_site())

    assert int(read_timeout) >= gunicorn_config(monkeypatch)["timeout"]


UNITS = sorted((DEPLOY / "systemd").glob("helpdesk-*.service"))
SOCKETS = sorted((DEPLOY / "systemd").glob("helpdesk-*.socket"))
NGINX_SITE = DEPLOY / "nginx" / "helpdesk.conf"


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_each_service_runs_locked_down_as_the_sites_user(unit):
    text = unit.read_text()

    for line in (
        "User=helpdesk",
        "EnvironmentFile=/etc/helpdesk/env",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/helpdesk/media",
        "PrivateTmp=yes",
        "Restart=on-failure",
    ):
        assert line in text.splitlines(), line
    assert "migrate" not in re.findall(r"^Exec.*$", text, re.M)[0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units(tmp_path):
    python = Path(sys.executable)
    for unit in UNITS + SOCKETS:
        text = unit.read_text().replace("/srv/helpdesk/venv/bin", str(python.parent))
        (tmp_path / unit.name).write_text(text.replace("/srv/helpdesk/app", str(ROOT)))

    units = sorted(map(str, tmp_path.iterdir()))
    result = subprocess.run(  # noqa: S603 - our own unit files
        [shutil.which("systemd-analyze"), "verify", "--man=no", *units],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


def test_the_load_script_refuses_hosts_off_this_machine():
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "bench/load.py", "--base-url", "http://10.1.2.3:8000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 2
    assert "not a loopback address" in result.stderr


@pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("openssl") is None,
    reason="nginx is not installed here (.ci/run installs it)",
)
def test_nginx_accepts_the_site(tmp_path):
    """`nginx -t` on the site as shipped, with a throw-away certificate."""
    openssl, nginx = shutil.which("openssl"), shutil.which("nginx")
    subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")]
        + ["-subj", "/CN=destek.example.org"],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "helpdesk.conf").read_text()
    site = re.sub(r"/etc/letsencrypt/\S+/fullchain.pem", str(tmp_path / "cert.pem"), site)
    site = re.sub(r"/etc/letsencrypt/\S+/privkey.pem", str(tmp_path / "key.pem"), site)
    site = site.replace("/etc/nginx/helpdesk_proxy.conf", str(DEPLOY / "nginx/helpdesk_proxy.conf"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )

    result = subprocess.run(  # noqa: S603 - our own configuration
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


def test_a_worker_keeps_what_it_loaded_out_of_the_cycle_collectors_passes(monkeypatch):
    config = gunicorn_config(monkeypatch)
    threshold = gc.get_threshold()
    try:
        config["post_worker_init"](None)

        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 50_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_a_new_worker_imports_the_views_before_its_first_request():
    # In a fresh process, as gunicorn's worker after loading the site.
    probe = (
        "import runpy, sys, django; django.setup(); "
        "runpy.run_path('deploy/gunicorn.conf.py')['post_worker_init'](None); "
        "print('tickets.views' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "True"


def test_the_web_service_takes_its_port_from_the_socket_unit_that_nginx_proxies_to():
    socket_unit = (DEPLOY / "systemd" / "helpdesk-web.socket").read_text()
    service = (DEPLOY / "systemd" / "helpdesk-web.service").read_text().splitlines()
    upstream = re.search(r"upstream helpdesk \{\s*server ([\d.:]+);", NGINX_SITE.read_text())

    assert "Requires=helpdesk-web.socket" in service
    assert f"ListenStream={upstream.group(1)}" in socket_unit.splitlines()


def socket_activated_site(listener: socket.socket, environment: dict, log) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py as systemd starts it with the socket unit:
    the listening port handed over as descriptor 3 (LISTEN_FDS, LISTEN_PID)."""
    handed = listener.fileno()
    as_systemd = (
        "import os, sys; os.dup2(int(sys.argv[1]), 3); "
        "os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS='1'); "
        "os.execv(sys.executable, [sys.executable, '-m', 'gunicorn', *sys.argv[2:]])"
    )
    return subprocess.Popen(  # noqa: S603 - our own interpreter and configuration
        [sys.executable, "-c", as_systemd, str(handed)]
        + ["-c", "deploy/gunicorn.conf.py", "helpdesk_site.wsgi"],
        cwd=ROOT,
        env=environment,
        pass_fds=(handed,),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_restart_of_the_web_service_keeps_requests_waiting_rather_than_refused(tmp_path):
    """A new version's code comes with a restart (the site is preloaded): the port
    stays open meanwhile, as the socket unit holds it, and a request made while no
    gunicorn runs is answered by the next one."""
    environment = site_environment(
        f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path / "media", WEB_CONCURRENCY="1"
    )
    environment.pop("GUNICORN_PRELOAD", None)
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    port = listener.getsockname()[1]
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    waiting = ThreadPoolExecutor(max_workers=1)
    first = socket_activated_site(listener, environment, log)
    try:
        assert eventually(lambda: Browser(port).get("/accounts/login/")[0]) == 200
        first.terminate()
        first.wait(timeout=30)

        answer = waiting.submit(lambda: Browser(port).get("/accounts/login/")[0])
        time.sleep(0.5)  # the request is in the port's queue, nobody to take it
        assert not answer.done()
        second = socket_activated_site(listener, environment, log)
        try:
            assert answer.result(timeout=60) == 200
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        waiting.shutdown()
        listener.close()
        log.close()


def eventually(probe, seconds=30):
    """The probe's answer once it gives one (the site is loading until then)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return probe()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
