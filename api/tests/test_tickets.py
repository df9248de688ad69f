"""The ticket list, filing, documents and what a caller may not set."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import IdempotencyKey
from tickets import services
from tickets.models import Channel, EventKind, Status, Ticket, TicketKind
from tickets.tests.files import PDF, png_bytes, upload


def filing(capacity, **extra):
    return {
        "category": capacity.pk,
        "kind": "problem",
        "priority": "medium",
        "subject": "Yerli malı belgesi",
        "description": "Belge basılamıyor.",
        **extra,
    }


def test_the_list_takes_the_pages_filters(api, member, file, technical):
    first = file(subject="Kapasite raporu Gölcük")
    second = file(subject="Basılı evrak stok", category=technical, priority="high")
    client = api(member)

    def ids(**params):
        return [t["id"] for t in client.get("/api/v1/tickets/", params).json()["results"]]

    assert ids() == [second.pk, first.pk]
    assert ids(q="golcuk") == [first.pk]
    assert ids(priority="high") == [second.pk]
    assert ids(category=technical.pk) == [second.pk]
    assert ids(sort="id") == [first.pk, second.pk]
    assert ids(status="closed") == []
    assert ids(organisation=member.organisation_id) == [second.pk, first.pk]


def test_a_responsible_lists_every_ticket_they_see_not_only_the_open_default_view(
    api, responsible, ticket
):
    services.resolve(ticket, by=responsible, explanation="Tamam")

    listed = api(responsible).get("/api/v1/tickets/").json()["results"]

    assert [t["id"] for t in listed] == [ticket.pk]


def test_the_list_pages_by_cursor_and_caps_the_page_size(api, member, file, settings):
    settings.HELPDESK_API_MAX_PAGE_SIZE = 2
    tickets = [file(subject=f"Konu {n}") for n in range(5)]
    client = api(member)

    seen, url = [], "/api/v1/tickets/?page_size=50"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += [t["id"] for t in page["results"]]
        url = page["next"]

    assert seen == [t.pk for t in reversed(tickets)]
    refused = client.get("/api/v1/tickets/?after=not-a-cursor")
    assert refused.status_code == 400
    assert refused.json()["fields"]["after"][0]["message"]


def test_updated_since_lists_tickets_with_newer_events_a_member_may_see(
    api, member, responsible, file
):
    old, changed, noted = file(subject="eski"), file(subject="yanıtlı"), file(subject="notlu")
    since = timezone.now()
    services.reply(changed, by=responsible, body="Yanıt")
    services.reply(noted, by=responsible, body="İç not", internal=True)
    stamp = since.isoformat()

    def ids(client):
        answer = client.get("/api/v1/tickets/", {"updated_since": stamp, "sort": "id"})
        return [t["id"] for t in answer.json()["results"]]

    assert ids(api(member)) == [changed.pk]
    assert ids(api(responsible)) == [changed.pk, noted.pk]
    assert old.pk not in ids(api(responsible))
    bad = api(member).get("/api/v1/tickets/", {"updated_since": "dün"})
    assert bad.status_code == 400
    assert "updated_since" in bad.json()["fields"]


def test_a_member_cannot_set_what_the_form_does_not_take(
    api, member, capacity, other_union_member, responsible
):
    response = api(member).post(
        "/api/v1/tickets/",
        filing(
            capacity,
            status="closed",
            requester=other_union_member.pk,
            organisation=other_union_member.organisation_id,
            assignee=responsible.pk,
            channel="phone",
            read_at="2020-01-01T00:00:00Z",
            id=12345,
        ),
        format="json",
    )

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.pk != 12345
    assert (ticket.status, ticket.requester, ticket.organisation_id) == (
        Status.WAITING,
        member,
        member.organisation_id,
    )
    assert (ticket.assignee, ticket.read_at, ticket.channel) == (None, None, Channel.API)


def test_a_responsible_files_for_a_member_on_the_phone(api, responsible, member, capacity):
    response = api(responsible).post(
        "/api/v1/tickets/", filing(capacity, requester=member.pk, channel="phone"), format="json"
    )

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.channel, ticket.assignee) == (member, "phone", responsible)


def test_an_action_ignores_fields_it_does_not_take(api, member, ticket, responsible):
    response = api(member).post(
        f"/api/v1/tickets/{ticket.pk}/reply/",
        {"body": "Ek bilgi", "internal": True, "status": "closed", "assignee": responsible.pk},
        format="json",
    )

    assert response.status_code == 403  # a member's internal note: the note action is refused
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.WAITING, None)
    assert ticket.events.count() == 1


def test_a_retried_create_with_the_same_key_files_one_ticket(api, member, capacity):
    client = api(member)

    first = client.post(
        "/api/v1/tickets/", filing(capacity), format="json", HTTP_IDEMPOTENCY_KEY="erp-42"
    )
    again = client.post(
        "/api/v1/tickets/", filing(capacity), format="json", HTTP_IDEMPOTENCY_KEY="erp-42"
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
    assert IdempotencyKey.objects.get().ticket_id == first.json()["id"]


def test_the_same_key_with_other_fields_is_refused(api, member, capacity):
    client = api(member)
    client.post("/api/v1/tickets/", filing(capacity), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = client.post(
        "/api/v1/tickets/",
        filing(capacity, subject="Başka"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


def test_keys_are_per_user(api, member, chamber_colleague, capacity):
    api(member).post("/api/v1/tickets/", filing(capacity), format="json", HTTP_IDEMPOTENCY_KEY="a")
    other = api(chamber_colleague).post(
        "/api/v1/tickets/", filing(capacity), format="json", HTTP_IDEMPOTENCY_KEY="a"
    )

    assert other.status_code == 201
    assert Ticket.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers anyway")
def test_two_simultaneous_creates_with_one_key_file_one_ticket(api, member, capacity):
    # An earlier transactional test may have emptied the kinds that migrations seed.
    TicketKind.objects.get_or_create(code="problem", defaults={"name": "Problem"})
    client_a, client_b = api(member), api(member)
    answers = []

    def send(client):
        answers.append(
            client.post(
                "/api/v1/tickets/", filing(capacity), format="json", HTTP_IDEMPOTENCY_KEY="same"
            ).status_code
        )
        connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in (client_a, client_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [200, 201]
    assert Ticket.objects.count() == 1


def test_a_refused_document_refuses_the_filing(api, member, capacity):
    response = api(member).post(
        "/api/v1/tickets/",
        filing(capacity, attachments=[upload("a.pdf", PDF), upload("virus.exe", b"MZ\x90\x00")]),
        format="multipart",
    )

    assert response.status_code == 400
    assert "virus.exe" in response.json()["fields"]["attachments"][0]["message"]
    assert not Ticket.objects.exists()


def test_documents_are_uploaded_and_downloaded_with_the_pages_rules(api, member, ticket):
    client = api(member)

    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/attachments/",
        {"attachments": [upload("foto.png", png_bytes()), upload("liste.pdf", PDF)]},
        format="multipart",
    )

    assert response.status_code == 201
    assert [d["name"] for d in response.json()] == ["foto.png", "liste.pdf"]
    assert ticket.events.filter(kind=EventKind.ATTACHED).count() == 2
    pdf = client.get(f"/api/v1/attachments/{response.json()[1]['id']}/")
    assert pdf["Content-Disposition"].startswith("attachment")
    assert pdf["X-Content-Type-Options"] == "nosniff"


def test_a_union_member_uploads_nothing(api, union_member, ticket):
    response = api(union_member).post(
        f"/api/v1/tickets/{ticket.pk}/attachments/",
        {"attachments": [upload("a.pdf", PDF)]},
        format="multipart",
    )

    assert response.status_code == 403
    assert not ticket.attachments.exists()


def test_categories_kinds_and_organisations_in_the_callers_scope(
    api, member, union_member, capacity, technical, inegol_chamber, bursa_union, ankara_union
):
    categories = api(member).get("/api/v1/categories/").json()
    assert {c["id"] for c in categories} == {capacity.pk, technical.pk}
    assert {k["code"] for k in api(member).get("/api/v1/kinds/").json()} >= {"problem"}
    organisations = api(union_member).get("/api/v1/organisations/").json()["results"]
    assert {o["id"] for o in organisations} == {bursa_union.pk, inegol_chamber.pk}


def test_a_categorys_team_is_listed_to_handlers_only(api, member, responsible, capacity):
    team = api(responsible).get(f"/api/v1/categories/{capacity.pk}/team/")

    assert [p["id"] for p in team.json()] == [responsible.pk]
    assert api(member).get(f"/api/v1/categories/{capacity.pk}/team/").status_code == 403


def test_updated_since_counts_an_internal_note_only_for_those_who_handle_the_ticket(
    api, responsible, other_responsible, file
):
    # teknik filed it in Kapasite Raporu: they see it as its requester, not as its handler.
    theirs = file(by=other_responsible, subject="Kapasite")
    since = timezone.now()
    services.reply(theirs, by=responsible, body="İç not", internal=True)

    answer = api(other_responsible).get("/api/v1/tickets/", {"updated_since": since.isoformat()})

    assert answer.json()["results"] == []


def test_the_list_counts_nothing_it_does_not_show(api, member, file):
    file(), file()
    client = api(member)

    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/api/v1/tickets/").json()["results"]

    assert len(listed) == 2
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert [sql for sql in counting if "tickets_ticket" in sql] == []


def test_a_search_pages_on_by_cursor_when_its_count_crosses_the_limit_meanwhile(
    api, member, file, settings
):
    # given a search that matches as many tickets as the list counts
    settings.HELPDESK_COUNT_LIMIT = 3
    first = [file(subject=f"Kapasite raporu {n}") for n in range(3)]
    client = api(member)
    page = client.get("/api/v1/tickets/", {"q": "kapasite", "page_size": 2}).json()
    seen = [t["id"] for t in page["results"]]
    # when two more match before the next page is asked for
    for n in range(3, 5):
        file(subject=f"Kapasite raporu {n}")
    response = client.get(page["next"])
    # then the cursor still holds: the rest of the list, nothing twice (the newer ones
    # come before it, newest first: a new search lists them)
    assert response.status_code == 200
    seen += [t["id"] for t in response.json()["results"]]
    assert response.json()["next"] is None
    assert seen == [t.pk for t in reversed(first)]
