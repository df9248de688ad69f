"""The seed story as an independent client scripts it: real HTTP to a running server,
each answer checked against the OpenAPI schema the server publishes."""

import json
import urllib.error
import urllib.request
import uuid

import pytest
from openapi_schema_validator import OAS30Validator

from api import tokens
from api.models import Scope
from tickets.tests.files import PDF


class Client:
    """A bare HTTP client with a bearer token, checking every answer against the schema."""

    def __init__(self, base, token, schema):
        self.base, self.token, self.schema = base, token, schema

    def call(self, method, path, template, *, data=None, files=None, expect):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        body = None
        if files is not None:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (data or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content, kind) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        url = self.base + path
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our server
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        assert status == expect, (method, path, status, raw[:500])
        payload = json.loads(raw)
        self.check(method.lower(), template, status, payload)
        return payload

    def check(self, method, template, status, payload):
        responses = self.schema["paths"][template][method]["responses"]
        assert str(status) in responses, f"{method} {template} {status} is not in the schema"
        content = responses[str(status)]["content"]["application/json"]["schema"]
        # The schema's components at the root, so that its $refs resolve.
        document = {**content, "components": self.schema["components"]}
        validator = OAS30Validator(document)
        errors = sorted(f"{e.json_path}: {e.message}" for e in validator.iter_errors(payload))
        assert errors == [], (method, template, status, errors)


# serialized_rollback: the ticket kinds that migrations make come back after a flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_seed_story_over_http_matches_the_schema(
    live_server, member, responsible, union_member, other_union_member, other_responsible, capacity
):
    asked = urllib.request.Request(  # noqa: S310 - our own server
        live_server.url + "/api/v1/schema/", headers={"Accept": "application/json"}
    )
    schema = json.loads(urllib.request.urlopen(asked, timeout=30).read())  # noqa: S310

    def client(user, scope=Scope.READ_WRITE):
        _row, token = tokens.create(user, name="bağımsız istemci", days=1, scope=scope)
        return Client(live_server.url, token, schema)

    oda, kapasite, bursa = client(member), client(responsible), client(union_member, Scope.READ)
    birlik, teknik = client(other_union_member), client(other_responsible)
    detail = "/api/v1/tickets/{id}/"

    # oda files a Kapasite Raporu problem with a PDF
    filed = oda.call(
        "POST",
        "/api/v1/tickets/",
        "/api/v1/tickets/",
        data={
            "category": capacity.pk,
            "kind": "problem",
            "priority": "high",
            "subject": "Kapasite raporunda prod kodları eksik",
            "description": "İnegöl'deki raporda kodlar görünmüyor.",
        },
        files={"attachments": ("rapor.pdf", PDF, "application/pdf")},
        expect=201,
    )
    pk = filed["id"]
    assert [d["name"] for d in filed["documents"]] == ["rapor.pdf"]

    # kapasite reads it, replies, resolves
    read = kapasite.call("GET", f"/api/v1/tickets/{pk}/", detail, expect=200)
    assert read["read_at"] is not None
    replied = kapasite.call(
        "POST",
        f"/api/v1/tickets/{pk}/reply/",
        "/api/v1/tickets/{id}/reply/",
        data={"body": "Kodlar eklendi."},
        expect=200,
    )
    assert replied["status"] == "in_progress"
    kapasite.call(
        "POST",
        f"/api/v1/tickets/{pk}/resolve/",
        "/api/v1/tickets/{id}/resolve/",
        data={"explanation": "Raporu yeniden oluşturun."},
        expect=200,
    )

    # oda sees it resolved, with the reply
    seen = oda.call("GET", f"/api/v1/tickets/{pk}/", detail, expect=200)
    assert seen["status"] == "resolved"
    assert [m["note"] for m in seen["messages"]] == ["Kodlar eklendi."]
    # bursa reads it, read-only: its token may not write, and it may take no action
    union_view = bursa.call("GET", f"/api/v1/tickets/{pk}/", detail, expect=200)
    assert union_view["actions"] == []
    listed = bursa.call("GET", "/api/v1/tickets/", "/api/v1/tickets/", expect=200)
    assert [row["id"] for row in listed["results"]] == [pk]
    refused = bursa.call(
        "POST",
        f"/api/v1/tickets/{pk}/reopen/",
        "/api/v1/tickets/{id}/reopen/",
        data={"body": "Biz de görelim"},
        expect=403,
    )
    assert refused["code"] == "read_only_token"

    # birlik and teknik get 404, for reading and for writing
    for outsider in (birlik, teknik):
        missing = outsider.call("GET", f"/api/v1/tickets/{pk}/", detail, expect=404)
        assert missing["code"] == "not_found"
        outsider.call(
            "POST",
            f"/api/v1/tickets/{pk}/reply/",
            "/api/v1/tickets/{id}/reply/",
            data={"body": "?"},
            expect=404,
        )
        assert (
            outsider.call("GET", "/api/v1/tickets/", "/api/v1/tickets/", expect=200)["results"]
            == []
        )
