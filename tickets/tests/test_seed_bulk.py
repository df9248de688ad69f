"""`seed_bulk`: generated organisations, people and tickets on top of the demo data, whose
action log verifies, whose fields agree with their events, and that the site serves."""

import re
from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from categories.models import Category
from common.text import normalise
from tickets import services, sortkeys
from tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    EventKind,
    Priority,
    Status,
    Ticket,
    TicketEvent,
    TicketKind,
)
from tickets.seeding import bulk, indexes, loader

UNTIL = "2026-06-01"
END = datetime(2026, 5, 31, 21, 0, tzinfo=UTC)  # midnight in Istanbul


def seed_bulk(tickets=200, **options) -> str:
    out, err = StringIO(), StringIO()
    options = {"seed": "7", "until": UNTIL, "force": True, **options}
    call_command("seed_bulk", tickets=tickets, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def seeded(db):
    return seed_bulk()


def verify_log() -> str:
    out = StringIO()
    call_command("verify_log", stdout=out)
    return out.getvalue()


def index_definitions() -> dict[str, str]:
    """Every index of the tables the generator loads, as PostgreSQL would build it."""
    tables = [
        "tickets_ticket",
        "tickets_ticketevent",
        "tickets_attachment",
        "sla_clock",
        "sla_pause",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid::regclass::text = ANY(%s)",
            [tables],
        )
        return dict(cursor.fetchall())


def users() -> dict[str, User]:
    return {u.username: u for u in User.objects.select_related("organisation")}


def test_the_database_holds_the_tickets_asked_for_with_their_people(seeded):
    chambers = Organisation.objects.filter(kind=OrganisationKind.CHAMBER)
    generated = Ticket.objects.filter(created_at__lte=END)

    assert Ticket.objects.count() == 200
    assert chambers.count() >= 11  # the demo's İnegöl and ten generated ones
    assert all(c.path == f"{c.parent.path}{c.pk}/" for c in chambers.select_related("parent"))
    assert User.objects.filter(role=Role.MEMBER, organisation__in=chambers).count() >= 20
    for category in Category.objects.all():
        assert category.responsibles.filter(role=Role.STAFF).count() >= 3, category
    assert generated.count() == 200 - 4  # the demo's four were filed just now
    assert "100%" in seeded


def test_every_ticket_has_a_log_that_verifies(seeded):
    assert "The action log of 200 ticket(s) is intact." in verify_log()
    assert not Ticket.objects.filter(events__isnull=True).exists()


def replay(ticket, events, teams):
    """The ticket's fields as its events, taken in order, leave them."""
    state = {
        "status": Status.WAITING,
        "read_at": None,
        "resolved_at": None,
        "closed_at": None,
        "assignee_id": None,
        "category_id": None,
        "priority": None,
    }
    handlers_move = {Status.WAITING: Status.IN_PROGRESS, Status.REDIRECTED: Status.IN_PROGRESS}
    for event in events:
        kind, data, at = event.kind, event.data, event.created_at
        if kind == EventKind.READ:
            assert state["read_at"] is None, "read twice"
            state["read_at"] = at
        elif kind == EventKind.ASSIGNED:
            state["assignee_id"] = data["to"]
            state["status"] = handlers_move.get(state["status"], state["status"])
        elif kind == EventKind.REPLIED and event.actor_id == ticket.requester_id:
            if state["status"] == Status.INFO_REQUESTED:
                state["status"] = Status.IN_PROGRESS
        elif kind == EventKind.REPLIED:
            state["status"] = handlers_move.get(state["status"], state["status"])
        elif kind == EventKind.INFO_REQUESTED:
            state["status"] = Status.INFO_REQUESTED
        elif kind == EventKind.REDIRECTED:
            state["category_id"] = data["to"]
            state["status"] = Status.REDIRECTED
            if "unassigned" in data:
                assert data["unassigned"] == state["assignee_id"]
                state["assignee_id"] = None
        elif kind == EventKind.PRIORITY_CHANGED:
            state["priority"] = data["to"]
        elif kind == EventKind.RESOLVED:
            state["status"], state["resolved_at"] = Status.RESOLVED, at
        elif kind == EventKind.REOPENED:
            assert at < state["resolved_at"] + timedelta(days=3), "reopened after the window"
            state["status"], state["resolved_at"] = Status.IN_PROGRESS, None
        elif kind == EventKind.CLOSED:
            assert state["status"] == Status.RESOLVED
            state["status"], state["closed_at"] = Status.CLOSED, at
    if state["assignee_id"] is not None:
        category = state["category_id"] or ticket.category_id
        assert state["assignee_id"] in teams[category], "assigned outside the team"
    return state


def test_statuses_and_dates_agree_with_the_events(seeded):
    teams = {c.pk: {u.pk for u in c.responsibles.all()} for c in Category.objects.all()}
    tickets = Ticket.objects.filter(requester__username__startswith="uye").prefetch_related(
        "events"
    )

    assert tickets.count() > 150
    for ticket in tickets:
        events = list(ticket.events.all())
        times = [event.created_at for event in events]
        state = replay(ticket, events, teams)

        assert events[0].kind == EventKind.CREATED
        # As on the site: the event is written just after the ticket's row.
        assert timedelta(0) <= events[0].created_at - ticket.created_at < timedelta(seconds=1)
        assert times == sorted(times) and len(set(times)) == len(times)
        assert ticket.created_at <= END
        assert ticket.status == state["status"], ticket.pk
        assert ticket.read_at == state["read_at"]
        assert ticket.resolved_at == state["resolved_at"]
        assert ticket.closed_at == state["closed_at"]
        assert ticket.assignee_id == state["assignee_id"]
        if state["category_id"]:
            assert ticket.category_id == state["category_id"]
        if state["priority"]:
            assert ticket.priority == state["priority"]
        if ticket.status == Status.RESOLVED:  # else close_resolved would have closed it
            assert ticket.resolved_at > END - timedelta(days=3)
        assert ticket.organisation_id == ticket.requester.organisation_id


def test_the_mix_looks_like_a_helpdesk(seeded):
    tickets = Ticket.objects.all()
    statuses = {status: tickets.filter(status=status).count() for status in Status}
    subjects = "".join(tickets.values_list("subject", flat=True))

    assert statuses[Status.CLOSED] > 0.6 * 200
    assert 0 < sum(statuses[s] for s in OPEN_STATUSES) < 0.3 * 200
    for field, values in [
        ("priority", Priority.values),
        ("channel", [Channel.WEB, Channel.EMAIL, Channel.PHONE]),
        ("kind__code", ["problem", "suggestion"]),
    ]:
        assert set(tickets.values_list(field, flat=True)) >= set(values), field
    assert tickets.filter(created_at__lt=END - timedelta(days=700)).exists()
    assert re.search("[ğışçöüİ]", subjects)
    assert re.search("[а-яА-Я]", subjects)  # Russian
    assert re.search("[\u0600-\u06ff]", subjects)  # Persian
    assert TicketEvent.objects.filter(kind=EventKind.NOTE, internal=True).exists()
    assert Attachment.objects.filter(event__kind=EventKind.ATTACHED).exists()


def test_documents_are_rows_only_and_their_downloads_answer_404(seeded, client):
    internal = Attachment.objects.filter(internal=True).select_related("event").first()
    public = Attachment.objects.filter(internal=False).first()
    client.force_login(users()["tesk"])

    assert internal.event.internal and internal.event.kind == EventKind.NOTE
    assert public.size > 0 and public.file.name.startswith("attachments/")
    assert client.get(f"/attachments/{public.pk}/").status_code == 404


def test_demo_users_sign_in_and_see_their_own_tickets(seeded, client):
    people = users()
    inegol = people["oda"].organisation
    inegol_tickets = set(Ticket.objects.filter(organisation=inegol))
    capacity = Category.objects.get(name="Kapasite Raporu")

    signed_in = client.post("/accounts/login/", {"username": "oda", "password": "demo12345"})
    listed = client.get("/tickets/?status=").context["page"].object_list

    assert signed_in.status_code == 302
    assert any(t.created_at <= END for t in inegol_tickets)  # generated ones too
    assert set(listed) == set(sorted(inegol_tickets, key=lambda t: t.created_at)[-25:])
    assert set(Ticket.objects.visible_to(people["oda"])) == inegol_tickets
    assert set(Ticket.objects.visible_to(people["bursa"])) > inegol_tickets
    assert not Ticket.objects.visible_to(people["birlik"]).filter(organisation=inegol).exists()
    assert set(Ticket.objects.visible_to(people["kapasite"])) == set(
        Ticket.objects.filter(category=capacity)
    ) | set(Ticket.objects.filter(assignee=people["kapasite"]))
    assert Ticket.objects.visible_to(people["tesk"]).count() == 200


def test_generated_members_sign_in_with_the_password(seeded, client):
    member = User.objects.filter(username__startswith="uye").first()

    response = client.post(
        "/accounts/login/", {"username": member.username, "password": "demo12345"}
    )

    assert response.status_code == 302
    assert client.get("/tickets/").status_code == 200


def test_a_ticket_filed_afterwards_comes_after_the_generated_ones(seeded):
    oda = users()["oda"]
    highest = Ticket.objects.order_by("-pk").first().pk

    ticket = services.file_ticket(
        by=oda,
        category=Category.objects.get(name="Kapasite Raporu"),
        kind=TicketKind.objects.get(code="problem"),
        priority=Priority.MEDIUM,
        subject="Yeni kayıt",
        description="Üretim sonrası açılan kayıt.",
    ).ticket
    assert ticket.pk == highest + 1
    # its log: filed, and its service level clocks started (seed_bulk makes the calendars)
    assert [e.kind for e in ticket.events.order_by("pk")] == [
        EventKind.CREATED,
        EventKind.SERVICE_LEVEL,
    ]
    assert "The action log of 201 ticket(s) is intact." in verify_log()


def test_search_finds_a_generated_word(seeded, client):
    ticket = Ticket.objects.filter(created_at__lte=END, channel=Channel.WEB).first()
    words = re.findall(r"\w{5,}", f"{ticket.subject} {ticket.description}")
    rarest = min(
        words, key=lambda w: Ticket.objects.filter(search_text__contains=normalise(w)).count()
    )
    client.force_login(users()["tesk"])

    page = client.get("/tickets/", {"q": rarest.upper(), "status": ""}).content.decode()

    assert f'href="/tickets/{ticket.pk}/"' in page


def test_search_covers_the_public_replies_and_not_the_notes(seeded):
    reply = TicketEvent.objects.filter(kind=EventKind.REPLIED).select_related("ticket").first()
    note = TicketEvent.objects.filter(kind=EventKind.NOTE).select_related("ticket").first()

    assert normalise(reply.note) in reply.ticket.search_text
    assert normalise(note.note) not in note.ticket.search_text


def test_the_generated_tickets_have_their_full_text_vector(seeded):
    if connection.vendor != "postgresql":
        pytest.skip("the full-text vector is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(search_vector) FROM tickets_ticket")
        held, vectors = cursor.fetchone()

    assert held == vectors > 4


def test_running_again_tops_up_to_the_total_and_never_beyond(seeded):
    organisations = Organisation.objects.count()
    members = User.objects.count()

    seed_bulk(tickets=260)
    more = (Organisation.objects.count(), User.objects.count(), Ticket.objects.count())
    said = seed_bulk(tickets=100)

    assert more == (organisations, members, 260)
    assert Ticket.objects.count() == 260
    assert "holds 260 tickets already (asked for 100): nothing added" in said
    assert "The action log of 260 ticket(s) is intact." in verify_log()


def snapshot() -> list:
    """The generated data by what it says, not by its ids (sequences move on regardless)."""
    return [
        (
            t.subject,
            t.description,
            t.status,
            t.priority,
            t.channel,
            t.category.name,
            t.requester.username,
            t.assignee.username if t.assignee else None,
            t.created_at,
            t.read_at,
            t.resolved_at,
            t.closed_at,
            [
                (e.kind, e.actor.username if e.actor else None, e.note, e.created_at)
                for e in t.events.all()
            ],
        )
        for t in Ticket.objects.select_related("category", "requester", "assignee")
        .prefetch_related("events__actor")
        .filter(created_at__lte=END)  # not the demo's, filed just now
        .order_by("created_at", "subject")
    ]


def seeded_and_undone(**options) -> list:
    with transaction.atomic():
        seed_bulk(**options)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


def test_the_same_seed_makes_the_same_data(db):
    first = seeded_and_undone(seed="42")
    again = seeded_and_undone(seed="42")
    other = seeded_and_undone(seed="43")

    assert len(first) == 200 - 4  # but the demo's own
    assert first == again
    assert first != other


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_bulk", tickets=10)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("until", ["2026-02-30", "yesterday", "2999-01-01"])
def test_a_bad_end_date_is_refused_with_a_message(db, until):
    with pytest.raises(CommandError, match="--until"):
        seed_bulk(tickets=10, until=until)
    assert not Ticket.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_batches_commit_and_the_indexes_are_built_again(monkeypatch):
    # A small load taken the way a big one is: batches loaded beside the preparing
    # process on PostgreSQL, and the indexes set aside and built again, as they were.
    monkeypatch.setattr(bulk, "BATCH", 40)
    monkeypatch.setattr(indexes, "REBUILD_FROM", 1)
    before = index_definitions() if connection.vendor == "postgresql" else {}
    forked, start = [], loader.Loader.__init__

    def spy(self, *args, **kwargs):
        start(self, *args, **kwargs)
        forked.append(self.forked)

    monkeypatch.setattr(loader.Loader, "__init__", spy)

    said = seed_bulk(tickets=150)

    assert forked == [connection.vendor == "postgresql"]
    assert Ticket.objects.count() == 150
    assert "The action log of 150 ticket(s) is intact." in verify_log()
    if connection.vendor == "postgresql":
        assert re.search(r"Building \d+ indexes", said)
        assert len(before) > 50  # the ticket's sorts and filters, the events', the search
        assert index_definitions() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_batch_leaves_whole_tickets_and_a_second_run_tops_up(monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 40)
    monkeypatch.setattr(indexes, "REBUILD_FROM", 1)
    load, calls = bulk.Filler.load, []

    def failing(self, batch):
        calls.append(batch)
        if len(calls) == 3:
            raise DatabaseError("disk full")
        load(self, batch)

    monkeypatch.setattr(bulk.Filler, "load", failing)

    with pytest.raises(CommandError, match="disk full"):
        seed_bulk(tickets=150)
    held = Ticket.objects.count()
    monkeypatch.setattr(bulk.Filler, "load", load)
    seed_bulk(tickets=150)

    assert held == 4 + 2 * 40  # the demo's, then two whole batches
    assert Ticket.objects.count() == 150
    assert "The action log of 150 ticket(s) is intact." in verify_log()
    assert indexes.missing([Ticket, TicketEvent, Attachment]) == []


def test_the_number_of_chambers_can_be_chosen(db):
    seed_bulk(tickets=50, organisations=25)

    generated = Organisation.objects.filter(
        kind=OrganisationKind.CHAMBER, members__username__startswith="uye"
    ).distinct()
    assert generated.count() == 25
    assert set(generated.values_list("parent__kind", flat=True)) == {OrganisationKind.UNION}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_indexes_left_dropped_by_a_killed_run_are_built_first():
    if connection.vendor != "postgresql":
        pytest.skip("the indexes are set aside on PostgreSQL only")
    before = index_definitions()
    with connection.cursor() as cursor:
        # a search index, a sort's, a field's and an event's
        for name in ["ticket_search_vector", "ticket_org_key", "ticket_due_desc"]:
            cursor.execute(f"DROP INDEX {name}")
        event_index = next(n for n in before if n.startswith("tickets_ticketevent_ticket_id"))
        cursor.execute(f"DROP INDEX {event_index}")

    seed_bulk(tickets=20)

    assert index_definitions() == before


def test_service_level_clocks_agree_with_the_events(seeded):
    zone = timezone.get_default_timezone()
    tickets = Ticket.objects.filter(requester__username__startswith="uye").prefetch_related(
        "events"
    )
    met = missed = 0
    for ticket in tickets:
        answers = [
            e.created_at
            for e in ticket.events.all()
            if e.kind in (EventKind.REPLIED, EventKind.INFO_REQUESTED, EventKind.RESOLVED)
            and not e.internal
            and e.actor_id != ticket.requester_id
        ]
        paused = ticket.status in (Status.INFO_REQUESTED, Status.RESOLVED)
        # as in sla/: the pause a resolution began outlasts the closing
        held = paused or ticket.status == Status.CLOSED
        due = ticket.first_response_due_at

        assert ticket.first_responded_at == (min(answers) if answers else None), ticket.pk
        assert ticket.created_at < due <= ticket.resolution_due_at
        local = due.astimezone(zone)
        assert local.weekday() < 5 and time(8, 30) < local.time() <= time(17, 30)
        assert (ticket.sla_paused_at is not None) == held
        if ticket.status == Status.CLOSED or paused:
            assert ticket.due_at is None
        else:
            assert ticket.due_at == (ticket.resolution_due_at if answers else due)
        if answers:
            met += ticket.first_responded_at <= due
            missed += ticket.first_responded_at > due
    assert met > 0 and missed > 0


def test_the_generated_tickets_carry_their_sort_copies(seeded):
    # sort=organisation, category and assignee read the copies: as the services keep them.
    tickets = Ticket.objects.select_related("organisation", "category", "assignee")
    assert tickets.filter(assignee__isnull=False).exists()
    assert tickets.filter(assignee__isnull=True).exists()
    for ticket in tickets:
        assert ticket.organisation_key == sortkeys.for_organisation(ticket.organisation)
        assert ticket.category_key == sortkeys.for_category(ticket.category)
        assert ticket.assignee_key == sortkeys.for_assignee(ticket.assignee)
