"""/api/openapi.json is valid OpenAPI 3 and documents every /api route with its schemas."""

import re

from openapi_spec_validator import validate


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_the_document_is_valid_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_api_route_is_documented_with_its_schemas(app, client):
    spec = client.get("/api/openapi.json").get_json()
    paths = spec["paths"]
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        documented = paths.get(openapi_path(rule.rule))
        assert documented is not None, f"{rule.rule} is not in the OpenAPI document"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = documented.get(method.lower())
            assert operation is not None, f"{method} {rule.rule} is not documented"
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, f"{method} {rule.rule} documents no success response"
            for code in success:
                if code != "204":
                    assert "content" in operation["responses"][code], f"{method} {rule.rule} {code}"
            if method in {"POST", "PUT", "PATCH"} and "requestBody" in operation:
                kinds = set(operation["requestBody"]["content"])
                # JSON, or an image itself (a photo)
                assert kinds == {"application/json"} or all(k.startswith("image/") for k in kinds)
            errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
            for code, response in errors.items():
                if "$ref" in response:  # flask-smorest's own 422, a shared response
                    response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
                schema = response["content"]["application/json"]["schema"]["$ref"]
                assert schema == "#/components/schemas/Error", f"{method} {rule.rule} {code}"
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= errors.keys(), f"{method} {rule.rule}"
            if operation.get("security"):
                assert "401" in errors, f"{method} {rule.rule}"
            checked += 1
    assert checked >= 6


def test_errors_are_documented_as_the_envelope(client):
    spec = client.get("/api/openapi.json").get_json()
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body = spec["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"code", "message", "fields"}
