"""A big export: asked for on a page, built by the worker through the user's visibility,
whole or marked failed, downloaded only by whoever asked for it."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from exports import services
from exports.models import Export, State
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory
from tickets.tests.test_list import read_csv_text
from tickets.tests.test_parent_records import (
    agency,  # noqa: F401 - the agency's shape, a fixture
    case,
    file_extension,
    in_english,
    user,
)


@pytest.fixture
def small_cap(settings):
    settings.HELPDESK_EXPORT_MAX_ROWS = 3


def ask(client, query="") -> Export:
    response = client.post("/exports/", {"query": query})
    assert response.status_code == 302
    return Export.objects.latest("pk")


def downloaded(client, export) -> list[list[str]]:
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200
    return read_csv_text(b"".join(response.streaming_content).decode("utf-8"))


def test_a_big_export_is_built_by_the_job_and_holds_every_visible_ticket_once(
    client, member, other_union_member, small_cap, monkeypatch
):
    monkeypatch.setattr(services, "BATCH", 2)
    mine = TicketFactory.create_batch(7, requester=member)
    TicketFactory.create_batch(2, requester=other_union_member)
    client.force_login(member)

    listed = client.get("/tickets/export.csv", {"status": ""})
    assert listed["Location"] == "/exports/new/?status="
    export = ask(client, "status=")
    assert client.get("/exports/", HTTP_ACCEPT_LANGUAGE="en").context["pending"] is True

    call_command("run_jobs", "--once", "build_exports")

    export.refresh_from_db()
    assert (export.state, export.rows_done, export.rows_total) == (State.DONE, 7, 7)
    rows = downloaded(client, export)
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(t.pk for t in mine)
    assert client.get("/exports/").context["pending"] is False


def test_a_workers_export_is_the_same_file_as_a_streamed_one(client, member, settings):
    TicketFactory.create_batch(3, requester=member)
    client.force_login(member)
    streamed = b"".join(
        client.get(
            "/tickets/export.csv", {"status": ""}, HTTP_ACCEPT_LANGUAGE="tr"
        ).streaming_content
    )
    settings.HELPDESK_EXPORT_MAX_ROWS = 1
    client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="tr")  # the page's language is Turkish
    export = Export.objects.create(user=member, query="status=", language="tr")

    services.build(export.pk)

    export.refresh_from_db()
    assert export.file.open("rb").read() == streamed  # ";" separated in Turkish


def test_the_export_keeps_the_lists_filter_and_order(client, member, small_cap):
    TicketFactory(requester=member, priority="high", subject="Birinci")
    TicketFactory(requester=member, priority="low", subject="İkinci")
    TicketFactory(requester=member, priority="high", subject="Üçüncü")
    client.force_login(member)
    export = ask(client, "status=&priority=high&sort=subject")

    services.build(export.pk)

    rows = downloaded(client, export)
    wanted = Ticket.objects.filter(priority="high").order_by("subject")
    assert [int(row[0]) for row in rows[1:]] == [t.pk for t in wanted]


def test_someone_elses_export_and_an_unfinished_one_are_not_found(
    client, member, chamber_colleague, small_cap
):
    TicketFactory(requester=member)
    client.force_login(member)
    export = ask(client)
    assert client.get(f"/exports/{export.pk}/download/").status_code == 404  # not built yet
    services.build(export.pk)

    client.force_login(chamber_colleague)
    assert client.get(f"/exports/{export.pk}/download/").status_code == 404
    assert export not in client.get("/exports/").context["exports"]


def test_a_build_that_fails_midway_is_marked_failed_and_offers_no_file(
    client, member, small_cap, monkeypatch
):
    TicketFactory.create_batch(3, requester=member)
    client.force_login(member)
    export = ask(client)

    def broken(ticket):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.export_format, "safe_cell", broken)
    services.build(export.pk)

    export.refresh_from_db()
    assert export.state == State.FAILED
    assert not export.file
    assert client.get(f"/exports/{export.pk}/download/").status_code == 404
    page = client.get("/exports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "failed" in page


def test_an_export_is_built_once_even_when_two_builders_ask(member, small_cap):
    TicketFactory(requester=member)
    export = services.request(member, query="", language="tr")

    assert services.build(export.pk) is True
    assert services.build(export.pk) is False


def test_more_than_three_pending_exports_are_refused_with_a_message(client, member):
    client.force_login(member)
    for _ in range(3):
        ask(client)
    response = client.post("/exports/", {"query": ""}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert Export.objects.filter(user=member).count() == 3
    assert "You already have 3 exports being prepared" in response.content.decode()


def test_old_exports_and_their_files_are_removed(member, small_cap, settings):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    TicketFactory(requester=member)
    export = services.request(member, query="", language="tr")
    services.build(export.pk)
    export.refresh_from_db()
    name = export.file.name
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(days=8))

    services.build_pending()

    assert not Export.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(name)


def test_with_a_broker_a_worker_builds_the_export_at_once(
    site_processes, client, member, small_cap, settings
):
    from common.testing import wait_until

    TicketFactory.create_batch(4, requester=member)
    site_processes.worker(MEDIA_ROOT=str(settings.MEDIA_ROOT))
    client.force_login(member)

    export = ask(client, "status=")

    assert wait_until(lambda: Export.objects.get(pk=export.pk).state == State.DONE)
    export.refresh_from_db()
    assert len(downloaded(client, export)) == 5


def test_with_the_broker_down_the_export_waits_for_the_job(client, member, small_cap, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/2"  # nothing listens there
    TicketFactory(requester=member)
    client.force_login(member)

    export = ask(client)

    assert Export.objects.get(pk=export.pk).state == State.QUEUED
    assert services.build_pending() == 1


def test_the_agencys_exports_name_the_unit_column_unit(client, agency):  # noqa: F811
    """The streamed CSV, the XLSX and a worker's export say "Unit" in their header."""
    file_extension(user("fa_expert"), case("1402-11873"))
    in_english("fa_expert", "oda")
    client.force_login(user("fa_expert"))

    streamed = client.get("/tickets/export.csv")
    csv_header = read_csv_text(b"".join(streamed.streaming_content).decode())[0]
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get("/tickets/export.xlsx").streaming_content))
    ).active
    xlsx_header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    export = Export.objects.create(user=user("fa_expert"), query="", language="en")
    services.build(export.pk)
    export.refresh_from_db()
    built_header = read_csv_text(export.file.open("rb").read().decode())[0]
    client.force_login(user("oda"))
    tesk = read_csv_text(b"".join(client.get("/tickets/export.csv").streaming_content).decode())[0]

    for header in (csv_header, xlsx_header, built_header):
        assert "Unit" in header and "Category" not in header
    assert "Category" in tesk and "Unit" not in tesk
