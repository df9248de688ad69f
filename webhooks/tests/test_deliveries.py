"""Deliveries: queued with the change, sent after the commit to a real loopback server,
signed, and carrying nothing the hook's owner may not see."""

import hashlib
import hmac
import json
import uuid

import pytest
from django.db import transaction

from tickets import services
from tickets.models import Ticket
from tickets.signals import sla_breached
from webhooks.models import Delivery, DeliveryState, EventType

FILED, REPLIED, STATUS, ASSIGNED, RESOLVED = (
    EventType.FILED,
    EventType.REPLIED,
    EventType.STATUS_CHANGED,
    EventType.ASSIGNED,
    EventType.RESOLVED,
)


def outsider_verifies(secret: str, request: dict) -> bool:
    """The check a receiver makes, written from docs/api.md, not from our code."""
    headers = request["headers"]
    signed = headers["X-Helpdesk-Timestamp"].encode() + b"." + request["body"]
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Helpdesk-Signature"])


def test_a_filed_ticket_reaches_the_hook_signed_after_the_commit(
    receiver, hook, supervisor, file, django_capture_on_commit_callbacks
):
    registered = hook(supervisor, [FILED])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = file(subject="Kapasite raporunda İnegöl kodları")
        # queued in the change's transaction; nothing left before the commit
        assert Delivery.objects.filter(webhook=registered).count() == 1
        assert receiver.requests == []
    for callback in callbacks:
        callback()

    [request] = receiver.requests
    delivery = Delivery.objects.get(webhook=registered)
    assert request["path"] == "/hooks/helpdesk?source=test"
    assert outsider_verifies(registered.secret, request)
    assert not outsider_verifies("another secret", request)
    assert request["headers"]["X-Helpdesk-Delivery"] == str(delivery.uid)
    assert request["headers"]["X-Helpdesk-Event"] == "ticket.filed"
    body = json.loads(request["body"])
    assert body["id"] == str(delivery.uid)
    assert body["event"] == "ticket.filed"
    assert body["ticket"]["id"] == ticket.pk
    assert body["ticket"]["subject"] == "Kapasite raporunda İnegöl kodları"
    assert body["action"]["kind"] == "created"
    assert (delivery.state, delivery.response_code, delivery.attempts) == ("delivered", 200, 1)


def test_a_change_that_rolls_back_queues_and_sends_nothing(
    receiver, hook, supervisor, file, django_capture_on_commit_callbacks
):
    hook(supervisor, [FILED])

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        file()
        raise RuntimeError("the change fails after filing")

    assert Delivery.objects.count() == 0
    assert receiver.requests == []


def test_internal_notes_go_only_to_hooks_whose_owner_handles_the_ticket(
    receiver,
    hook,
    ticket,
    member,
    responsible,
    other_responsible,
    supervisor,
    django_capture_on_commit_callbacks,
):
    handlers = hook(responsible, [REPLIED])
    chief = hook(supervisor, [REPLIED])
    # Only an admin could give a member a hook; it still sees only what the member sees.
    members = hook(member, [REPLIED])
    outsiders = hook(other_responsible, [REPLIED])

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, by=responsible, body="Gizli: firma borçlu.", internal=True)
        services.reply(ticket, by=responsible, body="Kodlar eklendi.")

    texts = {
        name: [json.loads(d.body)["action"]["text"] for d in h.deliveries.order_by("pk")]
        for name, h in [("handler", handlers), ("chief", chief), ("member", members)]
    }
    assert texts == {
        "handler": ["Gizli: firma borçlu.", "Kodlar eklendi."],
        "chief": ["Gizli: firma borçlu.", "Kodlar eklendi."],
        "member": ["Kodlar eklendi."],
    }
    assert not outsiders.deliveries.exists()
    everything_sent = b"".join(request["body"] for request in receiver.requests)
    assert everything_sent.count(b"Gizli") == 2
    assert len(receiver.requests) == 5


def test_a_hook_hears_only_its_categories_and_organisation_subtree(
    receiver,
    hook,
    supervisor,
    file,
    capacity,
    technical,
    bursa_union,
    ankara_union,
    django_capture_on_commit_callbacks,
):
    technical_only = hook(supervisor, [FILED], categories=[technical])
    capacity_only = hook(supervisor, [FILED], categories=[capacity])
    bursa_below = hook(supervisor, [FILED], organisation=bursa_union)
    ankara_below = hook(supervisor, [FILED], organisation=ankara_union)

    with django_capture_on_commit_callbacks(execute=True):
        file()  # İnegöl (under Bursa), Kapasite Raporu

    assert [h.deliveries.count() for h in (technical_only, capacity_only)] == [0, 1]
    assert [h.deliveries.count() for h in (bursa_below, ankara_below)] == [1, 0]


def test_status_changes_assignments_and_resolutions_are_reported(
    receiver, hook, ticket, responsible, supervisor, django_capture_on_commit_callbacks
):
    registered = hook(supervisor, [STATUS, ASSIGNED, RESOLVED])

    with django_capture_on_commit_callbacks(execute=True):
        services.assign(ticket, by=responsible, assignee=responsible)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(ticket, by=responsible, explanation="Raporu yeniden oluşturun.")

    sent = [(b["event"], b.get("change"), b["ticket"]["status"]) for b in receiver.bodies()]
    assert sent == [
        ("ticket.status_changed", {"from": "waiting", "to": "in_progress"}, "in_progress"),
        ("ticket.assigned", None, "in_progress"),
        ("ticket.status_changed", {"from": "in_progress", "to": "resolved"}, "resolved"),
        ("ticket.resolved", None, "resolved"),
    ]
    resolved = receiver.bodies()[-1]
    assert resolved["action"]["text"] == "Raporu yeniden oluşturun."
    assert resolved["ticket"]["assignee"] == {"id": responsible.pk, "name": "kapasite"}
    assert registered.deliveries.filter(state="delivered").count() == 4


def test_sla_breached_is_a_kind_a_service_level_app_can_send(
    receiver, hook, ticket, supervisor, django_capture_on_commit_callbacks
):
    registered = hook(supervisor, [EventType.SLA_BREACHED])
    due = ticket.created_at

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sla_breached.send(sender=Ticket, ticket=ticket, kind="first_response", due_at=due)

    [body] = receiver.bodies()
    assert body["event"] == "sla.breached"
    assert body["change"] == {"target": "first_response", "due_at": due.isoformat()}
    assert registered.deliveries.get().state == "delivered"


def test_a_ticket_redirected_out_of_the_owners_sight_before_sending_is_not_sent(
    receiver, hook, ticket, responsible, technical, django_capture_on_commit_callbacks
):
    registered = hook(responsible, [REPLIED, STATUS])

    with django_capture_on_commit_callbacks(execute=False):  # the sender is not running
        services.reply(ticket, by=responsible, body="Bakıyoruz.")
        services.redirect_to_category(ticket, by=responsible, category=technical)
    from webhooks import delivery

    delivery.send_pending()

    # the reply and the first status change were queued, but the owner no longer sees it
    states = list(registered.deliveries.values_list("state", flat=True))
    assert states == [DeliveryState.SKIPPED] * 2
    assert receiver.requests == []


def test_a_hook_of_a_deactivated_owner_gets_nothing(
    receiver, hook, supervisor, file, django_capture_on_commit_callbacks
):
    registered = hook(supervisor, [FILED])
    supervisor.is_active = False
    supervisor.save()

    with django_capture_on_commit_callbacks(execute=True):
        file()

    assert not registered.deliveries.exists()
    assert receiver.requests == []


def test_delivery_ids_are_unique_uuids(receiver, hook, supervisor, responsible, file):
    hook(supervisor, [FILED])
    hook(responsible, [FILED])

    file()

    ids = list(Delivery.objects.values_list("uid", flat=True))
    assert len(set(ids)) == 2
    assert all(isinstance(value, uuid.UUID) for value in ids)


def test_documents_are_listed_as_the_owner_may_download_them(
    receiver, hook, ticket, member, responsible, django_capture_on_commit_callbacks
):
    from tickets.tests.files import PDF, upload

    handlers = hook(responsible, [REPLIED])
    members = hook(member, [REPLIED])

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(
            ticket, by=responsible, body="İç belge", internal=True, files=[upload("ic.pdf", PDF)]
        )
        services.reply(ticket, by=responsible, body="Belge", files=[upload("rapor.pdf", PDF)])

    def names(hook_):
        bodies = [json.loads(row.body) for row in hook_.deliveries.all()]
        return [[document["name"] for document in body["documents"]] for body in bodies]

    assert names(handlers) == [["ic.pdf", "rapor.pdf"], ["ic.pdf", "rapor.pdf"]]
    assert names(members) == [["rapor.pdf"]]
    public = json.loads(members.deliveries.get().body)["documents"][0]
    assert public["url"] == f"http://127.0.0.1:8000/api/v1/attachments/{public['id']}"
    assert "ic.pdf" not in "".join(d.body for d in members.deliveries.all())
