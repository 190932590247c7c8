"""Every list and map a request may carry has a maximum size, documented and enforced."""

from sqlalchemy import func, select

from server.domain.plan import MAX_SESSIONS
from server.domain.sync import MAX_BATCH
from server.extensions import db
from server.models import Client
from server.schemas.fields import MAX_ANSWERS
from tests.support.clinics import CLIENTS_URL, NEW


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def uncapped(spec: dict, schema: dict, where: str, seen: set) -> list[str]:
    """Paths inside `schema` to arrays without maxItems and maps without maxProperties."""
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return []
        seen.add(schema["$ref"])
    schema = resolve(spec, schema)
    found = []
    if schema.get("type") == "array":
        if "maxItems" not in schema:
            found.append(where)
        found += uncapped(spec, schema.get("items", {}), f"{where}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        if "maxProperties" not in schema:
            found.append(where)
        found += uncapped(spec, schema["additionalProperties"], f"{where}{{}}", seen)
    for name, field in schema.get("properties", {}).items():
        found += uncapped(spec, field, f"{where}.{name}", seen)
    return found


def test_every_request_body_and_query_caps_its_lists_and_maps(client):
    spec = client.get("/api/openapi.json").get_json()
    problems, checked = [], 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue  # the path's own "parameters"
            schemas = [p["schema"] for p in operation.get("parameters", []) if "schema" in p]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            schemas += [body["schema"]] if body else []
            for schema in schemas:
                checked += 1
                problems += uncapped(spec, schema, f"{method.upper()} {path}", set())
    assert checked > 10  # the walk reached the API's inputs
    assert problems == []


def test_the_walk_finds_an_uncapped_list():
    spec = {"components": {"schemas": {"Body": {"properties": {"ids": {"type": "array"}}}}}}
    body = {"$ref": "#/components/schemas/Body"}
    assert uncapped(spec, body, "POST /x", set()) == ["POST /x.ids"]


def client_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Client.id)))


def test_too_many_sessions_are_refused_before_anything_else_is_looked_at(app, clinician):
    before = client_count(app)
    one = NEW["sessions"][0]
    body = {**NEW, "protocol_id": "no-such-protocol", "sessions": [one] * (MAX_SESSIONS + 1)}
    response = clinician.post(CLIENTS_URL, json=body)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields == {"sessions": [f"A client can have at most {MAX_SESSIONS} sessions."]}
    assert client_count(app) == before


def test_too_many_answers_are_refused(app, clinician, world):
    before = client_count(app)
    answers = {f"question_{n}": "yes" for n in range(MAX_ANSWERS + 1)}
    response = clinician.post(CLIENTS_URL, json={**NEW, "answers": answers})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "answers": [f"At most {MAX_ANSWERS} answers."]
    }
    patch = clinician.patch(f"{CLIENTS_URL}/{world.a.client_id}", json={"answers": answers})
    assert patch.get_json()["error"]["fields"] == {"answers": [f"At most {MAX_ANSWERS} answers."]}
    assert client_count(app) == before


def test_a_sync_batch_over_the_cap_is_refused_whole(client, enrolled):
    events = [{"id": "x"}] * (MAX_BATCH + 1)  # refused before a single event is read
    response = client.post("/api/v1/me/sync", json={"events": events}, headers=enrolled.phone)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "batch_too_large"
