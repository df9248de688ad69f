"""The supervisors' page under /webhooks/ and the admin."""

from webhooks.models import Webhook


def test_a_supervisor_registers_a_hook_and_sees_its_secret(
    client, supervisor, receiver, capacity, bursa_union
):
    client.force_login(supervisor)

    response = client.post(
        "/webhooks/",
        {
            "name": "Bursa ERP",
            "url": receiver.url,
            "events": ["ticket.filed", "sla.breached"],
            "categories": [capacity.pk],
            "organisation": bursa_union.pk,
        },
    )

    hook = Webhook.objects.get()
    assert response.url == f"/webhooks/{hook.pk}/"
    assert (hook.owner, hook.events) == (supervisor, ["ticket.filed", "sla.breached"])
    assert list(hook.categories.all()) == [capacity]
    assert hook.organisation == bursa_union
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert hook.secret in page
    assert "Service level breached" in page


def test_a_refused_url_comes_back_with_a_message_and_nothing_saved(client, supervisor, settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(supervisor)

    response = client.post(
        "/webhooks/",
        {"name": "İç ağ", "url": "http://169.254.169.254/", "events": ["ticket.filed"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "link-local" in response.content.decode()
    assert not Webhook.objects.exists()


def test_members_and_responsibles_may_not_register_hooks(client, member, responsible, receiver):
    for user in (member, responsible):
        client.force_login(user)
        assert client.get("/webhooks/").status_code == 403
        posted = client.post(
            "/webhooks/", {"name": "x", "url": receiver.url, "events": ["ticket.filed"]}
        )
        assert posted.status_code == 403
    assert not Webhook.objects.exists()


def test_another_supervisors_hook_is_404(client, supervisor, hook, tesk):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    theirs = hook(supervisor)
    colleague = UserFactory(username="tesk2", organisation=tesk, role=Role.SUPERVISOR)
    client.force_login(colleague)

    assert client.get(f"/webhooks/{theirs.pk}/").status_code == 404
    assert client.post(f"/webhooks/{theirs.pk}/delete/").status_code == 404
    assert Webhook.objects.filter(pk=theirs.pk).exists()


def test_the_delivery_log_page_costs_the_same_queries_for_many_deliveries(
    client, supervisor, hook, file, django_assert_max_num_queries
):
    registered = hook(supervisor, ["ticket.filed"])
    for number in range(30):
        file(subject=f"Konu {number}")
    client.force_login(supervisor)

    with django_assert_max_num_queries(10):
        response = client.get(f"/webhooks/{registered.pk}/")

    assert response.content.decode().count("ticket.filed") >= 30


def test_the_delivery_log_shows_every_attempt_of_a_retried_delivery(
    client, supervisor, hook, file, receiver
):
    from webhooks import delivery
    from webhooks.models import Delivery

    registered = hook(supervisor, ["ticket.filed"])
    receiver.answers = [502]
    file()
    delivery.send_pending()
    Delivery.objects.update(next_attempt_at=Delivery.objects.get().created_at)
    delivery.send_pending()
    client.force_login(supervisor)

    page = client.get(f"/webhooks/{registered.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Every attempt" in page
    assert ": 502</li>" in page
    assert ": 200</li>" in page


def test_the_admin_refuses_a_private_address(admin_client, supervisor, settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False

    response = admin_client.post(
        "/admin/webhooks/webhook/add/",
        {
            "owner": supervisor.pk,
            "name": "x",
            "url": "http://10.1.2.3/",
            "secret": "s",
            "events": ["ticket.filed"],
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert not Webhook.objects.exists()


def test_the_admin_adds_a_hook_to_a_public_address(admin_client, supervisor, settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False

    response = admin_client.post(
        "/admin/webhooks/webhook/add/",
        {
            "owner": supervisor.pk,
            "name": "Oda ERP",
            "url": "https://93.184.215.14/hook",
            "secret": "s",
            "events": ["ticket.filed"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert Webhook.objects.get().events == ["ticket.filed"]


def test_my_webhooks_are_in_my_personal_data_export_without_their_secret(client, supervisor, hook):
    import io
    import json
    import zipfile

    mine = hook(supervisor, ["ticket.filed"])
    client.force_login(supervisor)

    response = client.get("/privacy/export/")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    raw = archive.read("personal-data.json").decode()
    assert [h["name"] for h in json.loads(raw)["webhooks"]] == [mine.name]
    assert mine.secret not in raw


def test_the_owner_changes_a_hooks_events_and_scope(client, supervisor, hook, technical):
    mine = hook(supervisor, ["ticket.filed"])
    client.force_login(supervisor)

    response = client.post(
        f"/webhooks/{mine.pk}/",
        {
            "edit-name": "Teknik ERP",
            "edit-url": mine.url,
            "edit-events": ["ticket.resolved"],
            "edit-categories": [technical.pk],
        },
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.events) == ("Teknik ERP", ["ticket.resolved"])
    assert list(mine.categories.all()) == [technical]


def test_a_change_to_a_private_address_is_refused_and_nothing_changes(
    client, supervisor, hook, settings
):
    mine = hook(supervisor, ["ticket.filed"])
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(supervisor)

    response = client.post(
        f"/webhooks/{mine.pk}/",
        {"edit-name": "x", "edit-url": "http://192.168.0.10/", "edit-events": ["ticket.filed"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "private" in response.content.decode()
    mine.refresh_from_db()
    assert mine.url.startswith("http://127.0.0.1:")


def test_a_new_secret_replaces_the_old_one(client, supervisor, hook):
    mine = hook(supervisor)
    old = mine.secret
    client.force_login(supervisor)

    client.post(f"/webhooks/{mine.pk}/secret/")

    mine.refresh_from_db()
    assert mine.secret != old and len(mine.secret) == 64


def test_nobody_changes_another_supervisors_hook(client, supervisor, hook, tesk):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    theirs = hook(supervisor)
    secret = theirs.secret
    client.force_login(UserFactory(username="tesk3", organisation=tesk, role=Role.SUPERVISOR))

    assert client.post(f"/webhooks/{theirs.pk}/secret/").status_code == 404
    assert client.post(f"/webhooks/{theirs.pk}/", {"edit-name": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.secret, theirs.name) == (secret, "tesk's ERP")
