"""Measures the site's pages over HTTP at one data size, as `bench/run` asks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_100k \\
        .venv/bin/python bench/pages.py --tickets 100000 --out /tmp/bench-100k.json

Fills the database to N tickets with `seed_bulk` (reused when it holds them already),
starts gunicorn with deploy/gunicorn.conf.py, signs each demo role in, and times every
page over HTTP on one kept-alive connection: a warm-up, then median, p95 and p99 of
--requests requests, beside a static file served through the same stack (the floor).
Each page's SQL queries are counted in this process through Django's test client, and
the three slowest queries of all are explained. Then every sort the list offers, both
directions, for each role (the median of a few requests each: the worst is what the
table is for). With --flames DIR, a flame graph of a handler's list and of a member's
ticket page, drawn by py-spy from gunicorn's workers (FLAMES). The results go to a JSON
file that `bench/report.py` turns into docs/benchmarks.md.
"""

import argparse
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from common.prepared import statement_text  # noqa: E402
from tickets.filters import TicketFilter  # noqa: E402
from tickets.models import Ticket  # noqa: E402

# (page, who, URL). {ticket} is a ticket the user may see, {rare} a rare word, {deep}
# the Next link of page 20 (a keyset page: past the cursor's row, not an offset).
PAGES = [
    ("member's list", "oda", "/tickets/"),
    ("union's list (subtree)", "bursa", "/tickets/"),
    ("handler's list (open, my categories)", "kapasite", "/tickets/"),
    ("handler's list, all, by priority", "kapasite", "/tickets/?status=&sort=-priority"),
    ("handler's list, all, by category", "kapasite", "/tickets/?status=&sort=category"),
    ("supervisor's list", "tesk", "/tickets/"),
    ("search, common words", "tesk", "/tickets/?q=prod+kodlari"),
    ("search, a rare word", "tesk", "/tickets/?q={rare}"),
    ("status + priority", "tesk", "/tickets/?status=waiting&priority=high"),
    ("sort by organisation", "tesk", "/tickets/?sort=organisation"),
    ("sort by category, descending", "tesk", "/tickets/?sort=-category"),
    ("page 40", "tesk", "/tickets/?page=40"),
    ("ticket page (member)", "oda", "/tickets/{ticket}/"),
    ("ticket page (supervisor)", "tesk", "/tickets/{ticket}/"),
    (
        "ticket page from the list by organisation",
        "oda",
        "/tickets/{ticket}/?list=sort%3Dorganisation",
    ),
    ("team's list by category, past 500 rows", "kapasite", "/tickets/{deep}"),
    ("CSV export, one month, first byte", "tesk", "/tickets/export.csv?created_from={month}"),
    ("help search, 1,000 articles", "oda", "/kb/?q=kapasite+raporu+prod+kodu"),
    ("help suggestions while filing", "oda", "/kb/suggest/?q=kapasite+raporu+prod+kodu"),
    ("dashboard (supervisor, everything)", "tesk", "/dashboard/"),
    ("dashboard (handler, my categories)", "kapasite", "/dashboard/"),
    ("dashboard (member, own organisation)", "oda", "/dashboard/"),
    ("dashboard table as CSV (supervisor)", "tesk", "/dashboard/durations.csv"),
]
ARTICLES = 1000
FILING = ("filing (POST)", "oda")
# Every sort (?sort=), both directions, by each role on its default list.
SORTS = [f"{d}{name}" for name in TicketFilter.base_filters["sort"].param_map for d in ("", "-")]
SORT_ROLES = ("oda", "bursa", "kapasite", "tesk")
SORT_REQUESTS = 5
# The pages of PAGES drawn as flame graphs, and their files: the pages people open most.
FLAMES = {
    "handler's list (open, my categories)": "flame-handlers-list.svg",
    "ticket page (member)": "flame-members-ticket-page.svg",
}
FLAME_REQUESTS = 500


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fill(total: int) -> None:
    call_command("migrate", verbosity=0)
    if Ticket.objects.count() < total:
        call_command("seed_bulk", tickets=total, force=True)
    call_command("seed_kb", bulk=ARTICLES, force=True, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def serve(port: int, workers: str | None = None) -> subprocess.Popen:
    """gunicorn as docs/deploy.md runs it, two workers for the two cores' worth."""
    env = {**os.environ, "WEB_CONCURRENCY": workers or os.environ.get("WEB_CONCURRENCY", "2")}
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    config = ROOT / "deploy" / "gunicorn.conf.py"
    command = [sys.executable, "-m", "gunicorn", "helpdesk_site.wsgi"]
    command += ["-c", str(config)] if config.exists() else []
    command += ["--bind", f"127.0.0.1:{port}", "--workers", env["WEB_CONCURRENCY"]]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603 - our own command line
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("gunicorn did not start")


class Browser:
    """One signed-in user on one kept-alive connection."""

    def __init__(self, port: int, username: str | None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}
        if username:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
                settings.SESSION_COOKIE_NAME
            ].value

    def request(self, method, url, body=None, headers=None, first_byte=False):
        """Milliseconds until the whole answer (or its first byte) arrived, and it."""
        headers = {"Host": "localhost", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        self.connection.request(method, url, body=body, headers=headers)
        response = self.connection.getresponse()
        if first_byte:
            response.read(1)
            elapsed = time.perf_counter() - start
            response.read()
        else:
            text = response.read()
            elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.status >= 400:
            sys.exit(f"{method} {url}: HTTP {response.status}")
        return elapsed * 1000, (b"" if first_byte else text)


def percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)

    def at(share):
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"median": statistics.median(ordered), "p95": at(0.95), "p99": at(0.99)}


# Between two requests of a streamed export: its first byte is timed on its own.
ALONE = 0.1


def time_page(browser, url, requests, warm_up, first_byte=False) -> dict:
    """With `first_byte` (a streamed export), each request waits ALONE seconds after the
    last one was read whole. Back to back, the next request would find the processor's
    caches full of the rows just streamed, thousands at a million tickets and some
    dozens at 10,000: the earlier export's cost, not its own. Waiting, every size's
    request starts as cold as a user's one export would (bench/README.md)."""
    timings = []
    for n in range(warm_up + requests):
        if first_byte and n:
            time.sleep(ALONE)
        elapsed, _ = browser.request("GET", url, first_byte=first_byte)
        if n >= warm_up:
            timings.append(elapsed)
    return percentiles(timings)


def time_filing(browser, requests, warm_up) -> dict:
    """Each POST files a ticket (the form's token read first, not timed)."""
    timings = []
    for n in range(warm_up + requests):
        _, form = browser.request("GET", "/tickets/new/")
        fields = dict(re.findall(rb'name="(csrfmiddlewaretoken|submission)" value="([^"]+)"', form))
        category = re.search(rb'name="category"[^>]*>.*?<option value="(\d+)"', form, re.S)
        kind = re.search(rb'name="kind"[^>]*>.*?<option value="(\d+|\w+)"', form, re.S)
        data = {
            "csrfmiddlewaretoken": fields[b"csrfmiddlewaretoken"].decode(),
            "category": category.group(1).decode(),
            "priority": "medium",
            "subject": f"Bench {n}",
            "description": "Kapasite raporu sayfası açılmıyor.",
        }
        if kind:
            data["kind"] = kind.group(1).decode()
        if b"submission" in fields:
            data["submission"] = fields[b"submission"].decode()
        body = urlencode(data)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "http://localhost/tickets/new/",
        }
        elapsed, _ = browser.request("POST", "/tickets/new/", body=body, headers=headers)
        if n >= warm_up:
            timings.append(elapsed)
    return percentiles(timings)


def flame(server, browser, url, path: Path) -> bool:
    """Draws where gunicorn's workers spend their CPU over FLAME_REQUESTS requests of
    `url` into the SVG file `path`: py-spy samples them meanwhile, a thousand times a
    second. A worker waiting, for PostgreSQL or for a request, is not sampled. False,
    with the reason said, when py-spy is missing or may not read the workers."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        print("no py-spy (scripts/setup.sh dev installs it): no flame graph", file=sys.stderr)
        return False
    for _ in range(10):
        browser.request("GET", url)
    command = [spy, "record", "--pid", str(server.pid), "--subprocesses", "--rate", "1000"]
    # --function: a function's samples together, whichever of its lines was running.
    command += ["--function", "--format", "flamegraph", "--output", str(path)]
    path.unlink(missing_ok=True)  # an older run's graph is not this one's
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603 - our own command line
    time.sleep(1)  # attached to every worker before the first request
    for _ in range(FLAME_REQUESTS):
        browser.request("GET", url)
    recorder.send_signal(signal.SIGINT)  # py-spy writes the graph when interrupted
    _, said = recorder.communicate(timeout=60)
    if not path.exists():
        print(f"py-spy drew no flame graph: {said.decode().strip()}", file=sys.stderr)
        return False
    return True


def draw_flames(directory: Path, values: dict) -> list[dict]:
    """FLAMES into `directory`, each from a site of one worker: its requests, one graph."""
    port = free_port()
    server = serve(port, workers="1")
    drawn = []
    try:
        for page, who, url in PAGES:
            if page not in FLAMES:
                continue
            path = (directory / FLAMES[page]).resolve()
            if flame(server, Browser(port, who), url.format(**values), path):
                drawn.append(
                    {"page": page, "who": who, "requests": FLAME_REQUESTS, "path": str(path)}
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return drawn


def count_queries(username, url) -> tuple[int, list[dict]]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(queries), queries.captured_queries


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--flames", type=Path, help="a directory for the flame graphs")
    args = parser.parse_args()
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit("Point DATABASE_URL at a throw-away PostgreSQL database named *bench*.")
    settings.ALLOWED_HOSTS = ["*"]
    fill(args.tickets)
    call_command("collectstatic", interactive=False, verbosity=0)

    ticket = Ticket.objects.filter(requester__username="oda").order_by("-pk").first()
    rare = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first()
    description = Ticket.objects.filter(pk__lte=rare // 2).order_by("-pk")
    rare_word = next(
        (
            m.group()
            for d in description.values_list("description", flat=True)[:5000]
            if (m := re.search(r"\b[A-Z]\d{6}\b", d))
        ),
        "A123456",
    )
    first = Ticket.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    month = first.date().replace(day=1).isoformat()
    values = {"ticket": ticket.pk, "rare": rare_word, "month": month}

    port = free_port()
    server = serve(port)
    try:
        # The floor: a static file, through the same gunicorn and WhiteNoise.
        floor_url = "/static/js/helpdesk.js"
        anonymous = Browser(port, None)
        results = {
            "tickets": Ticket.objects.count(),
            "postgresql": connection.cursor().connection.info.parameter_status("server_version"),
            "cache": "Redis" if settings.REDIS_URL else "the database's table",
            "floor": time_page(anonymous, floor_url, args.requests, args.warm_up),
            "pages": [],
        }
        twentieth = Browser(port, "kapasite").request(
            "GET", "/tickets/?team=mine&status=&sort=category&page=20"
        )
        values["deep"] = html.unescape(
            re.search(r'href="(\?[^"]*after=[^"]*)"', twentieth[1].decode())[1]
        )
        slow = []
        for page, who, url in PAGES:
            url = url.format(**values)
            browser = Browser(port, who)
            timing = time_page(
                browser, url, args.requests, args.warm_up, first_byte="export" in url
            )
            queries, captured = count_queries(who, url)
            slow += [(float(q["time"]), q["sql"], page) for q in captured]
            results["pages"].append({"page": page, "who": who, "queries": queries, **timing})
            print(f"{page:45} {timing['median']:8.1f} ms  {queries} queries", file=sys.stderr)
        filing = time_filing(Browser(port, FILING[1]), args.requests, args.warm_up)
        results["pages"].append({"page": FILING[0], "who": FILING[1], "queries": None, **filing})
        results["sorts"] = []
        for who in SORT_ROLES:
            browser = Browser(port, who)
            for sort in SORTS:
                timing = time_page(browser, f"/tickets/?sort={sort}", SORT_REQUESTS, 1)
                results["sorts"].append({"who": who, "sort": sort, "median": timing["median"]})
            worst = max(results["sorts"][-len(SORTS) :], key=lambda row: row["median"])
            said = f"every sort as {who}: worst {worst['sort']} {worst['median']:.1f} ms"
            print(said, file=sys.stderr)
        slow.sort(reverse=True)
        results["slowest"] = [
            {
                "page": page,
                "ms": seconds * 1000,
                "sql": statement_text(sql, connection),  # a prepared one's own text
                "plan": explain(sql),
            }
            for seconds, sql, page in slow[:3]
        ]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    results["flames"] = draw_flames(args.flames, values) if args.flames else []
    args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
