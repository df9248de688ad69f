"""The seed story through the API, as the demo users would script it."""

from tickets.models import EventKind, Status, Ticket
from tickets.tests.files import PDF, upload


def test_the_seed_story_through_the_api(
    api, member, responsible, union_member, other_union_member, other_responsible, capacity
):
    oda, kapasite, bursa = api(member), api(responsible), api(union_member, scope="read")

    # given: oda files a Kapasite Raporu problem with a PDF
    filed = oda.post(
        "/api/v1/tickets/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "high",
            "subject": "Kapasite raporunda prod kodları eksik",
            "description": "İnegöl'deki raporda kodlar görünmüyor.",
            "attachments": [upload("rapor.pdf", PDF)],
        },
        format="multipart",
    )
    assert filed.status_code == 201, filed.json()
    pk = filed.json()["id"]
    assert filed.json()["status"] == "waiting"
    assert filed.json()["channel"] == "api"
    assert [d["name"] for d in filed.json()["documents"]] == ["rapor.pdf"]

    # when: kapasite reads it, replies and resolves it
    read = kapasite.get(f"/api/v1/tickets/{pk}/")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert "resolve" in read.json()["actions"]
    document = kapasite.get(read.json()["documents"][0]["url"])
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == PDF
    replied = kapasite.post(f"/api/v1/tickets/{pk}/reply/", {"body": "Kodlar eklendi."})
    assert replied.status_code == 200
    assert replied.json()["status"] == "in_progress"
    resolved = kapasite.post(
        f"/api/v1/tickets/{pk}/resolve/", {"explanation": "Raporu yeniden oluşturun."}
    )
    assert resolved.status_code == 200

    # then: oda sees it resolved, with the reply and the explanation
    seen = oda.get(f"/api/v1/tickets/{pk}/").json()
    assert seen["status"] == "resolved"
    assert seen["resolved_at"] is not None
    assert [m["note"] for m in seen["messages"]] == ["Kodlar eklendi."]
    assert [e["kind"] for e in seen["events"]] == [
        "created",
        "attached",
        "read",
        "replied",
        "resolved",
    ]
    assert {"reopen", "close"} <= set(seen["actions"])
    # bursa reads it and its document, and may do nothing
    union_view = bursa.get(f"/api/v1/tickets/{pk}/")
    assert union_view.status_code == 200
    assert union_view.json()["actions"] == []
    assert bursa.get(f"/api/v1/attachments/{seen['documents'][0]['id']}/").status_code == 200
    assert [t["id"] for t in bursa.get("/api/v1/tickets/").json()["results"]] == [pk]
    # birlik and teknik do not see it
    for outsider in (api(other_union_member), api(other_responsible)):
        assert outsider.get(f"/api/v1/tickets/{pk}/").status_code == 404
        assert outsider.get(f"/api/v1/attachments/{seen['documents'][0]['id']}/").status_code == 404
        assert outsider.get("/api/v1/tickets/").json()["results"] == []
        assert outsider.post(f"/api/v1/tickets/{pk}/reply/", {"body": "?"}).status_code == 404
    assert Ticket.objects.get(pk=pk).status == Status.RESOLVED


def test_a_union_member_with_a_read_and_write_token_still_cannot_act(api, union_member, ticket):
    response = api(union_member).post(f"/api/v1/tickets/{ticket.pk}/reply/", {"body": "Biz de"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not ticket.events.filter(kind=EventKind.REPLIED).exists()


def test_internal_notes_never_reach_a_member(api, member, responsible, ticket):
    handler = api(responsible)
    noted = handler.post(f"/api/v1/tickets/{ticket.pk}/note/", {"body": "Gizli: firma borçlu."})
    assert noted.status_code == 200
    also = handler.post(
        f"/api/v1/tickets/{ticket.pk}/reply/",
        {"body": "İkinci gizli not", "internal": "true", "attachments": [upload("ic.pdf", PDF)]},
        format="multipart",
    )
    assert also.status_code == 200
    internal_document = ticket.attachments.get(internal=True)

    seen = api(member).get(f"/api/v1/tickets/{ticket.pk}/")

    text = seen.content.decode()
    assert "Gizli" not in text and "İkinci gizli" not in text and "ic.pdf" not in text
    assert all(not e["internal"] for e in seen.json()["events"])
    assert api(member).get(f"/api/v1/attachments/{internal_document.pk}/").status_code == 404
    # the handler sees both notes
    notes = [m["note"] for m in handler.get(f"/api/v1/tickets/{ticket.pk}/").json()["messages"]]
    assert notes == ["Gizli: firma borçlu.", "İkinci gizli not"]


def test_a_member_cannot_take_a_handlers_action(api, member, ticket, responsible):
    for action, body in [
        ("resolve", {"explanation": "Kendim çözdüm"}),
        ("note", {"body": "not"}),
        ("priority", {"priority": "high"}),
        ("assign", {"assignee": responsible.pk}),
    ]:
        response = api(member).post(f"/api/v1/tickets/{ticket.pk}/{action}/", body)
        assert response.status_code == 403, action
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == ("waiting", "medium", None)


def test_every_action_runs_through_the_services(
    api, member, responsible, ticket, capacity, technical
):
    handler, oda = api(responsible), api(member)
    base = f"/api/v1/tickets/{ticket.pk}"

    assert handler.post(f"{base}/assign/", {"assignee": responsible.pk}).json()["assignee"] == {
        "id": responsible.pk,
        "name": responsible.display_name(),
    }
    assert handler.post(f"{base}/priority/", {"priority": "low"}).json()["priority"] == "low"
    assert handler.post(f"{base}/request-info/", {"body": "Vergi no?"}).json()["status"] == (
        "info_requested"
    )
    assert oda.post(f"{base}/reply/", {"body": "1234567890"}).json()["status"] == "in_progress"
    assert handler.post(f"{base}/resolve/", {"explanation": "Tamam"}).json()["status"] == "resolved"
    assert oda.post(f"{base}/reopen/", {"body": "Hâlâ yok"}).json()["status"] == "in_progress"
    handler.post(f"{base}/resolve/", {"explanation": "Şimdi tamam"})
    assert oda.post(f"{base}/close/").json()["status"] == "closed"
    # a closed ticket takes no more: the status says no (409), nothing changes
    refused = handler.post(f"{base}/priority/", {"priority": "high"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "ticket_state"
    assert [e.kind for e in ticket.events.all()][-1] == EventKind.CLOSED


def test_a_redirect_out_of_the_handlers_sight_answers_204(api, responsible, ticket, technical):
    response = api(responsible).post(
        f"/api/v1/tickets/{ticket.pk}/redirect/", {"category": technical.pk, "body": "Teknik"}
    )

    assert response.status_code == 204
    ticket.refresh_from_db()
    assert ticket.category == technical
    assert api(responsible).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404
