"""How fast the dashboard is at scale, uncached, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_100000 \\
        .venv/bin/python bench/dashboard_bench.py [--runs 5] [--explain] [--cached] \\
        [--who USERNAME] [--copy]

Times `/dashboard/` through Django's test client for the supervisor (`tesk`), a
handler (`kapasite`) and a member (`oda`) with the dashboard's cache turned off (with
--cached: on, filled by the warm-up, as the settings' cache keeps it): a warm-up,
then the median of --runs requests, and the page's SQL queries. With
--explain it prints each page's queries over 5 ms with their times and, for those
over 20 ms, PostgreSQL's plan. The database must already hold the data (`seed_bulk`,
then `refresh_dashboard --counts` for the kept counts and the snapshot); --copy lets
it be a copy of one under another name.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from tickets.models import Ticket  # noqa: E402

WHO = [
    ("supervisor, everything", "tesk"),
    ("handler, my categories", "kapasite"),
    ("member, own organisation", "oda"),
]
URL = "/dashboard/"


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--cached", action="store_true")
    parser.add_argument("--who", action="append", help="only these usernames (repeatable)")
    parser.add_argument(
        "--copy",
        action="store_true",
        help="the database is a copy made to measure, whatever its name",
    )
    args = parser.parse_args()
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or ("bench" not in name and not args.copy):
        sys.exit("Point DATABASE_URL at a PostgreSQL database named *bench* (or say --copy).")
    settings.ALLOWED_HOSTS = ["*"]
    if not args.cached:
        settings.HELPDESK_DASHBOARD_CACHE_SECONDS = 0
    print(f"{Ticket.objects.count():,} tickets\n")
    print("| who | median ms | SQL queries |\n| --- | ---: | ---: |")
    for label, username in WHO:
        if args.who and username not in args.who:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(URL)  # warm-up
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(URL)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(URL)
        print(f"| {label} ({username}) | {statistics.median(timings):.0f} | {len(queries)} |")
        if args.explain:
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
                seconds = float(query["time"])
                if seconds < 0.005:
                    break
                print(f"\n{seconds * 1000:.1f} ms: {query['sql'][:300]}")
                if seconds > 0.02:
                    print(explain(query["sql"]))


if __name__ == "__main__":
    main()
