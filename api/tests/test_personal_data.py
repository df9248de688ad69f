"""A person's API tokens are in their privacy export: names, scopes and dates, never
the token, its digest or its prefix."""

import io
import json
import zipfile

from api.models import Scope


def test_my_tokens_are_in_my_personal_data_export_without_their_secret(client, api, member):
    made = api(member, scope=Scope.READ)
    made.token_row.name = "Oda muhasebe programı"
    made.token_row.save()
    client.force_login(member)

    response = client.get("/privacy/export/")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    raw = archive.read("personal-data.json").decode()
    [token] = json.loads(raw)["api_tokens"]
    assert token["name"] == "Oda muhasebe programı"
    assert token["scope"] == "read"
    assert token["expires"] and token["created"] and token["revoked"] is None
    assert made.token not in raw
    assert made.token_row.digest not in raw
    assert made.token_row.prefix not in raw


def test_nobody_elses_tokens_are_in_my_export(client, api, member, responsible):
    api(responsible)
    client.force_login(member)

    response = client.get("/privacy/export/")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("personal-data.json"))["api_tokens"] == []
