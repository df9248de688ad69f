"""How fast the ticket list is at scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench \\
        .venv/bin/python bench/list_bench.py --tickets 1000000

Fills the database named by DATABASE_URL (it must be a throw-away one: the script
refuses any name without "bench") with the demo data, a few hundred organisations
and N tickets, then times the pages each demo role opens most, through the whole
Django stack (middleware, visibility, filters, template), and prints a table with
the median time and the number of SQL queries of each. With --explain it also
prints PostgreSQL's plan of each list query.
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
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Organisation, OrganisationKind, User  # noqa: E402
from tickets.models import Ticket  # noqa: E402

PAGES = [
    ("oda", "/tickets/", "chamber member, default list"),
    ("bursa", "/tickets/", "union member, its subtree"),
    ("kapasite", "/tickets/", "responsible, open tickets of my categories"),
    ("kapasite", "/tickets/?status=&sort=-priority", "responsible, all, by priority"),
    ("tesk", "/tickets/", "supervisor, everything"),
    ("tesk", "/tickets/?q=prod+kodlari", "supervisor, text search, common words"),
    ("tesk", "/tickets/?q=sorun+777777", "supervisor, text search, a rare word"),
    ("tesk", "/tickets/?status=waiting&priority=high", "supervisor, status + priority"),
    ("tesk", "/tickets/?created_from=2024-01-01&created_to=2024-01-31", "supervisor, one month"),
    ("tesk", "/tickets/?sort=organisation&page=40", "supervisor, by organisation, page 40"),
    ("tesk", "/tickets/1/", "supervisor, a ticket's page"),
]


def fill(total: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, verbosity=0)
    tesk = Organisation.objects.get(kind=OrganisationKind.CONFEDERATION)
    if not Organisation.objects.filter(name__startswith="Bench union").exists():
        for u in range(40):
            union = Organisation.objects.create(
                name=f"Bench union {u}", kind=OrganisationKind.UNION, parent=tesk
            )
            for c in range(10):
                chamber = Organisation.objects.create(
                    name=f"Bench chamber {u}-{c}", kind=OrganisationKind.CHAMBER, parent=union
                )
                User.objects.create(username=f"bench{u}_{c}", organisation=chamber)
    missing = total - Ticket.objects.count()
    if missing <= 0:
        return
    print(f"inserting {missing} tickets ...", flush=True)
    with connection.cursor() as cursor:
        # Requesters are the members of chambers; one ticket in 50 is İnegöl's.
        cursor.execute(
            """
            WITH members AS (
                SELECT row_number() OVER (ORDER BY id) AS n, id, organisation_id
                FROM accounts_user WHERE organisation_id IS NOT NULL AND role = 'member'
            ), counts AS (SELECT count(*) AS c FROM members),
            cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM categories_category),
            kind AS (SELECT id FROM tickets_ticketkind WHERE code = 'problem')
            INSERT INTO tickets_ticket (requester_id, organisation_id, category_id, kind_id,
                priority, status, channel, subject, description, created_at, read_at,
                resolved_at, search_text, log_seal)
            SELECT m.id, m.organisation_id, cats.ids[1 + (g / 18) %% array_length(cats.ids, 1)],
                kind.id,
                (ARRAY['low','medium','high'])[1 + (g / 6) %% 3],
                (ARRAY['waiting','in_progress','resolved','closed','closed','closed'])[1 + g %% 6],
                'web', 'Sorun ' || g, 'Kapasite raporu prod kodları eksik ' || g,
                now() - (g %% 1800) * interval '1 day' - (g %% 1440) * interval '1 minute',
                CASE WHEN g %% 2 = 0 THEN now() - (g %% 1800) * interval '1 day' END,
                CASE WHEN g %% 6 >= 2 THEN now() - (g %% 1800) * interval '1 day' END,
                'sorun ' || g || ' kapasite raporu prod kodlari eksik ' || g, ''
            FROM generate_series(1, %s) AS g, counts, cats, kind,
                 LATERAL (SELECT * FROM members WHERE n = 1 + (g::bigint * 7919) %% counts.c) AS m
            """,
            [missing],
        )
        cursor.execute("ANALYZE")


def measure(runs: int, explain: bool) -> None:
    print(f"\n{Ticket.objects.count():,} tickets, {runs} runs each, median\n")
    print("| who | page | ms | SQL queries |")
    print("| --- | --- | ---: | ---: |")
    for username, url, label in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(url)  # warm caches
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"| {username} | {label} | {statistics.median(timings):.0f} | {len(queries)} |")
        if explain:
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
                print("\n".join("    " + row[0] for row in cursor.fetchall()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit("Point DATABASE_URL at a throw-away PostgreSQL database named *bench*.")
    settings.ALLOWED_HOSTS = ["*"]
    fill(args.tickets)
    measure(args.runs, args.explain)


if __name__ == "__main__":
    main()
