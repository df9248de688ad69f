"""Search finds documents by their names, and internal notes for handlers only."""

from tickets import services
from tickets.tests.files import PDF, upload


def listed_ids(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


def test_a_documents_name_finds_its_ticket(client, file, member, responsible):
    ticket = file(files=[upload("İmza_Sirküleri.pdf", PDF)])
    other = file(subject="other")
    services.attach(other, by=member, files=[upload("vergi_levhasi.pdf", PDF)])
    client.force_login(responsible)

    assert listed_ids(client.get("/tickets/", {"q": "imza sirkuleri"})) == [ticket.pk]
    assert listed_ids(client.get("/tickets/", {"q": "VERGİ_LEVHASI"})) == [other.pk]


def test_an_internal_note_and_document_are_found_by_handlers_only(
    client, ticket, member, responsible, supervisor, other_responsible
):
    services.reply(
        ticket,
        by=responsible,
        body="Şüpheli başvuru",
        internal=True,
        files=[upload("gizli_rapor.pdf", PDF)],
    )

    client.force_login(responsible)
    assert listed_ids(client.get("/tickets/", {"q": "şüpheli"})) == [ticket.pk]
    assert listed_ids(client.get("/tickets/", {"q": "gizli_rapor"})) == [ticket.pk]
    client.force_login(supervisor)
    assert listed_ids(client.get("/tickets/", {"q": "SÜPHELİ"})) == [ticket.pk]
    client.force_login(member)
    assert listed_ids(client.get("/tickets/", {"q": "şüpheli"})) == []
    assert listed_ids(client.get("/tickets/", {"q": "gizli_rapor"})) == []
