"""Documents in an S3-compatible bucket (moto's server): stored there, private, and
given out only through /attachments/<id>/, streamed or by a short-lived signed link."""

import hashlib
import hmac
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

from tickets import services
from tickets.models import Attachment, Ticket
from tickets.tests.files import PDF, png_bytes, upload

REPORT = PDF + "Kapasite raporu, İnegöl".encode() + b"\n%%EOF\n"


def file_with_documents(client, capacity, *documents):
    return client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": "Kapasite raporu onaylanmadı",
            "description": "Ekteki rapor.",
            "attachments": [upload(name, content) for name, content in documents],
        },
    )


@pytest.fixture
def report(bucket, ticket, member):
    """A PDF attached to `oda`'s ticket, stored in the bucket."""
    return services.attach(ticket, by=member, files=[upload("İnegöl raporu.pdf", REPORT)]).saved[0]


def fetch(url: str) -> urllib.request.addinfourl:
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - moto on loopback


def test_filing_with_documents_puts_them_in_the_bucket(client, member, capacity, bucket):
    client.force_login(member)

    response = file_with_documents(
        client, capacity, ("rapor.pdf", REPORT), ("ekran.png", png_bytes())
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    stored = {a.original_name: a.file.name for a in ticket.attachments.all()}
    assert bucket.keys() == sorted(stored.values())
    assert bucket.read(stored["rapor.pdf"]) == REPORT
    assert bucket.read(stored["ekran.png"]) == png_bytes()


def test_a_download_streams_the_exact_bytes_from_the_bucket(client, member, report):
    client.force_login(member)

    response = client.get(f"/attachments/{report.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == REPORT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("seconds", [0, 60])
def test_another_organisation_gets_404_and_no_link(
    client, other_union_member, report, settings, seconds
):
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = seconds
    client.force_login(other_union_member)

    response = client.get(f"/attachments/{report.pk}/")

    assert response.status_code == 404
    assert "Location" not in response


def test_the_object_cannot_be_fetched_from_the_store_without_a_signature(bucket, report):
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(f"{bucket.server.endpoint}/{bucket.name}/{report.file.name}")

    assert refused.value.code == 403


def test_with_signed_links_a_download_redirects_to_a_link_that_serves_the_same_response(
    client, member, report, settings, bucket
):
    client.force_login(member)
    streamed = client.get(f"/attachments/{report.pk}/")
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = 60

    response = client.get(f"/attachments/{report.pk}/")

    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith(f"{bucket.server.endpoint}/{bucket.name}/{report.file.name}?")
    served = fetch(link)
    assert served.read() == REPORT
    assert served.headers["Content-Disposition"] == streamed["Content-Disposition"]
    assert "filename*=utf-8''%C4%B0neg%C3%B6l%20raporu.pdf" in served.headers["Content-Disposition"]
    assert served.headers["Content-Type"] == streamed["Content-Type"] == "application/pdf"
    assert served.headers["Cache-Control"] == "private, no-store"


def test_an_image_link_shows_it_inline_like_the_streamed_response(
    client, member, ticket, bucket, settings
):
    image = services.attach(ticket, by=member, files=[upload("ekran.png", png_bytes())]).saved[0]
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = 60
    client.force_login(member)

    served = fetch(client.get(f"/attachments/{image.pk}/")["Location"])

    assert served.headers["Content-Disposition"] == 'inline; filename="ekran.png"'
    assert served.headers["Content-Type"] == "image/png"


def signature_holds(link: str, secret: str = "testing") -> bool:  # noqa: S107 - moto's
    """Check a presigned GET's AWS Signature V4 as S3, MinIO or Ceph do (moto's server
    takes any signature, and ignores the expiry, so the test does the store's part)."""
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    given = dict(query)["X-Amz-Signature"]
    signed = sorted((k, v) for k, v in query if k != "X-Amz-Signature")
    canonical = "\n".join(
        [
            "GET",
            parts.path,
            "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in signed),
            f"host:{parts.netloc}",
            "",
            "host",
            "UNSIGNED-PAYLOAD",
        ]
    )
    fields = dict(query)
    scope = fields["X-Amz-Credential"].split("/", 1)[1]
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            fields["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = f"AWS4{secret}".encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), given)


def with_query(link: str, **changes) -> str:
    parts = urlsplit(link)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | changes
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def test_the_link_is_signed_to_expire_after_the_set_seconds(client, member, report, settings):
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = 60
    client.force_login(member)

    link = client.get(f"/attachments/{report.pk}/")["Location"]

    query = dict(parse_qsl(urlsplit(link).query))
    assert query["X-Amz-Expires"] == "60"
    assert signature_holds(link)
    # The lifetime is part of what is signed: a longer one makes the link invalid.
    assert not signature_holds(with_query(link, **{"X-Amz-Expires": "604800"}))
    assert not signature_holds(with_query(link, **{"response-content-type": "text/html"}))


def test_on_a_folder_the_link_setting_is_ignored_and_the_file_streamed(
    client, member, ticket, settings
):
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = 60
    document = services.attach(ticket, by=member, files=[upload("rapor.pdf", REPORT)]).saved[0]
    client.force_login(member)

    response = client.get(f"/attachments/{document.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == REPORT


@pytest.mark.parametrize("seconds", [0, 60])
def test_a_document_missing_from_the_bucket_is_404(
    client, member, report, bucket, settings, seconds
):
    settings.HELPDESK_ATTACHMENT_URL_SECONDS = seconds
    bucket.client.delete_object(Bucket=bucket.name, Key=report.file.name)
    client.force_login(member)

    assert client.get(f"/attachments/{report.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redaction_removes_the_object_from_the_bucket(report, supervisor, bucket):
    # given another document, which stays
    kept = services.attach(report.ticket, by=report.uploaded_by, files=[upload("b.pdf", PDF)])

    # when (a real commit: the object goes once the redaction is committed)
    services.redact(report.ticket, by=supervisor, attachments=[report], reason="KVKK")

    # then
    assert bucket.keys() == [kept.saved[0].file.name]
    assert Attachment.objects.get(pk=report.pk).redacted


def test_object_names_are_random_and_may_sit_under_a_prefix(bucket, settings, ticket, member):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket.storage_settings(location="helpdesk/"),
    }

    document = services.attach(ticket, by=member, files=[upload("İnegöl raporu.pdf", PDF)]).saved[0]

    [key] = bucket.keys()
    assert key == f"helpdesk/{document.file.name}"
    assert "rapor" not in key
