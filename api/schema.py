"""The token scheme, told to the OpenAPI schema (drf-spectacular)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from the profile page or `create_api_token`.",
        }


def inline_nullable_refs(result, generator, request, public):
    """A nullable reference (`{"allOf": [{"$ref": ...}], "nullable": true}`, as
    drf-spectacular writes an `assignee` that may be null) lets no null through under
    OpenAPI 3.0's own rules, which strict validators apply: write the referenced object
    inline with `nullable` instead, so that an independent client's check agrees."""
    components = result.get("components", {}).get("schemas", {})

    def fix(schema):
        if isinstance(schema, dict):
            refs = schema.get("allOf")
            if schema.get("nullable") and isinstance(refs, list) and len(refs) == 1:
                name = refs[0].get("$ref", "").rsplit("/", 1)[-1]
                if name in components:
                    rest = {k: v for k, v in schema.items() if k != "allOf"}
                    schema.clear()
                    schema.update({**components[name], **rest})
            for value in schema.values():
                fix(value)
        elif isinstance(schema, list):
            for value in schema:
                fix(value)

    fix(result.get("paths", {}))
    fix(components)
    return result
