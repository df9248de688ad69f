"""Filing a ticket, and a handler's reply, through Django's stack in one process: the
median of N requests, their queries, and optionally the profile of one (cProfile).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_NAME \\
        .venv/bin/python bench/filing_bench.py [--runs 30] [--reply] [--profile]

The database must be a throw-away one seeded with `seed_bulk` (the script refuses a
name without "bench"): each run commits what it files. The demo member `oda` files a
Kapasite Raporu problem with a PDF, as the form does; with --reply the responsible
`kapasite` answers each of those tickets in turn (its first answer takes it into work).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from categories.models import Category  # noqa: E402
from tickets.models import Ticket  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def filing(category: Category, n: int) -> tuple[str, dict]:
    return "/tickets/new/", {
        "category": category.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": f"Kapasite Raporu Prod Kodları {n}",
        "description": "Prod kodları eksik olarak yer almaktadır.",
        "submission": str(uuid.uuid4()),
        "attachments": [SimpleUploadedFile("rapor.pdf", PDF, "application/pdf")],
    }


def reply(ticket: Ticket, n: int) -> tuple[str, dict]:
    body = f"İnceliyoruz ({n})."
    return f"/tickets/{ticket.pk}/reply/", {"body": body, "submission": str(uuid.uuid4())}


def until_response(client: Client) -> Client:
    """Time each request until its response is ready, as a server would send it: the
    mail handed over after the response (common/handover.py) is not waited for."""
    inner = client.handler.get_response

    def get_response(request):
        start = time.perf_counter()
        response = inner(request)
        client.elapsed = (time.perf_counter() - start) * 1000
        client.queries = len(connection.queries)  # with DEBUG on: those of the response
        return response

    client.handler.get_response = get_response
    return client


def timed(client: Client, url: str, data: dict) -> float:
    response = client.post(url, data)
    assert response.status_code == 302, (response.status_code, url)
    return client.elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reply", action="store_true", help="time a handler's reply")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print the counted queries")
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Refusing to write to a database whose name lacks 'bench'.")
    settings.ALLOWED_HOSTS = ["*"]
    category = Category.objects.get(name="Kapasite Raporu")
    member, handler = until_response(Client()), until_response(Client())
    member.force_login(User.objects.get(username="oda"))
    handler.force_login(User.objects.get(username="kapasite"))

    def request(n):
        if not args.reply:
            return member, *filing(category, n)
        # A fresh ticket for each reply: the first answer is the costly one.
        timed(member, *filing(category, n))
        ticket = Ticket.objects.filter(requester__username="oda").order_by("-pk").first()
        return handler, *reply(ticket, n)

    for n in range(3):  # warm-up: the process's caches settle
        timed(*request(n))
    # Counted on the connection's log (a request's start empties it).
    client, url, data = request(3)
    settings.DEBUG = True
    timed(client, url, data)
    queries, after = client.queries, len(connection.queries) - client.queries
    if args.queries:
        for query in connection.queries:
            print(query["sql"][:160])
    settings.DEBUG = False
    if args.profile:
        profile = cProfile.Profile()
        client, url, data = request(4)
        profile.enable()
        timed(client, url, data)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(int(os.environ.get("TOP", "40")))
    times = [timed(*request(10 + n)) for n in range(args.runs)]
    what = "reply by a handler" if args.reply else "filing with a document"
    print(
        f"{what}: {Ticket.objects.count()} tickets, {queries} queries "
        f"(and {after} after the response), "
        f"median {statistics.median(times):.1f} ms of {args.runs} "
        f"(min {min(times):.1f}, max {max(times):.1f})"
    )


if __name__ == "__main__":
    main()
