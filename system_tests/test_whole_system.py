"""The whole site over real HTTP: two gunicorn instances, one database, one Redis, the
SMTP sink; the worker and the S3 server too where the code has them (conftest.py)."""

import re
import subprocess
import sys
import time
from collections import Counter

import pytest

from bench.webclient import ATTACHMENT_LINK, DOCUMENTS_REDIRECT, Client

from .conftest import PASSWORD, ROOT, describe

pytestmark = pytest.mark.system

MAIL_SECONDS = 60


def outbox(system) -> list[tuple[str, str, bool]]:
    """The mail written since the demo data (whose notices are marked sent, not mailed)."""
    return system.query(
        'SELECT "to", subject, sent_at IS NOT NULL FROM tickets_outgoingmail WHERE id > %s',
        system.mail_before,
    )


def assert_every_mail_delivered_once(system):
    """Every mail the site wrote to its outbox reaches the sink once: none lost, none
    twice (counted by recipient and subject; each send makes a new Message-ID)."""
    deadline = time.monotonic() + MAIL_SECONDS
    while time.monotonic() < deadline:
        rows = outbox(system)
        if all(sent for *_, sent in rows) and len(system.smtp.messages) >= len(rows):
            break
        time.sleep(0.5)
    # What cron would run: it finds nothing left to send.
    system.manage("send_mail_queue")
    rows = outbox(system)
    unsent = [row for row in rows if not row[2]]
    assert not unsent, f"Mail never sent: {unsent}\n{describe(system)}"
    received = Counter((str(m["To"]), str(m["Subject"]).strip()) for m in system.smtp.messages)
    written = Counter((to, subject) for to, subject, _ in rows)
    assert received == written, (
        f"lost: {written - received}\ntwice or unknown: {received - written}"
    )
    message_ids = Counter(str(m["Message-ID"]) for m in system.smtp.messages)
    assert max(message_ids.values()) == 1


def file_ticket(client, category: int, subject: str, document: bytes) -> int:
    form = client.get("/tickets/new/")
    assert f'<option value="{category}"' in form.text
    response = client.post(
        "/tickets/new/",
        {
            "category": category,
            "kind": "problem",
            "priority": "high",
            "subject": subject,
            "description": "Üretim kapasite raporunda prod kodları eksik görünüyor.",
            "submission": form.submission(),
        },
        [("attachments", f"{subject}.txt", document, "text/plain")],
        csrf_from=form,
    )
    assert response.status == 302, (response.status, response.alerts("danger"))
    return int(DOCUMENTS_REDIRECT.match(response.location).group(1))


def test_tickets_filed_on_one_instance_are_resolved_on_the_other(system):
    instance_a, instance_b = system.urls
    member = Client(instance_a)
    member.sign_in("oda", PASSWORD)
    handler = Client(instance_b)
    handler.sign_in("kapasite", PASSWORD)

    ((capacity,),) = system.query(
        "SELECT id FROM categories_category WHERE name = %s", "Kapasite Raporu"
    )
    documents = {}
    for n in range(3):
        subject = f"Sistem testi {n}"
        document = f"Belge {n}: İnegöl, ölçüm ve ğüşiöç.\n".encode() * 50
        documents[file_ticket(member, capacity, subject, document)] = document
    # The worker, where there is one, dies with the mail in hand and comes back.
    system.restart_worker()

    listed = handler.get("/tickets/")
    for pk in documents:
        assert f'href="/tickets/{pk}/"' in listed.text
    for pk, document in documents.items():
        page = handler.get(f"/tickets/{pk}/")
        assert page.status == 200
        (attachment,) = set(ATTACHMENT_LINK.findall(page.text))
        download = handler.get(f"/attachments/{attachment}/")
        assert download.status == 200
        assert download.body == document
        reply = handler.post(
            f"/tickets/{pk}/reply/",
            {"body": "Kodlar eklendi, kontrol ediniz.", "submission": page.submission()},
            csrf_from=page,
        )
        assert reply.status == 302
        page = handler.get(f"/tickets/{pk}/")
        resolved = handler.post(
            f"/tickets/{pk}/resolve/",
            {"explanation": f"Çözüldü, kayıt {pk}: kodlar eklendi."},
            csrf_from=page,
        )
        assert resolved.status == 302
        assert handler.get(resolved.location).alerts("success")

    for pk in documents:
        page = member.get(f"/tickets/{pk}/")
        assert page.status == 200
        assert f"Çözüldü, kayıt {pk}: kodlar eklendi." in page.text
        assert "Resolved" in page.text
        assert f'action="/tickets/{pk}/reopen/"' in page.text
    rows = system.query(
        "SELECT id, status, read_at IS NOT NULL FROM tickets_ticket WHERE id = ANY(%s)",
        list(documents),
    )
    assert sorted(rows) == [(pk, "resolved", True) for pk in sorted(documents)]
    if system.s3:
        assert_in_bucket(system, len(documents))

    assert_every_mail_delivered_once(system)
    for pk in documents:
        to_member = [
            m
            for m in system.smtp.messages
            if m["To"] == "oda@example.org" and f"#{pk}" in str(m["Subject"])
        ]
        assert len(to_member) == 3, [
            str(m["Subject"]) for m in to_member
        ]  # filed, answered, resolved


def assert_in_bucket(system, at_least: int):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=system.s3["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=system.s3["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=system.s3["AWS_SECRET_ACCESS_KEY"],
        region_name=system.s3["AWS_S3_REGION_NAME"],
    )
    listed = client.list_objects_v2(Bucket=system.s3["AWS_STORAGE_BUCKET_NAME"])
    assert listed.get("KeyCount", 0) >= at_least


def test_static_files_have_hashed_names_kept_for_a_year(system):
    page = Client(system.urls[1]).get("/accounts/login/")
    stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"', page.text).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet

    response = Client(system.urls[0]).get(stylesheet)

    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]


def test_both_instances_and_their_parts_are_healthy(system):
    for url in system.urls:
        response = Client(url).get("/healthz")
        assert response.status == 200, response.text


def test_a_short_load_run_loses_nothing_and_doubles_nothing(system):
    load = [sys.executable, "bench/load.py"]
    prepared = subprocess.run(
        [*load, "--prepare", "--users", "10", "--password", PASSWORD],
        cwd=ROOT,
        env=system.env,
        capture_output=True,
        text=True,
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr

    run = subprocess.run(
        [
            *load,
            *(f"--base-url={url}" for url in system.urls),
            "--users",
            "10",
            "--duration",
            "20",
            "--password",
            PASSWORD,
        ],
        cwd=ROOT,
        env=system.env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert run.returncode == 0, run.stdout + run.stderr + describe(system)
    assert re.search(r"^5xx responses: 0$", run.stdout, re.M), run.stdout
    assert re.search(r"^database: matches", run.stdout, re.M), run.stdout
    assert_every_mail_delivered_once(system)
