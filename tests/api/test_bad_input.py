"""Bad input to every JSON body the API reads: a clear error in the envelope, nothing stored.

The text fields are read from /api/openapi.json, so a field added later is covered too; the
table of valid bodies (BODIES) must name every operation that has a body.
"""

import json
import uuid
from datetime import timedelta

import pytest

from server.domain.sync import encode_cursor
from tests.support.bodies import bodies
from tests.support.hostile import CONTROLS, MARKUP
from tests.support.phones import KEYS
from tests.support.stored import snapshot

BAD_ZONES = ["Mars/Olympus", "", "../../etc/passwd", MARKUP[1]]
BAD_TIMES = ["2026-02-30T10:00:00+00:00", "0000-01-01T10:00:00+00:00", "2026-04-01T10:00:00"]
# Compared with a hash, never stored or shown: a password may hold any character.
ANY_CHARACTER = {("POST /api/v1/clinic/session", ("password",)): 401}


def spec_of(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def body_schema(spec, method: str, path: str) -> dict:
    content = spec["paths"][path][method.lower()]["requestBody"]["content"]
    return resolve(spec, content["application/json"]["schema"])


def resolve(spec, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def text_fields(spec, schema: dict, prefix=()):
    """Paths to every string the body schema holds: ("events", 0, "occurrence"), ..."""
    for name, prop in resolve(spec, schema).get("properties", {}).items():
        prop = resolve(spec, prop)
        if prop.get("readOnly"):
            continue
        kind = prop.get("type")
        if kind == "string":
            yield (*prefix, name)
        elif kind == "array" and resolve(spec, prop["items"]).get("type") == "object":
            yield from text_fields(spec, prop["items"], (*prefix, name, 0))
        elif kind == "object" and "properties" in prop:
            yield from text_fields(spec, prop, (*prefix, name))
        elif kind == "object" and prop.get("additionalProperties", {}).get("type") == "string":
            yield (*prefix, name, "*value")
            yield (*prefix, name, "*key")


def with_value(body: dict, path: tuple, value) -> dict:
    """A deep copy of `body` with the field at `path` set to `value`."""
    body = json.loads(json.dumps(body))
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if last in ("*value", "*key"):
        key = next(iter(parent))
        if last == "*value":
            parent[key] = value
        else:
            parent[value] = parent.pop(key)
    else:
        parent[last] = value
    return body


@pytest.fixture
def call(app, world, browser, clinician):
    """Send a request as "anyone", "browser" (no one signed in), "phone" or "clinician"."""
    anonymous = browser()
    anonymous.refresh_token()
    callers = {"anyone": anonymous, "browser": anonymous, "clinician": clinician}

    def send(who, method, path, **kwargs):
        if who == "phone":
            return app.test_client().open(path, method=method, headers=world.a.phone, **kwargs)
        return callers[who].open(method, path, **kwargs)

    return send


def refused(app, call, who, method, path, status, code, **kwargs):
    """Send the request; assert the error's status and code and that nothing was stored."""
    before = snapshot(app)
    response = call(who, method, path, **kwargs)
    assert response.status_code == status, (path, kwargs, response.get_data(as_text=True))
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert snapshot(app) == before, "nothing is stored"
    return error


def test_the_table_has_a_body_for_every_operation_that_reads_one(client, world, now):
    spec = spec_of(client)
    with_body = {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    assert with_body == set(bodies(world, now))  # an image body: tests/api/test_photos.py


def test_every_text_field_refuses_control_characters(app, client, world, now, call):
    spec = spec_of(client)
    checked = 0
    for operation, (who, path, body) in bodies(world, now).items():
        method, template = operation.split(" ")
        for field in text_fields(spec, body_schema(spec, method, template)):
            for control in CONTROLS:
                value = f"A{control}b"
                status = ANY_CHARACTER.get((operation, field), 422)
                kwargs = {"json": with_value(body, field, value)}
                error = refused(app, call, who, method, path, status, _code(status), **kwargs)
                if status == 422:
                    assert field[0] in error["fields"], (operation, field, error)
                checked += 1
    assert checked >= 25 * len(CONTROLS)


def _code(status: int) -> str:
    return {422: "invalid_fields", 401: "invalid_login"}[status]


def test_every_body_refuses_bad_json_wrong_types_huge_strings_and_oversize(
    app, client, world, now, call
):
    spec = spec_of(client)
    for operation, (who, path, body) in bodies(world, now).items():
        method, template = operation.split(" ")
        refused(app, call, who, method, path, 413, "too_large", data="[" + " " * 2**20 + "]",
                content_type="application/json")  # fmt: skip
        # Broken; nested past what the reader can follow; an integer of 5,000 digits.
        for broken in (
            '{"name": ',
            "{'a': 1}",
            "\x00",
            "[1, 2",
            "[" * 5000 + "]" * 5000,
            "9" * 5000,
        ):
            refused(app, call, who, method, path, 400, "malformed_request", data=broken,
                    content_type="application/json")  # fmt: skip
        refused(app, call, who, method, path, 422, "invalid_fields", json=[body])
        schema = body_schema(spec, method, template)
        for name, prop in schema["properties"].items():
            if name not in body:
                continue
            wrong = {"string": 12345, "boolean": "maybe", "array": "many", "object": ["a"]}
            value = wrong.get(resolve(spec, prop).get("type"), {"nested": True})
            for bad in (value, "x" * 100_000):
                if bad == body[name] or (name == "password" and isinstance(bad, str)):
                    continue
                error = refused(app, call, who, method, path, 422, "invalid_fields",
                                json={**body, name: bad})  # fmt: skip
                assert name in error["fields"], (operation, name, error)


@pytest.mark.parametrize("zone", BAD_ZONES)
def test_a_time_zone_that_is_not_one_is_refused(app, world, now, call, zone):
    table = bodies(world, now)
    for operation in (
        "POST /api/v1/clinic/clients",
        "PATCH /api/v1/clinic/clients/{client_id}",
        "POST /api/v1/me/sync",
    ):
        who, path, body = table[operation]
        error = refused(app, call, who, operation.split(" ")[0], path, 422, "invalid_fields",
                        json={**body, "timezone": zone})  # fmt: skip
        assert list(error["fields"]) == ["timezone"]


@pytest.mark.parametrize("moment", BAD_TIMES)
def test_a_date_that_does_not_exist_or_has_no_offset_is_refused(app, world, now, call, moment):
    table = bodies(world, now)
    times = {"start": moment, "end": (now + timedelta(days=30)).isoformat()}
    for operation in (
        "POST /api/v1/clinic/clients/{client_id}/sessions",
        "PATCH /api/v1/clinic/clients/{client_id}/sessions/{session_id}",
    ):
        who, path, _ = table[operation]
        error = refused(app, call, who, operation.split(" ")[0], path, 422, "invalid_fields",
                        json=times)  # fmt: skip
        assert "start" in error["fields"]
    who, path, body = table["POST /api/v1/clinic/clients"]
    error = refused(app, call, who, "POST", path, 422, "invalid_fields",
                    json={**body, "sessions": [times]})  # fmt: skip
    assert "sessions" in error["fields"]
    who, path, body = table["POST /api/v1/me/sync"]
    event = {**body["events"][0], "at": moment}
    error = refused(app, call, who, "POST", path, 422, "invalid_fields",
                    json={**body, "events": [event]})  # fmt: skip
    assert "events" in error["fields"]


@pytest.mark.parametrize(
    "protocol", ["no-such-protocol", "../scalp-nation", MARKUP[0], "SCALP-NATION"]
)
def test_an_unknown_protocol_is_refused(app, world, now, call, protocol):
    who, path, body = bodies(world, now)["POST /api/v1/clinic/clients"]
    error = refused(app, call, who, "POST", path, 422, "invalid_fields",
                    json={**body, "protocol_id": protocol})  # fmt: skip
    assert list(error["fields"]) == ["protocol_id"]
    refused(app, call, "anyone", "GET", f"/api/v1/protocols/{protocol}", 404, "not_found")


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_a_name_is_kept_as_text(app, world, now, call, markup):
    """A name may hold < and >: it is stored as typed, and escaped wherever it is shown."""
    who, path, body = bodies(world, now)["POST /api/v1/clinic/clients"]
    created = call(who, "POST", path, json={**body, "name": markup, "contact": markup})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["name"] == markup and created.get_json()["contact"] == markup
    assert created.headers["Content-Type"] == "application/json"


def test_text_with_a_lone_surrogate_is_refused_everywhere(app, client, world, now, call):
    # JSON can spell half a character ("\ud800"); no text can hold one (it cannot be stored,
    # hashed or logged), a password included.
    spec = spec_of(client)
    for operation, (who, path, body) in bodies(world, now).items():
        method, template = operation.split(" ")
        schema = body_schema(spec, method, template)
        for name, prop in schema["properties"].items():
            if name in body and resolve(spec, prop).get("type") == "string":
                spelled = json.dumps({**body, name: "a\ud800b"})  # escaped: "\\ud800"
                error = refused(app, call, who, method, path, 422, "invalid_fields",
                                data=spelled, content_type="application/json")  # fmt: skip
                assert name in error["fields"], (operation, name)


@pytest.mark.parametrize("at", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_a_device_time_that_does_not_exist_in_utc_is_refused(app, world, now, call, at):
    event = {"id": str(uuid.uuid4()), "occurrence": "x1", "action": "done", "at": at}
    error = refused(app, call, "phone", "POST", "/api/v1/me/sync", 422, "invalid_fields",
                    json={"events": [event]})  # fmt: skip
    assert error["fields"] == {"events": {"0": {"at": ["Not a time that can be stored."]}}}


@pytest.mark.parametrize("start", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_a_session_that_does_not_exist_in_utc_is_refused(app, world, now, call, start):
    path = f"/api/v1/clinic/clients/{world.a.client_id}/sessions"
    error = refused(app, call, "clinician", "POST", path, 422, "invalid_fields",
                    json={"start": start, "end": start})  # fmt: skip
    assert "start" in error["fields"]


def test_a_cursor_beyond_any_sequence_number_is_refused(app, world, call):
    for number in (2**31, 10**20):
        error = refused(app, call, "phone", "POST", "/api/v1/me/sync", 422, "invalid_fields",
                        json={"cursor": encode_cursor(number)})  # fmt: skip
        assert "cursor" in error["fields"]


@pytest.mark.parametrize(
    "endpoint",
    ["https://a..push.apple.com/x", "https://" + "a" * 64 + ".push.apple.com/x"],
)
def test_a_push_endpoint_whose_host_is_no_name_is_refused(app, world, call, endpoint):
    body = {"endpoint": endpoint, "keys": KEYS}
    error = refused(app, call, "phone", "POST", "/api/v1/me/push-subscriptions", 422,
                    "invalid_fields", json=body)  # fmt: skip
    assert error["fields"] == {"endpoint": ["The endpoint's host is not a valid name."]}
