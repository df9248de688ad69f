"""Under /api/ every answer is JSON, errors included, in the request's language."""

import json

import pytest
from rest_framework.test import APIClient

from tickets.models import Ticket


def test_an_unknown_path_under_the_api_is_a_json_404(api, member):
    response = api(member).get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Bulunamadı."}


def test_a_path_outside_the_api_keeps_its_html_404(client, member):
    client.force_login(member)

    response = client.get("/tickets/999999/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_message_is_in_the_requests_language(api, member):
    client = api(member)

    english = client.get("/api/v1/tickets/999999/", HTTP_ACCEPT_LANGUAGE="en")
    russian = client.get("/api/v1/tickets/999999/", HTTP_ACCEPT_LANGUAGE="ru")

    assert english.json() == {"code": "not_found", "message": "Not found."}
    assert russian.json()["code"] == "not_found"
    assert "най" in russian.json()["message"]


def test_malformed_json_is_a_400_and_files_nothing(api, member):
    response = api(member).generic(
        "POST", "/api/v1/tickets/", '{"subject": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not Ticket.objects.exists()


def test_validation_errors_are_told_per_field(api, member, capacity):
    response = api(member).post(
        "/api/v1/tickets/",
        {"category": 999999, "kind": "problem", "priority": "urgent", "subject": ["a", "b"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"category", "priority", "subject", "description"}
    assert body["fields"]["description"] == [
        {"code": "required", "message": "This field is required."}
    ]
    assert body["fields"]["category"][0]["code"] == "does_not_exist"
    assert not Ticket.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(api, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api(member).post(
        "/api/v1/tickets/",
        json.dumps({"description": "x" * 2000}),
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_wrong_method_is_json(api, member):
    response = api(member).delete("/api/v1/tickets/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_too_many_requests_are_429_with_retry_after(api, member, settings):
    settings.HELPDESK_API_RATE = "3/minute"
    client, other = api(member), api(member)

    answers = [client.get("/api/v1/me/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/me/")
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    # counted per token: another token of the same user still answers
    assert other.get("/api/v1/me/").status_code == 200


def test_a_session_may_read_and_must_send_the_csrf_token_to_write(member, ticket):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    refused = client.post(f"/api/v1/tickets/{ticket.pk}/reply/", {"body": "CSRF yok"})

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert ticket.events.count() == 1


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_the_schema_and_its_documentation_answer_without_a_token(url):
    response = APIClient().get(url)

    assert response.status_code == 200


def test_the_schema_is_openapi_3_and_names_the_bearer_scheme():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    assert "/api/v1/tickets/{id}/resolve/" in schema["paths"]


def test_the_documentation_page_loads_only_the_sites_own_scripts():
    page = APIClient().get("/api/v1/docs/")
    html = page.content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    script = APIClient().get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "schema" in script.content.decode()


def test_the_count_is_kept_in_redis_which_every_web_process_shares(api, member, settings):
    """With REDIS_URL set the cache is Redis: a second process would read the same count."""
    import os
    import uuid

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.HELPDESK_API_RATE = "2/minute"
    client = api(member)

    answers = [client.get("/api/v1/me/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    server = redis.Redis.from_url(url)
    keys = server.keys(f"{prefix}:*")
    assert [key.decode().endswith(f"throttle_api_token-{client.token_row.pk}") for key in keys] == [
        True
    ]
    server.delete(*keys)


def test_a_store_that_is_down_is_a_503_and_files_nothing(api, member, capacity, store_to_stop):
    from tickets.models import Ticket
    from tickets.tests.files import PDF, upload

    server = store_to_stop
    server.stop()

    response = api(member).post(
        "/api/v1/tickets/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "high",
            "subject": "Rapor",
            "description": "Ekte.",
            "attachments": [upload("rapor.pdf", PDF)],
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 503
    assert response.json()["code"] == "store_unavailable"
    assert "could not be stored" in response.json()["message"]
    assert not Ticket.objects.exists()


def test_a_body_that_is_not_an_object_with_a_key_is_a_400(api, member):
    response = api(member).post("/api/v1/tickets/", [], format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_document_while_the_store_is_down_is_a_503_in_json(
    api, member, capacity, store_to_stop, file
):
    from tickets.models import Attachment
    from tickets.tests.files import PDF, upload

    server = store_to_stop
    file(files=[upload("rapor.pdf", PDF)])
    document = Attachment.objects.get()
    server.stop()

    response = api(member).get(f"/api/v1/attachments/{document.pk}/")

    assert response.status_code == 503
    assert response.json()["code"] == "store_unavailable"
