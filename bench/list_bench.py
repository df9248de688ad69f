"""How fast the ticket list is at scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench \\
        .venv/bin/python bench/list_bench.py --tickets 1000000

Fills the database named by DATABASE_URL (it must be a throw-away one: the script
refuses any name without "bench") with the demo data and `seed_bulk`'s generated
organisations, people and N tickets (a second run reuses them), then times the pages
each demo role opens most, through the whole Django stack (middleware, visibility,
filters, template), and prints a table with the median and p95 time of each, its
median time in SQL, its median CPU time in this process (Python's share: a machine busy
with other work inflates both less than the whole) and its number of queries.
With --explain it also prints PostgreSQL's plan of each list query.

With --no-fill it measures the database as it is (a copy of a filled one, under any
name): nothing is added but the sessions of the signed-in roles.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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
from tickets.models import Ticket  # noqa: E402

PAGES = [
    ("oda", "/tickets/", "chamber member, default list"),
    ("bursa", "/tickets/", "union member, its subtree"),
    ("kapasite", "/tickets/", "responsible, open tickets of my categories"),
    ("kapasite", "/tickets/?status=&sort=-priority", "responsible, all, by priority"),
    ("kapasite", "/tickets/?category=1", "responsible, one of my categories"),
    ("kapasite", "/tickets/?view=mine", "responsible, my open"),
    ("tesk", "/tickets/", "supervisor, everything"),
    ("tesk", "/tickets/?q=prod+kodlari", "supervisor, text search, common words"),
    ("tesk", "/tickets/?q={rare}", "supervisor, text search, a rare word"),
    ("tesk", "/tickets/?status=waiting&priority=high", "supervisor, status + priority"),
    ("tesk", "/tickets/?created_from=2024-01-01&created_to=2024-01-31", "supervisor, one month"),
    ("tesk", "/tickets/?sort=organisation&page=40", "supervisor, by organisation, page 40"),
    ("tesk", "/tickets/1/", "supervisor, a ticket's page"),
]


def fill(total: int, seed: str) -> None:
    """The demo data and generated tickets up to `total` (`manage.py seed_bulk`)."""
    call_command("migrate", verbosity=0)
    call_command("seed_bulk", tickets=total, seed=seed, force=True)


def rare_word() -> str:
    """A serial number that one ticket's description gives, and few others."""
    top = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first()
    descriptions = (
        Ticket.objects.filter(pk__gte=top // 2).order_by("pk").values_list("description", flat=True)
    )
    for description in descriptions[:10_000]:
        if found := re.search(r"\b[A-Z]\d{6}\b", description):
            return found.group()
    return "A123456"


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def measure(runs: int, explain: bool) -> None:
    print(f"\n{Ticket.objects.count():,} tickets, {runs} runs each, median\n")
    print("| who | page | median ms | p95 | SQL ms | CPU ms | SQL queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    rare = rare_word()
    for username, url, label in PAGES:
        url = url.format(rare=rare)
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(url)  # warm caches
        timings, in_sql, cpu = [], [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            in_sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        median, p95, sql, python = (
            statistics.median(timings),
            _percentile(timings, 95),
            statistics.median(in_sql),
            statistics.median(cpu),
        )
        print(
            f"| {username} | {label} | {median:.0f} | {p95:.0f} | {sql:.0f} | {python:.0f} "
            f"| {len(queries)} |"
        )
        if explain:
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
                print("\n".join("    " + row[0] for row in cursor.fetchall()))


def profile(page: tuple[str, str, str], runs: int) -> None:
    """Where one page's Python goes: cProfile over `runs` requests, after a warm-up."""
    username, url, label = page
    url = url.format(rare=rare_word())
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    print(f"{username}: {label}, {runs} requests")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--seed", default="1", help="seed_bulk's seed: the same data again")
    parser.add_argument("--no-fill", action="store_true", help="measure the data as it is")
    parser.add_argument(
        "--profile", metavar="N", type=int, help="profile page N (from 1) instead, over --runs"
    )
    args = parser.parse_args()
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL database.")
    settings.ALLOWED_HOSTS = ["*"]
    if not args.no_fill:
        if "bench" not in name:
            sys.exit("Point DATABASE_URL at a throw-away PostgreSQL database named *bench*.")
        fill(args.tickets, args.seed)
    if args.profile:
        profile(PAGES[args.profile - 1], args.runs)
    else:
        measure(args.runs, args.explain)


if __name__ == "__main__":
    main()
