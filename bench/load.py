"""A bounded load on the site's own instances, then a count of what it left behind.

    DATABASE_URL=postgres://... python bench/load.py --prepare [--users 50]
    DATABASE_URL=postgres://... python bench/load.py --base-url http://127.0.0.1:8001 \\
        --base-url http://127.0.0.1:8002 [--users 50] [--duration 300]

`--prepare` makes the load's accounts (bench/README.md): members `load_member_<n>` in
the demo's İnegöl chamber and Ankara union, handlers `load_handler_<n>` each on one
category's team, all with `--password`. Then a run: each simulated user signs in and,
until the duration is over, acts as people do. Members file tickets with a small
document, read their list and their tickets, download a document and reply; handlers
read their list, open the tickets this run filed, reply and resolve. Requests go to
the base URLs in turn (the instances of one site, sharing sessions in Redis). Only
loopback addresses are accepted.

It prints the throughput and the 50th, 95th and 99th percentile of each kind of page,
then counts in the database (DATABASE_URL, through Django's ORM) the tickets, events
and documents the run made, and compares them with the requests that succeeded:
nothing lost, nothing twice. Exit status 1 on any 5xx, failed connection or mismatch.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")

from bench.webclient import (  # noqa: E402
    ATTACHMENT_LINK,
    DOCUMENTS_REDIRECT,
    TICKET_LINK,
    Client,
    NotLoopback,
    require_loopback,
)

MEMBER, HANDLER = "load_member_", "load_handler_"


def split(users: int) -> tuple[int, int]:
    """Members and handlers among `users`: one handler for four members."""
    handlers = max(1, users // 5)
    return users - handlers, handlers


# ---------------------------------------------------------------- the accounts


def prepare(users: int, password: str) -> None:
    """Create (or bring back) the load's accounts; a second run changes nothing else."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, User
    from categories.models import Category

    members, handlers = split(users)
    try:
        homes = [User.objects.get(username=name).organisation for name in ("oda", "birlik")]
        tesk = User.objects.get(username="tesk").organisation
    except User.DoesNotExist:
        sys.exit("Run `manage.py seed_demo --force` first: the load uses its organisations.")
    categories = list(Category.objects.filter(is_active=True).order_by("pk"))
    # One hash for all: hashing each password the slow way buys nothing here.
    hashed = make_password(password)
    for n in range(1, members + 1):
        User.objects.update_or_create(
            username=f"{MEMBER}{n}",
            defaults={
                "organisation": homes[n % len(homes)],
                "email": f"{MEMBER}{n}@example.org",
                "password": hashed,
                "is_active": True,
            },
        )
    for n in range(1, handlers + 1):
        user, _ = User.objects.update_or_create(
            username=f"{HANDLER}{n}",
            defaults={
                "organisation": tesk,
                "role": Role.STAFF,
                "email": f"{HANDLER}{n}@example.org",
                "password": hashed,
                "is_active": True,
            },
        )
        categories[(n - 1) % len(categories)].responsibles.add(user)
    print(f"Prepared {members} members and {handlers} handlers (password as given).")


def categories_with_load_handlers(handlers: int) -> dict[int, str]:
    """The categories the load's handlers answer for: members file only there."""
    from categories.models import Category

    teams = Category.objects.filter(
        is_active=True, responsibles__username__in=[f"{HANDLER}{n}" for n in range(1, handlers + 1)]
    )
    return dict(teams.values_list("pk", "name").distinct())


# ---------------------------------------------------------------- the run


class Run:
    """What every simulated user saw, shared between their threads."""

    def __init__(self, categories: dict[int, str]):
        self.lock = threading.Lock()
        self.categories = list(categories)
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.failures: list[str] = []  # 5xx and failed connections
        self.unexpected: list[str] = []  # other answers a user should not have had
        self.filed: dict[int, int] = {}  # ticket id -> its document's size
        self.documents: dict[int, bytes] = {}
        self.replies = 0
        self.resolved: set[int] = set()
        self.read_by_handlers: set[int] = set()

    def record(self, kind: str, seconds: float, status: int | None, what: str) -> None:
        with self.lock:
            self.timings[kind].append(seconds)
            self.statuses[status] += 1
            if status is None or status >= 500:
                self.failures.append(f"{kind} {what}: {status or 'no answer'}")

    def tickets(self) -> list[int]:
        with self.lock:
            return list(self.filed)


class User:
    def __init__(self, run: Run, client: Client, username: str, deadline: float, think: float):
        self.run, self.client, self.username = run, client, username
        self.deadline, self.think = deadline, think
        self.random = random.Random(username)
        self.own: list[int] = []

    def call(self, kind: str, send, what: str):
        started = time.perf_counter()
        try:
            response = send()
        except Exception as error:  # noqa: BLE001 - a failed connection is a result
            self.run.record(kind, time.perf_counter() - started, None, f"{what} {error!r}")
            return None
        self.run.record(kind, time.perf_counter() - started, response.status, what)
        return response

    def unexpected(self, kind: str, response) -> None:
        if response is not None and response.status < 500:
            with self.run.lock:
                self.run.unexpected.append(f"{self.username} {kind}: {response.status}")

    def succeeded(self, kind: str, path: str, response) -> bool:
        """Whether an action's POST was carried out: a redirect to a page that says so."""
        if response is None or response.status != 302:
            self.unexpected(kind, response)
            return False
        page = self.call("detail", lambda: self.client.get(response.location), path)
        return page is not None and page.status == 200 and bool(page.alerts("success"))

    def loop(self) -> None:
        while time.monotonic() < self.deadline:
            self.step()
            time.sleep(self.random.uniform(0, self.think))


class Member(User):
    def step(self) -> None:
        roll = self.random.random()
        if roll < 0.25 or not self.own:
            self.file()
        elif roll < 0.55:
            self.call("list", lambda: self.client.get("/tickets/"), "/tickets/")
        elif roll < 0.80:
            self.read_own()
        else:
            self.reply()

    def file(self) -> None:
        form = self.call("new", lambda: self.client.get("/tickets/new/"), "/tickets/new/")
        if form is None or form.status != 200:
            return self.unexpected("new", form)
        document = f"{self.username} {time.time_ns()} ölçüm\n".encode() * self.random.randint(1, 40)
        fields = {
            "category": self.random.choice(self.run.categories),
            "kind": "problem",
            "priority": self.random.choice(["low", "medium", "high"]),
            "subject": f"Yük testi {self.username} {len(self.own) + 1}",
            "description": "Kapasite raporunda eksik kodlar var.",
            "submission": form.submission(),
        }
        files = [("attachments", "rapor.txt", document, "text/plain")]
        response = self.call(
            "file",
            lambda: self.client.post("/tickets/new/", fields, files, csrf_from=form),
            "POST /tickets/new/",
        )
        if response is None or response.status != 302:
            return self.unexpected("file", response)
        match = DOCUMENTS_REDIRECT.match(response.location)
        if match is None:
            return self.unexpected("file", response)
        pk = int(match.group(1))
        self.own.append(pk)
        with self.run.lock:
            self.run.filed[pk] = len(document)
            self.run.documents[pk] = document

    def read_own(self) -> None:
        pk = self.random.choice(self.own)
        page = self.call("detail", lambda: self.client.get(f"/tickets/{pk}/"), f"/tickets/{pk}/")
        if page is None or page.status != 200:
            return self.unexpected("detail", page)
        links = ATTACHMENT_LINK.findall(page.text)
        if links and self.random.random() < 0.5:
            download = self.call(
                "download", lambda: self.client.get(f"/attachments/{links[0]}/"), "/attachments/"
            )
            differs = download is not None and download.body != self.run.documents.get(pk)
            if download is not None and download.status == 200 and differs:
                with self.run.lock:
                    self.run.unexpected.append(f"{self.username}: document of #{pk} differs")

    def reply(self) -> None:
        pk = self.random.choice(self.own)
        page = self.call("detail", lambda: self.client.get(f"/tickets/{pk}/"), f"/tickets/{pk}/")
        if page is None or page.status != 200 or f'action="/tickets/{pk}/reply/"' not in page.text:
            return  # resolved meanwhile: nothing to answer
        path = f"/tickets/{pk}/reply/"
        fields = {"body": "Ek bilgi: kodlar hâlâ eksik.", "submission": page.submission()}
        response = self.call("reply", lambda: self.client.post(path, fields, csrf_from=page), path)
        if self.succeeded("reply", path, response):
            with self.run.lock:
                self.run.replies += 1


class Handler(User):
    def step(self) -> None:
        listed = self.call("list", lambda: self.client.get("/tickets/"), "/tickets/")
        if listed is None or listed.status != 200:
            return self.unexpected("list", listed)
        mine = set(self.run.tickets())
        candidates = [int(pk) for pk in TICKET_LINK.findall(listed.text) if int(pk) in mine]
        if not candidates:
            return
        pk = self.random.choice(candidates)
        page = self.call("detail", lambda: self.client.get(f"/tickets/{pk}/"), f"/tickets/{pk}/")
        if page is None or page.status != 200:
            return self.unexpected("detail", page)
        with self.run.lock:
            self.run.read_by_handlers.add(pk)
        if f'action="/tickets/{pk}/resolve/"' in page.text and self.random.random() < 0.5:
            path = f"/tickets/{pk}/resolve/"
            fields = {"explanation": "Kodlar sisteme eklendi."}
            response = self.call(
                "resolve", lambda: self.client.post(path, fields, csrf_from=page), path
            )
            if self.succeeded("resolve", path, response):
                with self.run.lock:
                    self.run.resolved.add(pk)
        elif f'action="/tickets/{pk}/reply/"' in page.text:
            path = f"/tickets/{pk}/reply/"
            fields = {"body": "İnceliyoruz, bilgi vereceğiz.", "submission": page.submission()}
            response = self.call(
                "reply", lambda: self.client.post(path, fields, csrf_from=page), path
            )
            if self.succeeded("reply", path, response):
                with self.run.lock:
                    self.run.replies += 1


def sign_in_all(args, run: Run) -> list[User]:
    """Every simulated user, signed in (one after the other: it is the slow part)."""
    members, handlers = split(args.users)
    people = [(Member, f"{MEMBER}{n}") for n in range(1, members + 1)]
    people += [(Handler, f"{HANDLER}{n}") for n in range(1, handlers + 1)]
    users = []
    for kind, username in people:
        client = Client(*args.base_url, timeout=args.timeout)
        user = kind(run, client, username, 0, args.think)
        try:
            client.sign_in(username, args.password)
        except AssertionError:
            sys.exit(
                f"{username} could not sign in: run --prepare with the same --users and --password"
            )
        users.append(user)
    return users


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(run: Run, seconds: float) -> None:
    total = sum(len(v) for v in run.timings.values())
    print(f"{total} requests in {seconds:.0f} s: {total / seconds:.1f} requests/s")
    print(f"{'page':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in sorted(run.timings):
        values = run.timings[kind]
        line = [percentile(values, share) * 1000 for share in (0.50, 0.95, 0.99)]
        print(f"{kind:<10} {len(values):>7} {line[0]:>8.0f} {line[1]:>8.0f} {line[2]:>8.0f}")
    fives = sum(count for status, count in run.statuses.items() if status and status >= 500)
    print(
        "statuses:",
        ", ".join(f"{s or 'none'}: {c}" for s, c in sorted(run.statuses.items(), key=str)),
    )
    print(f"5xx responses: {fives}")
    print(
        f"filed {len(run.filed)}, replies {run.replies}, resolved {len(run.resolved)}, "
        f"read by handlers {len(run.read_by_handlers)}"
    )
    for failure in run.failures[:20]:
        print("FAILED", failure)
    for odd in run.unexpected[:20]:
        print("UNEXPECTED", odd)


def compare_with_database(run: Run, before: int) -> list[str]:
    """What the database holds for this run against what the client saw succeed."""
    from tickets.models import Attachment, EventKind, Ticket, TicketEvent

    problems = []
    made = set(
        Ticket.objects.filter(pk__gt=before, requester__username__startswith=MEMBER).values_list(
            "pk", flat=True
        )
    )
    filed = set(run.filed)
    if made != filed:
        problems.append(
            f"tickets: {len(made)} in the database, {len(filed)} filed; "
            f"never filed: {sorted(made - filed)[:10]}, lost: {sorted(filed - made)[:10]}"
        )
    documents = Counter(Attachment.objects.filter(ticket__in=made).values_list("ticket", flat=True))
    sizes = dict(Attachment.objects.filter(ticket__in=made).values_list("ticket", "size"))
    if documents != Counter(run.filed.keys()) or sizes != run.filed:
        problems.append(f"documents: {sum(documents.values())} stored for {len(run.filed)} filed")
    # The kinds of event the users' requests make; the service levels' own entries
    # (a clock started, paused, moved) follow from those and are left out.
    events = Counter(
        TicketEvent.objects.filter(ticket__in=made)
        .exclude(kind=EventKind.SERVICE_LEVEL)
        .values_list("kind", flat=True)
    )
    expected = Counter(
        {
            EventKind.CREATED: len(run.filed),
            EventKind.ATTACHED: len(run.filed),
            EventKind.READ: len(run.read_by_handlers),
            EventKind.REPLIED: run.replies,
            EventKind.RESOLVED: len(run.resolved),
        }
    )
    if +events != +expected:
        problems.append(f"events: database {dict(events)}, client {dict(+expected)}")
    statuses = Counter(Ticket.objects.filter(pk__in=run.resolved).values_list("status", flat=True))
    if statuses != Counter({"resolved": len(run.resolved)}):
        problems.append(f"resolved tickets now: {dict(statuses)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", action="append", default=[], help="repeat for each instance")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="seconds")
    parser.add_argument("--password", default="demo12345")
    parser.add_argument("--think", type=float, default=1.0, help="most seconds between steps")
    parser.add_argument("--timeout", type=float, default=65, help="seconds for one answer")
    parser.add_argument("--prepare", action="store_true", help="create the accounts and stop")
    args = parser.parse_args()

    if not args.prepare and not args.base_url:
        parser.error("give --base-url (once per instance)")
    try:
        for url in args.base_url:
            require_loopback(url)
    except NotLoopback as refused:
        parser.error(str(refused))

    import django

    django.setup()
    if args.prepare:
        prepare(args.users, args.password)
        return 0

    from tickets.models import Ticket

    categories = categories_with_load_handlers(split(args.users)[1])
    if not categories:
        sys.exit("No load handlers on any team: run --prepare first.")
    before = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    run = Run(categories)
    users = sign_in_all(args, run)
    started = time.monotonic()
    deadline = started + args.duration
    for user in users:
        user.deadline = deadline
    threads = [threading.Thread(target=user.loop, daemon=True) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Each stops at the deadline; one answer may still take up to --timeout.
        thread.join(timeout=max(0, deadline - time.monotonic()) + args.timeout + 5)
    seconds = time.monotonic() - started
    if any(thread.is_alive() for thread in threads):
        run.failures.append("a simulated user was still waiting for an answer at the end")
    for user in users:
        user.client.close()

    report(run, seconds)
    # Mail and anything else after the response is done by now or never: the counts
    # below are of rows committed before each redirect was sent.
    problems = compare_with_database(run, before)
    for problem in problems:
        print("MISMATCH", problem)
    print("database: matches the successful requests" if not problems else "database: MISMATCH")
    return 1 if run.failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
