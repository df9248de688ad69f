"""The list: its columns, filters, search, sorting, paging, export and query counts."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from tickets import services
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory


def listed_ids(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


def test_a_row_shows_the_manuals_columns(client, ticket, responsible, member):
    services.mark_read(ticket, by=responsible)
    client.force_login(member)

    page = client.get("/tickets/").content.decode()

    ticket.refresh_from_db()
    for text in [
        f'href="/tickets/{ticket.pk}/"',
        ticket.subject,
        ticket.organisation.name,
        str(ticket.category),
        'class="badge priority-medium"',
        'class="badge status-waiting"',
    ]:
        assert text in page
    assert page.count("<tr>") == 2  # the header and the one ticket


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Gölcük ışık", "Kapasite"}),
        ("golcuk", {"Gölcük ışık"}),
        ("GÖLCÜK", {"Gölcük ışık"}),
        ("ISIK", {"Gölcük ışık"}),
        ("kapasite prod", {"Kapasite"}),
        ("kapasite yok", set()),
        ("%", set()),
        ("_", set()),
    ],
)
def test_text_search_ignores_case_accents_and_the_four_turkish_is(
    client, file, member, query, expected
):
    file(subject="Gölcük ışık", description="Sorun")
    file(subject="Kapasite", description="Prod kodları")
    client.force_login(member)

    response = client.get("/tickets/", {"q": query})

    assert {t.subject for t in response.context["page"].object_list} == expected


def test_filters_by_status_priority_category_and_organisation(
    client, file, member, union_member, capacity, technical, inegol_chamber
):
    high = file(priority="high", category=technical)
    own = file(by=union_member)
    low = file(priority="low")
    client.force_login(union_member)

    assert listed_ids(client.get("/tickets/", {"priority": "high"})) == [high.pk]
    assert listed_ids(client.get("/tickets/", {"category": technical.pk})) == [high.pk]
    assert listed_ids(client.get("/tickets/", {"organisation": inegol_chamber.pk})) == [
        low.pk,
        high.pk,
    ]
    assert listed_ids(client.get("/tickets/", {"status": "waiting"})) == [low.pk, own.pk, high.pk]
    assert listed_ids(client.get("/tickets/", {"status": "resolved"})) == []


def test_an_organisation_outside_the_users_scope_lists_nothing(
    client, ticket, member, bursa_union, ankara_union
):
    client.force_login(member)

    assert listed_ids(client.get("/tickets/", {"organisation": bursa_union.pk})) == []
    assert listed_ids(client.get("/tickets/", {"organisation": ankara_union.pk})) == []


def test_filters_by_creation_date_inclusive_in_local_time(client, file, member):
    old = file(subject="old")
    new = file(subject="new")
    istanbul = timezone.get_current_timezone()
    Ticket.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2019, 2, 18, 23, 30, tzinfo=istanbul)
    )
    Ticket.objects.filter(pk=new.pk).update(
        created_at=datetime.datetime(2019, 2, 19, 0, 10, tzinfo=istanbul)
    )
    client.force_login(member)

    assert listed_ids(client.get("/tickets/", {"created_to": "2019-02-18"})) == [old.pk]
    assert listed_ids(client.get("/tickets/", {"created_from": "2019-02-19"})) == [new.pk]
    assert listed_ids(
        client.get("/tickets/", {"created_from": "2019-02-18", "created_to": "2019-02-19"})
    ) == [new.pk, old.pk]


def test_sorting_by_priority_follows_its_meaning(client, file, member):
    medium, high, low = file(priority="medium"), file(priority="high"), file(priority="low")
    client.force_login(member)

    assert listed_ids(client.get("/tickets/", {"sort": "priority"})) == [low.pk, medium.pk, high.pk]
    assert listed_ids(client.get("/tickets/", {"sort": "-priority"})) == [
        high.pk,
        medium.pk,
        low.pk,
    ]


@pytest.mark.parametrize(
    "key",
    [
        "id",
        "organisation",
        "subject",
        "priority",
        "category",
        "assignee",
        "created",
        "read",
        "resolved",
        "status",
    ],
)
def test_every_column_sorts_both_ways(client, file, member, key):
    first, second = file(subject="A"), file(subject="B")
    client.force_login(member)

    ascending = listed_ids(client.get("/tickets/", {"sort": key}))
    descending = listed_ids(client.get("/tickets/", {"sort": f"-{key}"}))

    assert sorted(ascending) == sorted(descending) == [first.pk, second.pk]
    if key in ("id", "subject", "created"):
        assert ascending == [first.pk, second.pk]
        assert descending == [second.pk, first.pk]


def test_the_headers_sort_by_their_column_keeping_the_filters_not_the_page(client, file, member):
    file(priority="high")
    client.force_login(member)

    page = client.get(
        "/tickets/",
        {"sort": "-priority", "priority": "high", "page": "1"},
        headers={"accept-language": "en"},
    ).content.decode()

    # the current sort: marked, and its link turns it round
    assert (
        '<th scope="col" aria-sort="descending">\n  <a class="sort-link" '
        'href="?sort=priority&amp;priority=high">Priority ▼</a>\n</th>'
    ) in page
    # another column: ascending first
    assert (
        '<th scope="col">\n  <a class="sort-link" href="?sort=subject&amp;priority=high">'
        "Subject</a>"
    ) in page
    ascending = client.get("/tickets/", {"sort": "subject"}, headers={"accept-language": "en"})
    assert (
        '<th scope="col" aria-sort="ascending">\n  <a class="sort-link" href="?sort=-subject">'
        "Subject ▲</a>"
    ) in ascending.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password"},
        {"sort": "requester__password"},
        {"sort": "-"},
        {"status": "bogus"},
        {"priority": "urgent"},
        {"category": "abc"},
        {"category": "99999999999999999999999"},
        {"organisation": "9" * 5000},
        {"organisation": " "},
        {"created_from": "2019-13-45"},
        {"created_to": "0001-01-01"},
        {"created_from": "9999-12-31"},
        {"page": "abc"},
        {"q": "x" * 5000},
        {"assignee": "²"},
        {"created_from": " "},
        {"created_to": "\t"},
        {"assignee": "9" * 5000},
    ],
)
def test_unknown_filter_values_are_ignored_never_a_500(client, ticket, member, params):
    client.force_login(member)

    response = client.get("/tickets/", params)

    assert response.status_code == 200
    assert listed_ids(response) == [ticket.pk]


def test_a_search_with_a_null_character_is_ignored(client, ticket, member):
    client.force_login(member)

    response = client.get("/tickets/", {"q": "\x00\x01"})

    assert response.status_code == 200
    assert listed_ids(response) == [ticket.pk]


def test_pages_hold_25_tickets(client, member, inegol_chamber):
    TicketFactory.create_batch(30, requester=member)
    client.force_login(member)

    first = client.get("/tickets/")
    second = client.get("/tickets/", {"page": 2})

    assert len(listed_ids(first)) == 25
    assert len(listed_ids(second)) == 5
    assert set(listed_ids(first)).isdisjoint(listed_ids(second))


def test_the_count_is_bounded(client, member, settings):
    settings.HELPDESK_COUNT_LIMIT = 10
    TicketFactory.create_batch(12, requester=member)
    client.force_login(member)

    response = client.get("/tickets/")

    assert response.context["page"].is_capped
    assert "10 kayıttan fazla" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "responsible", "supervisor"])
def test_the_list_makes_the_same_number_of_queries_for_1_and_30_tickets(
    role, request, client, member, capacity, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    TicketFactory(requester=member, category=capacity)
    client.get("/tickets/")  # the process reads its categories and kinds once
    # The session and its user, the bounded count and the page's rows, every view's
    # count in one query (tickets/worklists.py), the saved searches, a handler's
    # colleagues for the bulk actions.
    with django_assert_max_num_queries(12) as one:
        client.get("/tickets/")
    TicketFactory.create_batch(29, requester=member, category=capacity)
    with django_assert_max_num_queries(12) as thirty:
        response = client.get("/tickets/")

    assert len(listed_ids(response)) == 25
    assert len(thirty.captured_queries) == len(one.captured_queries)


def test_the_detail_page_query_count_does_not_grow_with_the_log(
    client, ticket, member, responsible, django_assert_max_num_queries
):
    from tickets.tests.files import PDF, upload

    client.force_login(member)
    client.get(f"/tickets/{ticket.pk}/")
    # The session and its user, the ticket, the log and its documents, the help articles'
    # panel, the followers, the related tickets (tickets/tests/test_query_budget.py).
    with django_assert_max_num_queries(12) as before:
        client.get(f"/tickets/{ticket.pk}/")
    for n in range(50):
        services.attach(ticket, by=member, files=[upload(f"{n}.pdf", PDF)])
    for n in range(150):
        services.reply(ticket, by=responsible if n % 2 else member, body=f"Cevap {n}")
    client.get(f"/tickets/{ticket.pk}/")  # the reader's "seen" follows the new activity
    with django_assert_max_num_queries(12) as after:
        response = client.get(f"/tickets/{ticket.pk}/")

    assert ticket.events.count() > 200
    html = response.content.decode()
    documents = html[html.index('id="documents-title"') : html.index('id="log-title"')]
    assert documents.count(".pdf</bdi>") == 50  # and again in the conversation, with its message
    assert "Cevap 149" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)


def read_csv(response) -> list[list[str]]:
    return read_csv_text(b"".join(response.streaming_content).decode("utf-8"))


def read_csv_text(body: str) -> list[list[str]]:
    """Rows of an export, read with the separator of its language (export.separator)."""
    assert body.startswith("\ufeff")
    header = body[1:].split("\r\n", 1)[0]
    delimiter = ";" if header.startswith('"') and '";"' in header else ","
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def test_the_export_is_the_filtered_visible_list_as_csv(
    client, file, member, other_union_member, technical
):
    wanted = file(subject="İnegöl ışık", category=technical)
    file(subject="other category")
    client.force_login(member)

    response = client.get("/tickets/export.csv", {"category": technical.pk})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == 2
    assert rows[1][0] == str(wanted.pk)
    assert rows[1][2] == "İnegöl ışık"

    client.force_login(other_union_member)
    assert len(read_csv(client.get("/tickets/export.csv"))) == 1


@pytest.mark.parametrize("subject", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_the_export_neutralises_formulas(client, file, member, subject):
    file(subject=subject)
    client.force_login(member)

    rows = read_csv(client.get("/tickets/export.csv"))

    assert rows[1][2] == f"'{subject}"


@pytest.mark.parametrize("subject", ["a;b", "a,b", 'say "hi"', "two\nlines"])
def test_the_export_quotes_a_cell_a_spreadsheet_could_split(client, file, member, subject):
    file(subject=subject)
    client.force_login(member)

    response = client.get("/tickets/export.csv")

    body = b"".join(response.streaming_content).decode()
    quoted = '"' + subject.replace('"', '""') + '"'
    assert quoted in body
    assert read_csv_text(body)[1][2] == subject


def test_the_export_is_never_kept_in_a_cache(client, ticket, member):
    client.force_login(member)

    response = client.get("/tickets/export.csv")

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_responsibles_list_opens_on_the_open_tickets_of_their_categories(
    client, file, member, responsible, technical
):
    mine = file()
    resolved = services.resolve(file(subject="done"), by=responsible, explanation="ok")
    assigned_elsewhere = file(category=technical, subject="assigned to me")
    Ticket.objects.filter(pk=assigned_elsewhere.pk).update(assignee=responsible)
    client.force_login(responsible)

    default = client.get("/tickets/")
    everything = client.get("/tickets/", {"status": ""})

    assert listed_ids(default) == [mine.pk]
    assert set(listed_ids(everything)) == {mine.pk, resolved.pk, assigned_elsewhere.pk}
    assert 'value="open" selected' in default.content.decode()


def test_a_members_list_shows_everything_they_see(client, file, member, responsible):
    resolved = services.resolve(file(subject="done"), by=responsible, explanation="ok")
    waiting = file()
    client.force_login(member)

    assert listed_ids(client.get("/tickets/")) == [waiting.pk, resolved.pk]


def test_filters_by_kind_assignee_and_open_status(client, file, member, responsible, problem):
    from tickets.models import TicketKind

    suggestion = TicketKind.objects.get(code="suggestion")
    idea = file(subject="idea")
    Ticket.objects.filter(pk=idea.pk).update(kind=suggestion)
    taken = services.assign(file(subject="taken"), by=responsible, assignee=responsible)
    done = services.resolve(file(subject="done"), by=responsible, explanation="ok")
    client.force_login(responsible)

    assert listed_ids(client.get("/tickets/", {"kind": "suggestion"})) == [idea.pk]
    assert listed_ids(client.get("/tickets/", {"assignee": "me"})) == [taken.pk]
    assert listed_ids(client.get("/tickets/", {"assignee": str(responsible.pk)})) == [taken.pk]
    assert done.pk not in listed_ids(client.get("/tickets/", {"status": "open"}))
    assert set(listed_ids(client.get("/tickets/", {"assignee": "none"}))) == {idea.pk, done.pk}
    assert listed_ids(client.get("/tickets/", {"kind": "complaint"})) != []
    assert listed_ids(client.get("/tickets/", {"assignee": "x" * 30})) != []


def test_search_covers_public_replies_but_not_internal_notes(client, ticket, member, responsible):
    services.reply(ticket, by=responsible, body="Fatura numarası İŞLENDİ")
    services.reply(ticket, by=responsible, body="gizlikelime", internal=True)
    client.force_login(member)

    assert listed_ids(client.get("/tickets/", {"q": "islendi"})) == [ticket.pk]
    assert listed_ids(client.get("/tickets/", {"q": "gizlikelime"})) == []
