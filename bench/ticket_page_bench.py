"""The ticket's page through Django's stack in one process: the median of N requests,
and optionally the profile of one (cProfile), on a database seeded with `seed_bulk`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_NAME \\
        .venv/bin/python bench/ticket_page_bench.py [--user tesk] [--runs 20] [--profile]

The ticket is the one `bench/pages.py` opens: the demo member `oda`'s latest.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
# As bench/pages.py serves it: DEBUG on would also check every widget template's file.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from tickets.models import Ticket  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="tesk")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--ticket", type=int, help="another ticket (an open one shows forms)")
    parser.add_argument("--query", default="", help="appended to the URL, e.g. ?list=...")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    tickets = Ticket.objects.all()
    if args.ticket:
        ticket = tickets.get(pk=args.ticket)
    else:
        ticket = tickets.filter(requester__username="oda").order_by("-pk").first()
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    url = f"/tickets/{ticket.pk}/{args.query}"
    for _ in range(3):
        assert client.get(url).status_code == 200
    settings.DEBUG = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    settings.DEBUG = False
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("ROWS", 45)))
        return
    # Wall time, and this process's CPU time: on a shared machine the second says more
    # about the Python and template work.
    times, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{url} as {args.user} ({ticket.status}, {ticket.events.count()} events): "
        f"median {statistics.median(times):.1f} ms (min {min(times):.1f}), CPU median "
        f"{statistics.median(cpu):.1f} ms, over {args.runs} requests; {queries} queries"
    )


if __name__ == "__main__":
    main()
