"""The schema tells what the answers hold: every field it requires is there, and no
answer holds a field it does not name."""

from rest_framework.test import APIClient

from tickets import services
from tickets.models import Ticket
from tickets.tests.files import PDF, upload

TYPES = {"integer": int, "string": str, "boolean": bool, "array": list, "object": dict}


def mismatches(schema, components, value, where="") -> list[str]:
    if value is None and schema.get("nullable"):
        return []
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        return mismatches(schema["allOf"][0], components, value, where)
    if "oneOf" in schema:
        return min((mismatches(s, components, value, where) for s in schema["oneOf"]), key=len)
    if value is None:
        return [] if schema.get("nullable") else [f"{where}: null"]
    kind = schema.get("type")
    if kind in TYPES and not isinstance(value, TYPES[kind]):
        return [f"{where}: {type(value).__name__} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in enum"]
    found = []
    if kind == "array":
        for index, item in enumerate(value):
            found += mismatches(schema.get("items", {}), components, item, f"{where}[{index}]")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        found += [f"{where}.{name}: missing" for name in required if name not in value]
        for name, item in value.items():
            if name not in properties:
                found.append(f"{where}.{name}: not in the schema")
            else:
                found += mismatches(properties[name], components, item, f"{where}.{name}")
    return found


def test_the_answers_match_the_schema(api, member, responsible, capacity):
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]

    def response_schema(path, method, status):
        content = schema["paths"][path][method]["responses"][status]["content"]
        return content["application/json"]["schema"]

    oda = api(member)
    filed = oda.post(
        "/api/v1/tickets/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "subject": "Konu",
            "description": "Açıklama",
            "attachments": [upload("a.pdf", PDF)],
        },
        format="multipart",
    )
    pk = filed.json()["id"]
    ticket = services.reply(
        services.assign(
            services.mark_read(
                Ticket.objects.get(pk=pk),
                by=responsible,
            ),
            by=responsible,
            assignee=responsible,
        ),
        by=responsible,
        body="Yanıt",
    ).ticket
    checks = [
        (filed.json(), response_schema("/api/v1/tickets/", "post", "201")),
        (
            oda.get(f"/api/v1/tickets/{ticket.pk}/").json(),
            response_schema("/api/v1/tickets/{id}/", "get", "200"),
        ),
        (oda.get("/api/v1/tickets/").json(), response_schema("/api/v1/tickets/", "get", "200")),
        (oda.get("/api/v1/me/").json(), response_schema("/api/v1/me/", "get", "200")),
        (
            oda.get("/api/v1/categories/").json(),
            response_schema("/api/v1/categories/", "get", "200"),
        ),
        (oda.get("/api/v1/kinds/").json(), response_schema("/api/v1/kinds/", "get", "200")),
        (
            oda.get("/api/v1/organisations/").json(),
            response_schema("/api/v1/organisations/", "get", "200"),
        ),
    ]

    assert [mismatches(s, components, answer) for answer, s in checks] == [[]] * len(checks)
