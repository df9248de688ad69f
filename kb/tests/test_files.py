"""Images and files in articles: judged by tickets/uploads.py, read with the article's
visibility."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kb.models import File, Visibility
from tickets.tests.files import png_bytes


def upload_png(client, article, name="plan.png"):
    return client.post(
        f"/kb/{article.slug}/files/",
        {"file": SimpleUploadedFile(name, png_bytes(), content_type="image/png")},
    )


def test_a_writer_uploads_an_image_and_gets_its_markdown(client, responsible, write):
    article = write()
    client.force_login(responsible)
    response = upload_png(client, article)
    stored = File.objects.get()
    assert response["Location"] == f"/kb/{article.slug}/edit/"
    assert (stored.content_type, stored.is_image) == ("image/png", True)
    assert f"![plan](/kb/files/{stored.pk}/)" in client.get(response["Location"]).text


def test_a_file_that_is_not_a_document_is_refused_with_a_message(client, responsible, write):
    article = write()
    client.force_login(responsible)
    fake = SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post(
        f"/kb/{article.slug}/files/", {"file": fake}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "is not an accepted document" in response.text
    assert File.objects.count() == 0


def test_only_writers_upload(client, member, other_responsible, write):
    article = write()
    for user in (member, other_responsible):
        client.force_login(user)
        assert upload_png(client, article).status_code == 404
    assert File.objects.count() == 0


def test_a_file_is_read_with_its_articles_visibility(client, supervisor, member, write):
    public = write(slug="public")
    internal = write(slug="internal", visibility=Visibility.INTERNAL)
    client.force_login(supervisor)
    upload_png(client, public)
    upload_png(client, internal)
    open_file, hidden_file = File.objects.order_by("pk")
    client.logout()
    response = client.get(f"/kb/files/{open_file.pk}/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()
    assert client.get(f"/kb/files/{hidden_file.pk}/").status_code == 404
    client.force_login(member)
    assert client.get(f"/kb/files/{hidden_file.pk}/").status_code == 404
    assert client.get("/kb/files/999999/").status_code == 404


def test_a_store_that_is_down_refuses_the_file_with_a_message(
    client, responsible, write, store_to_stop
):
    article = write()
    server = store_to_stop
    server.stop()
    client.force_login(responsible)

    response = client.post(
        f"/kb/{article.slug}/files/",
        {"file": SimpleUploadedFile("plan.png", png_bytes(), content_type="image/png")},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "could not be stored just now" in response.text
    assert File.objects.count() == 0


def test_a_file_while_the_store_is_down_is_a_503_page(client, responsible, write, store_to_stop):
    article = write()
    server = store_to_stop
    client.force_login(responsible)
    upload_png(client, article)
    stored = File.objects.get()
    server.stop()

    response = client.get(f"/kb/files/{stored.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert "cannot be fetched just now" in response.text
