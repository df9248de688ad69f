"""Documents: checked by content, stored under random names, served only to those who see."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from tickets import services, uploads
from tickets.models import Attachment
from tickets.tests.files import PDF, png_bytes, upload


def office_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, content_type, is_image",
    [
        ("rapor.pdf", PDF, "application/pdf", False),
        ("ekran.png", png_bytes(), "image/png", True),
        ("not.txt", "Türkçe ışık İĞÜŞÖÇ".encode(), "text/plain", False),
        ("liste.csv", b"a,b\n1,2\n", "text/csv", False),
        (
            "dilekce.docx",
            office_document(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            False,
        ),
    ],
)
def test_accepted_documents_are_recognised_by_content(name, content, content_type, is_image):
    assert uploads.inspect(upload(name, content)) == uploads.Inspected(content_type, is_image)


@pytest.mark.parametrize(
    "name, content",
    [
        ("virus.exe", b"MZ\x90\x00\x03" + b"\x00" * 200),
        ("resim.png", b"<script>alert(1)</script>"),  # a name is not a type
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("bozuk.png", png_bytes()[:40]),  # the header of a PNG, the rest missing
        ("binary.txt", b"\x00\x01\x02binary"),
        ("empty.pdf", b""),
    ],
)
def test_refused_documents_get_a_message_naming_them(name, content):
    with pytest.raises(ValidationError) as error:
        uploads.inspect(upload(name, content))
    assert name in error.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.HELPDESK_MAX_UPLOAD_SIZE = 100

    with pytest.raises(ValidationError, match="big.pdf"):
        uploads.inspect(upload("big.pdf", PDF + b"0" * 200))


def test_the_stored_name_is_random_and_the_original_is_kept(ticket, member):
    result = services.attach(ticket, by=member, files=[upload("İnegöl raporu (son).pdf", PDF)])

    attachment = result.saved[0]
    assert attachment.original_name == "İnegöl raporu (son).pdf"
    assert "rapor" not in attachment.file.name
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".pdf")


def test_a_document_downloads_as_an_attachment_with_nosniff(client, ticket, member):
    attachment = services.attach(ticket, by=member, files=[upload("rapor.pdf", PDF)]).saved[0]
    client.force_login(member)

    response = client.get(f"/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="rapor.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_verified_image_is_shown_inline(client, ticket, member):
    attachment = services.attach(ticket, by=member, files=[upload("ekran.png", png_bytes())]).saved[
        0
    ]
    client.force_login(member)

    response = client.get(f"/attachments/{attachment.pk}/")

    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize("role", ["union_member", "responsible", "supervisor", "chamber_colleague"])
def test_whoever_sees_the_ticket_downloads_its_documents(role, request, client, ticket, member):
    attachment = services.attach(ticket, by=member, files=[upload("rapor.pdf", PDF)]).saved[0]
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["other_union_member", "other_responsible"])
def test_whoever_does_not_see_the_ticket_gets_404_for_its_documents(
    role, request, client, ticket, member
):
    attachment = services.attach(ticket, by=member, files=[upload("rapor.pdf", PDF)]).saved[0]
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_internal_documents_are_404_for_members(client, ticket, responsible, member, union_member):
    result = services.attach(ticket, by=responsible, files=[upload("ic.pdf", PDF)], internal=True)
    attachment = result.saved[0]

    client.force_login(member)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert "ic.pdf" not in client.get(f"/tickets/{ticket.pk}/").content.decode()
    client.force_login(union_member)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.force_login(responsible)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200


def test_a_member_cannot_mark_their_own_upload_internal(ticket, member):
    attachment = services.attach(ticket, by=member, files=[upload("a.pdf", PDF)], internal=True)

    assert attachment.saved[0].internal is False


def test_anonymous_downloads_are_redirected_to_sign_in(client, ticket, member):
    attachment = services.attach(ticket, by=member, files=[upload("rapor.pdf", PDF)]).saved[0]

    response = client.get(f"/attachments/{attachment.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Attachment.objects.count() == 1


def test_a_png_named_html_is_stored_and_downloaded_as_png(client, ticket, member):
    polyglot = png_bytes() + b"<html><script>alert(1)</script></html>"
    attachment = services.attach(ticket, by=member, files=[upload("pic.html", polyglot)]).saved[0]
    client.force_login(member)

    response = client.get(f"/attachments/{attachment.pk}/")

    assert attachment.file.name.endswith(".png")
    assert ".html" not in attachment.file.name
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="pic.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "pic.html" in client.get(f"/tickets/{ticket.pk}/").content.decode()


@pytest.mark.parametrize(
    "name, content, stored, downloaded",
    [
        ("rapor.exe.pdf", PDF, ".pdf", 'attachment; filename="rapor.exe.pdf"'),
        ("rapor", PDF, ".pdf", 'attachment; filename="rapor.pdf"'),
        ("ekran.jpeg", png_bytes(), ".png", 'inline; filename="ekran.png"'),
        ("rapor.PDF.txt", PDF, ".pdf", 'attachment; filename="rapor.PDF.pdf"'),
        ("sunucu.log", b"ok\n", ".log", 'attachment; filename="sunucu.log"'),
        ("liste.CSV", b"a,b\n", ".csv", 'attachment; filename="liste.csv"'),
    ],
)
def test_the_suffix_stored_and_downloaded_is_the_detected_types(
    client, ticket, member, name, content, stored, downloaded
):
    attachment = services.attach(ticket, by=member, files=[upload(name, content)]).saved[0]
    client.force_login(member)

    response = client.get(f"/attachments/{attachment.pk}/")

    assert attachment.original_name == name
    assert attachment.file.name.endswith(stored)
    assert response["Content-Disposition"] == downloaded


def test_a_download_is_never_kept_in_a_cache(client, ticket, member):
    attachment = services.attach(ticket, by=member, files=[upload("rapor.pdf", PDF)]).saved[0]
    client.force_login(member)

    response = client.get(f"/attachments/{attachment.pk}/")

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
