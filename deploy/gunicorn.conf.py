"""Gunicorn's settings for the site: `gunicorn -c deploy/gunicorn.conf.py helpdesk_site.wsgi`.

Sync workers, one request per process at a time. nginx in front buffers request bodies
(uploads of up to 100 MB) and responses (exports), so a slow client never holds a
worker; what remains is database-bound work of milliseconds. A sync worker is also the
only kind whose `timeout` ends a request that runs too long, which the export limit
relies on (HELPDESK_EXPORT_MAX_ROWS is sized to stream well inside 60 s). Threads would
buy little here and would make that limit, and each process's database connections,
harder to reason about.

Everything a machine may change comes from the environment (docs/deploy.md).
"""

import gc
import importlib
import ipaddress
import json
import multiprocessing
import os
from pathlib import Path
from urllib.parse import urlsplit

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")


def _database_is_here() -> bool:
    """Whether DATABASE_URL names this machine (a loopback address, a local socket, or
    SQLite's file)."""
    try:
        host = urlsplit(os.environ.get("DATABASE_URL", "")).hostname
    except ValueError:  # not a URL the site could read either: the site will say so
        return False
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: another machine's
        return False


# Gunicorn's advice for sync workers: two per core, plus one to take the next request.
# Where PostgreSQL shares the machine, one per core plus one: each worker's request waits
# on a database that needs the same cores, and each process more takes turns on them (on
# two cores, 3 workers served 6 to 22 % more requests a second than 5; bench/README.md).
workers = int(
    os.environ.get("WEB_CONCURRENCY")
    or (1 if _database_is_here() else 2) * multiprocessing.cpu_count() + 1
)
worker_class = "sync"
# A request still running after this many seconds is ended (and its worker restarted).
timeout = 60
# On a restart, requests in flight get this long to finish.
graceful_timeout = 30
# Each worker is replaced after about this many requests, at different moments
# (jitter), so that memory a library keeps growing is given back without a pause. Not
# much more often: a new worker costs about a second of CPU to load the site and its
# first pages compile their templates, so at 1,000 a busy machine (150 requests a
# second) would spend some 5 % of its CPU on restarts.
max_requests = 10_000
max_requests_jitter = 1_000
# Behind nginx on the same machine: only its X-Forwarded-Proto is believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The site is loaded once, in the arbiter, and the workers are forked from it: they
# share the memory of the loaded code rather than each holding a copy of its own, and
# at 50 users on two cores served 1 to 13 % more requests a second (bench/README.md). A
# new version's code then comes with `systemctl restart` (HUP forks new workers from
# the code the arbiter holds); systemd keeps the port open meanwhile
# (helpdesk-web.socket), so requests wait for the new workers rather than fail.
# GUNICORN_PRELOAD=0 loads the site in each worker instead, and HUP brings new code.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# No control socket: systemd stops and reloads (HUP) the arbiter, and the default socket
# in $HOME would be shared by two instances on one machine (and $HOME is read-only
# under the unit's ProtectHome).
control_socket_disable = True

# The access log is off: nginx keeps one, and the site logs its requests itself. With
# GUNICORN_ACCESS_LOG=- (or a file) it is one JSON line a request, with the path but
# never the query string, which may hold what someone searched for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "remote": "%({x-forwarded-for}i)s",
    }
)
errorlog = "-"
loglevel = "info"


def _metrics_dir() -> Path | None:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(path) if path else None


def on_starting(server):
    """Each start counts from zero: the files of a previous run's workers would add
    their numbers to this run's (prometheus_client's multiprocess mode)."""
    directory = _metrics_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def when_ready(server):
    """With the site preloaded, the arbiter has loaded what each worker would, before it
    forks them: the URLconf too, then all of it kept out of the cycle collector's sight
    (gc.freeze before the fork, so that no collection writes to the pages the workers
    share). No database connection the loading opened may pass to the workers: two
    processes on one connection mix their queries."""
    if not preload_app:
        return
    from django.conf import settings
    from django.db import connections

    importlib.import_module(settings.ROOT_URLCONF)
    connections.close_all()
    gc.freeze()


def post_worker_init(worker):
    """The URLconf, and with it every view's module, imported now rather than by the
    worker's first request (about half a second, every max_requests). Then what loading
    the site made lives as long as the worker: out of the cycle collector's sight
    (gc.freeze), and the collector run after 50,000 allocations rather than 700. A list
    page allocates some hundred thousand objects, nearly all freed by their reference
    counts; the collector's passes over them cost a few per cent of each request's time."""
    from django.conf import settings

    importlib.import_module(settings.ROOT_URLCONF)
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def child_exit(server, worker):
    """A worker that ended (max_requests, timeout, crash) stops counting in the live
    gauges; its counters stay, summed with the others'."""
    if _metrics_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
