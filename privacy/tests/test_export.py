"""A person downloads what the site holds about them; a supervisor, anybody's."""

import json

import pytest

from privacy.export import JSON_NAME
from tickets import services
from tickets.models import Ticket
from tickets.tests.files import PDF, png_bytes, upload

from .conftest import unzip

MINE = "/privacy/export/"


def person_export(person) -> str:
    return f"/privacy/people/{person.pk}/export/"


def data(response) -> dict:
    return json.loads(unzip(response).read(JSON_NAME))


def test_the_export_holds_my_profile_tickets_messages_and_documents(client, ayse, history):
    client.force_login(ayse)

    response = client.get(MINE)

    assert response.status_code == 200
    exported = data(response)
    assert exported["person"]["username"] == "ayse.yilmaz"
    assert exported["person"]["email"] == "ayse.yilmaz@example.org"
    assert exported["person"]["phone"] == "+905321234567"
    assert exported["person"]["organisation"]["name"] == "İnegöl Marangozlar Odası"
    [ticket] = exported["tickets"]
    assert ticket["subject"] == "Kapasite raporu onaylanmadı"
    assert ticket["description"] == "Rapor 2024/17 bekliyor."
    assert ticket["category"] == "Kapasite Raporu"
    assert ticket["status"]["code"] == "in_progress"
    assert ticket["filed"].startswith(str(history.created_at.year))
    assert [m["text"] for m in exported["messages"]] == ["Kod 8471, telefonum 0532 123 45 67"]
    [document] = exported["documents"]
    assert (document["name"], document["size"]) == ("kimlik.pdf", len(PDF))


def test_the_export_carries_my_documents_themselves(client, ayse, history):
    client.force_login(ayse)

    archive = unzip(client.get(MINE))

    [document] = data(client.get(MINE))["documents"]
    assert archive.read(document["file"]) == PDF
    assert sorted(archive.namelist()) == [document["file"], JSON_NAME]


def test_the_export_holds_nothing_of_others(
    client, ayse, history, chamber_colleague, file, responsible
):
    colleague_ticket = file(by=chamber_colleague, subject="Meslektaşın talebi")
    services.attach(colleague_ticket, by=chamber_colleague, files=[upload("his.png", png_bytes())])
    services.reply(history, by=chamber_colleague, body="I add my own note")
    client.force_login(ayse)

    archive = unzip(client.get(MINE))

    archive_text = b"".join(archive.read(name) for name in archive.namelist()).decode(
        errors="replace"
    )
    assert "Meslektaşın talebi" not in archive_text
    assert "his.png" not in archive_text
    assert "I add my own note" not in archive_text
    assert "Call her back." not in archive_text  # the responsible's internal note
    assert "Which product code?" not in archive_text  # the responsible's reply


def test_export_is_an_attachment_never_kept_by_a_cache(client, ayse, history):
    client.force_login(ayse)

    response = client.get(MINE)

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{ayse.pk}.zip"'
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_a_supervisor_exports_anybodys_data(client, supervisor, ayse, history):
    client.force_login(supervisor)

    response = client.get(person_export(ayse))

    assert response.status_code == 200
    exported = data(response)
    assert exported["person"]["username"] == "ayse.yilmaz"
    assert [t["id"] for t in exported["tickets"]] == [history.pk]


def test_the_old_address_without_a_slash_leads_to_the_export(client, supervisor, ayse):
    client.force_login(supervisor)

    response = client.get(person_export(ayse).rstrip("/"))

    assert response.status_code == 301
    assert response["Location"] == person_export(ayse)


@pytest.mark.parametrize("viewer", ["chamber_colleague", "responsible", "ayse"])
def test_nobody_but_a_supervisor_exports_another_persons_data(
    client, request, viewer, ayse, member, history
):
    client.force_login(request.getfixturevalue(viewer))

    assert client.get(person_export(member)).status_code == 404
    assert client.get(f"/privacy/people/{member.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(MINE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def _file_many(count, ayse, responsible, file):
    for n in range(count):
        ticket = file(by=ayse, subject=f"Talep {n}")
        services.attach(ticket, by=ayse, files=[upload(f"belge-{n}.pdf", PDF)])
        services.reply(ticket, by=ayse, body=f"Mesaj {n}")
        services.reply(ticket, by=responsible, body="Internal", internal=True)


@pytest.mark.parametrize("count", [1, 30])
def test_the_export_costs_the_same_queries_for_any_number_of_tickets(
    client, ayse, responsible, file, count, django_assert_max_num_queries
):
    _file_many(count, ayse, responsible, file)
    client.force_login(ayse)

    # Any number of tickets: the same queries (one is the second-factor check; one for
    # each other app's section: API tokens, webhooks, survey answers, held mail).
    with django_assert_max_num_queries(14):
        response = client.get(MINE)
        archive = unzip(response)

    assert len(json.loads(archive.read(JSON_NAME))["tickets"]) == count
    assert len(archive.namelist()) == count + 1


def test_a_supervisors_export_costs_the_same_queries_too(
    client, supervisor, ayse, responsible, file, django_assert_max_num_queries
):
    _file_many(30, ayse, responsible, file)
    client.force_login(supervisor)

    with django_assert_max_num_queries(12):
        archive = unzip(client.get(person_export(ayse)))

    assert len(json.loads(archive.read(JSON_NAME))["tickets"]) == 30


def test_a_responsible_finds_their_own_internal_notes_in_their_export(client, responsible, history):
    client.force_login(responsible)

    messages = data(client.get(MINE))["messages"]

    assert [(m["text"], m["internal"]) for m in messages] == [
        ("Which product code?", False),
        ("Call her back.", True),
    ]


def test_a_redacted_document_is_listed_without_its_file(
    client, ayse, history, supervisor, django_capture_on_commit_callbacks
):
    document = history.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.redact(history, by=supervisor, attachments=[document])
    client.force_login(ayse)

    response = client.get(MINE)

    archive = unzip(response)
    [listed] = json.loads(archive.read(JSON_NAME))["documents"]
    assert listed["redacted"] and listed["name"] == "" and listed["file"] is None
    assert archive.namelist() == [JSON_NAME]


def test_a_document_name_cannot_reach_outside_the_archives_folder(client, ayse, file):
    ticket = file(by=ayse)
    services.attach(ticket, by=ayse, files=[upload("../../etc/passwd.pdf", PDF)])
    client.force_login(ayse)

    names = unzip(client.get(MINE)).namelist()

    assert all(name == JSON_NAME or name.startswith("documents/") for name in names)
    assert not any(".." in name for name in names)
    assert Ticket.objects.count() == 1


def test_internal_notes_follow_the_ticket_pages_rule_even_for_their_author(
    client, responsible, file, capacity
):
    # A responsible's own ticket, with a note written while on the team; off the team,
    # the ticket's page no longer shows them its internal notes, and neither does this.
    ticket = file(by=responsible)
    services.reply(ticket, by=responsible, body="Kept from members", internal=True)
    services.reply(ticket, by=responsible, body="Public")
    capacity.responsibles.remove(responsible)
    client.force_login(responsible)

    messages = data(client.get(MINE))["messages"]

    assert [m["text"] for m in messages] == ["Public"]


def test_documents_in_a_bucket_are_carried_in_the_archive(client, bucket, ayse, history):
    client.force_login(ayse)

    archive = unzip(client.get(MINE))

    [document] = data(client.get(MINE))["documents"]
    [key] = bucket.keys()
    assert archive.read(document["file"]) == bucket.read(key) == PDF


def test_with_the_document_store_down_the_export_is_a_503_page(
    client, ayse, history, bucket, settings, spare_moto_server
):
    down = spare_moto_server()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket.storage_settings(endpoint_url=down.endpoint),
    }
    down.stop()
    client.force_login(ayse)

    response = client.get(MINE)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
