"""On PostgreSQL the list's search finds other forms of a word (Turkish and Russian
stems) and lists the best matches first; substrings still match everywhere."""

import csv
import importlib
import io
from types import SimpleNamespace

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from tickets import services

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and ranking are PostgreSQL's"
)


def listed(client, **params) -> list[int]:
    response = client.get("/tickets/", params)
    return [ticket.pk for ticket in response.context["page"].object_list]


@postgresql_only
@pytest.mark.parametrize(
    ("typed", "written"),
    [("faturalar", "Fatura"), ("belgesi", "Yerli malı belge"), ("ошибки", "Ошибка печати")],
)
def test_another_form_of_a_word_finds_the_ticket(client, file, member, typed, written):
    wanted = file(subject=written, description="—")
    file(subject="Kapasite", description="Prod kodları")
    client.force_login(member)

    assert listed(client, q=typed) == [wanted.pk]


@postgresql_only
def test_a_form_of_a_word_in_a_public_reply_finds_the_ticket(client, ticket, member, responsible):
    services.reply(ticket, by=responsible, body="Ошибка исправлена")
    client.force_login(member)

    assert listed(client, q="ошибки") == [ticket.pk]


def test_part_of_a_persian_word_still_finds_the_ticket(client, file, member):
    wanted = file(subject="درخواست تمدید مهلت", description="لطفا بررسی کنید")
    file(subject="Kapasite")
    client.force_login(member)

    assert listed(client, q="تمدی") == [wanted.pk]
    assert listed(client, q="مهلت") == [wanted.pk]


def test_a_form_of_a_word_in_an_internal_note_is_found_by_handlers_only(
    client, ticket, member, responsible
):
    services.reply(ticket, by=responsible, body="Faturalar gecikti", internal=True)

    client.force_login(member)
    assert listed(client, q="faturalar") == []
    assert listed(client, q="fatura") == []
    client.force_login(responsible)
    assert listed(client, q="faturalar") == [ticket.pk]


def test_search_never_lists_a_ticket_the_user_may_not_see(client, file, member, other_union_member):
    own = file(subject="Fatura")
    file(by=other_union_member, subject="Faturalar")
    file(by=UserFactory(organisation=other_union_member.organisation), subject="Ошибка")
    client.force_login(member)

    assert listed(client, q="fatura") == [own.pk]
    assert listed(client, q="ошибк") == []
    if connection.vendor == "postgresql":
        assert listed(client, q="faturalar") == [own.pk]
        assert listed(client, q="ошибки") == []


@postgresql_only
def test_the_ticket_with_the_word_in_its_subject_comes_first(client, file, member):
    in_subject = file(subject="Fatura gelmedi", description="Bekliyoruz.")
    in_description = file(subject="Bir sorun", description="Fatura gelmedi.")
    client.force_login(member)

    assert listed(client, q="fatura") == [in_subject.pk, in_description.pk]
    # A sort chosen wins over the ranking.
    assert listed(client, q="fatura", sort="-created") == [in_description.pk, in_subject.pk]


@postgresql_only
def test_ranked_pages_list_every_match_once(client, file, member, settings):
    settings.HELPDESK_PAGE_SIZE = 2
    tickets = [file(subject="Fatura " * n, description="Fatura") for n in (1, 3, 2, 1, 2)]
    client.force_login(member)

    seen, params = [], {"q": "fatura"}
    while True:
        response = client.get("/tickets/", params)
        page = response.context["page"]
        seen += [t.pk for t in page.object_list]
        if not page.has_next:
            break
        params = {"q": "fatura", "after": page.next_token}

    assert sorted(seen) == sorted(t.pk for t in tickets)
    assert seen[0] == tickets[1].pk  # three times in the subject


@postgresql_only
def test_the_migration_fills_the_vector_of_existing_tickets(client, ticket, member):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET search_vector = NULL")
    client.force_login(member)
    assert listed(client, q="raporlar") == []

    migration = importlib.import_module("tickets.migrations.0016_search_vector")
    migration.backfill(None, SimpleNamespace(connection=connection))

    assert listed(client, q="raporlar") == [ticket.pk]


@postgresql_only
def test_past_the_count_limit_the_newest_come_first(client, file, member, settings):
    # Ranking reads every match: a common word lists the newest first instead.
    settings.HELPDESK_COUNT_LIMIT = 1
    in_subject = file(subject="Fatura gelmedi", description="Bekliyoruz.")
    in_description = file(subject="Bir sorun", description="Fatura gelmedi.")
    client.force_login(member)

    assert listed(client, q="fatura") == [in_description.pk, in_subject.pk]
    # and the export follows the list, not the ranking
    export = client.get("/tickets/export.csv", {"q": "fatura"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), csv.Sniffer().sniff(text)))[1:]
    assert [int(row[0]) for row in rows] == [
        in_description.pk,
        in_subject.pk,
    ]


@postgresql_only
def test_a_description_longer_than_a_vector_holds_is_filed_and_found(client, file, member):
    # Over a megabyte of distinct words (a pasted log): a whole vector of it would be
    # more than PostgreSQL's 1 MB, and the filing would fail.
    log = " ".join(f"satir{n}hata" for n in range(120_000))
    wanted = file(subject="Günlük dökümü", description=log)
    client.force_login(member)

    assert len(log) > 1_000_000
    assert listed(client, q="dökümü") == [wanted.pk]


def neighbours_of(client, ticket, listing) -> tuple[int | None, int | None]:
    response = client.get(f"/tickets/{ticket.pk}/", {"list": listing})
    nav = response.context["list_nav"]
    return nav["previous"], nav["next"]


@postgresql_only
def test_next_and_previous_from_a_search_follow_its_ranking(client, file, member):
    twice = file(subject="Fatura fatura", description="Bekliyoruz.")
    once = file(subject="Fatura gelmedi", description="Bekliyoruz.")
    below = file(subject="Bir sorun", description="Fatura gelmedi.")
    client.force_login(member)
    assert listed(client, q="fatura") == [twice.pk, once.pk, below.pk]

    assert neighbours_of(client, once, "q=fatura") == (twice.pk, below.pk)
    assert neighbours_of(client, twice, "q=fatura") == (None, once.pk)


@postgresql_only
def test_past_the_count_limit_next_and_previous_follow_the_newest_first(
    client, file, member, settings
):
    settings.HELPDESK_COUNT_LIMIT = 1
    twice = file(subject="Fatura fatura", description="Bekliyoruz.")
    once = file(subject="Fatura gelmedi", description="Bekliyoruz.")
    below = file(subject="Bir sorun", description="Fatura gelmedi.")
    client.force_login(member)
    assert listed(client, q="fatura") == [below.pk, once.pk, twice.pk]

    assert neighbours_of(client, once, "q=fatura") == (below.pk, twice.pk)
    assert neighbours_of(client, twice, "q=fatura") == (once.pk, None)
