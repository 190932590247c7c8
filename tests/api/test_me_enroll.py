"""Enrollment, the client's profile and plan, protocol bundles: the device-facing reads."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Device, EnrollmentCode
from server.phone.devices import hash_token
from server.phone.enrollment import hash_code


def test_enrolling_gives_a_token_that_opens_the_plan(client, enrolled):
    response = client.post("/api/v1/enroll", json={"code": enrolled.code, "label": "Sam's phone"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["client"]["name"] == "Sam" and body["client"]["clinic"] == "Clinic A"
    token = body["token"]
    plan = client.get("/api/v1/me/plan", headers={"Authorization": f"Bearer {token}"})
    assert plan.status_code == 200
    assert plan.get_json()["protocol_id"] == "scalp-nation"


def test_the_token_and_code_are_stored_only_as_hashes(app, client, enrolled):
    token = client.post("/api/v1/enroll", json={"code": enrolled.code}).get_json()["token"]
    with app.app_context():
        device = db.session.scalar(select(Device).where(Device.label.is_(None)))
        assert device.token_hash == hash_token(token) and token not in device.token_hash
        assert db.session.scalar(select(EnrollmentCode.code_hash)) == hash_code(enrolled.code)


@pytest.mark.parametrize("case", ["unknown", "used", "expired"])
def test_a_bad_code_gets_one_error_that_does_not_say_why(app, client, enrolled, case):
    code = enrolled.code
    if case == "unknown":
        code = "x" * 32
    elif case == "used":
        assert client.post("/api/v1/enroll", json={"code": code}).status_code == 201
    else:
        with app.app_context():
            row = db.session.scalar(select(EnrollmentCode))
            row.expires_at = row.created_at - timedelta(seconds=1)
            db.session.commit()
    with app.app_context():
        devices_before = db.session.query(Device).count()
    response = client.post("/api/v1/enroll", json={"code": code})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_enrollment_code"
    assert "used already or expired" in error["message"]
    with app.app_context():
        assert db.session.query(Device).count() == devices_before


def test_enroll_validates_its_body(client):
    response = client.post("/api/v1/enroll", json={"code": ""})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"code": ["Length must be between 1 and 200."]}
    response = client.post("/api/v1/enroll", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "malformed_request",
        "message": "The body is not valid JSON.",
    }


def test_me_describes_the_client(client, enrolled):
    body = client.get("/api/v1/me", headers=enrolled.phone).get_json()
    assert body == {
        "id": enrolled.client_id,
        "name": "Sam",
        "clinic": "Clinic A",
        "clinic_phone": None,
        "timezone": "Europe/London",
        "wake": "07:00",
        "bed": "23:00",
        "protocol_id": "scalp-nation",
        "language": None,
        "answers": {"hair_length": "shaved"},
        "deletion_requested_at": None,
    }


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "bearer  "]
)
def test_me_refuses_without_a_valid_token(client, enrolled, header):
    headers = {"Authorization": header} if header else {}
    for path in ("/api/v1/me", "/api/v1/me/plan"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/me/sync", json={}, headers=headers).status_code == 401


def test_a_revoked_device_is_signed_out(app, client, enrolled, now):
    with app.app_context():
        for device in db.session.scalars(select(Device).where(Device.label == "phone")):
            device.revoked_at = now
        db.session.commit()
    assert client.get("/api/v1/me/plan", headers=enrolled.phone).status_code == 401
    assert client.get("/api/v1/me/plan", headers=enrolled.tablet).status_code == 200


def test_the_plan_has_an_etag_and_answers_304_when_unchanged(client, enrolled):
    first = client.get("/api/v1/me/plan", headers=enrolled.phone)
    etag = first.headers["ETag"]
    assert etag.strip('"') == first.get_json()["version"]
    assert (
        "no-cache" in first.headers["Cache-Control"] and "private" in first.headers["Cache-Control"]
    )
    again = client.get("/api/v1/me/plan", headers={**enrolled.phone, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/me/plan", headers={**enrolled.phone, "If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_the_plan_lists_sessions_occurrences_and_restrictions(client, enrolled):
    plan = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()
    assert [s["final"] for s in plan["sessions"]] == [False, True]
    cleanse = [o for o in plan["occurrences"] if o["task"] == "cleanse"]
    balm = [o for o in plan["occurrences"] if o["task"] == "balm"]
    assert len(cleanse) == len(balm) > 0
    assert {b["follows"] for b in balm} <= {c["id"] for c in cleanse}
    assert "no-shaving" in {r["id"] for r in plan["restrictions"]}
    assert plan["sessions"][0]["start"].endswith("+00:00")  # London in March, before DST


def test_protocols_are_listed_and_served_with_etags(client):
    listing = client.get("/api/v1/protocols")
    ids = [p["id"] for p in listing.get_json()["protocols"]]
    assert ids == ["scalp-nation", "seven-derma", "smp-faq", "smp-layering"]
    assert (
        client.get(
            "/api/v1/protocols", headers={"If-None-Match": listing.headers["ETag"]}
        ).status_code
        == 304
    )
    bundle = client.get("/api/v1/protocols/scalp-nation")
    assert bundle.headers["ETag"].strip('"') == bundle.get_json()["bundle_version"]
    not_modified = client.get(
        "/api/v1/protocols/scalp-nation", headers={"If-None-Match": bundle.headers["ETag"]}
    )
    assert not_modified.status_code == 304
    assert client.get("/api/v1/protocols/nope").get_json()["error"]["code"] == "not_found"


def test_an_older_bundle_version_stays_available_for_plans_built_from_it(client, enrolled):
    plan = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()
    version = plan["bundle_version"]
    pinned = client.get(f"/api/v1/protocols/scalp-nation?version={version}")
    assert pinned.status_code == 200 and pinned.get_json()["bundle_version"] == version
    assert client.get("/api/v1/protocols/smp-faq?version=" + version).status_code == 404
    assert client.get("/api/v1/protocols/scalp-nation?version=zzz").status_code == 422


def test_every_api_error_uses_the_envelope(client, enrolled):
    not_found = client.get("/api/v1/nowhere")
    assert not_found.status_code == 404 and not_found.get_json()["error"]["code"] == "not_found"
    wrong_method = client.delete("/api/v1/me/plan", headers=enrolled.phone)
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    too_big = client.post(
        "/api/v1/enroll", data="x" * (2 * 1024 * 1024), content_type="application/json"
    )
    assert too_big.status_code == 413 and too_big.get_json()["error"]["code"] == "too_large"


def test_a_crash_is_a_500_in_the_envelope_and_changes_nothing(app, client, enrolled, monkeypatch):
    import server.api.me as me

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(me, "sync", explode)
    response = client.post("/api/v1/me/sync", json={"events": []}, headers=enrolled.phone)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"
    assert "boom" not in response.get_data(as_text=True)


def test_moving_the_waking_day_rebuilds_the_plan_and_keeps_ids(client, enrolled):
    before = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()
    response = client.put(
        "/api/v1/me/settings", json={"wake": "09:00", "bed": "01:00"}, headers=enrolled.phone
    )
    assert response.status_code == 200
    assert (response.get_json()["wake"], response.get_json()["bed"]) == ("09:00", "01:00")
    after = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()
    assert after["version"] != before["version"]
    times = lambda plan: {  # noqa: E731
        o["id"]: datetime.fromisoformat(o["at"])
        for o in plan["occurrences"]
        if o["slot"] != "moment"
    }
    shared = times(before).keys() & times(after).keys()
    assert len(shared) >= 0.8 * len(times(before))  # partial days may place slots differently
    assert all(times(after)[key] >= times(before)[key] for key in shared)
    assert sum(times(after)[key] > times(before)[key] for key in shared) >= 0.8 * len(shared)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"wake": "7am", "bed": "23:00"}, "wake"),
        ({"wake": "07:00", "bed": "24:00"}, "bed"),
        ({"wake": "07:00"}, "bed"),
        ({"wake": "09:00", "bed": "12:00"}, "bed"),  # a three-hour day
    ],
)
def test_bad_settings_are_refused_and_change_nothing(client, enrolled, body, field):
    before = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()["version"]
    response = client.put("/api/v1/me/settings", json=body, headers=enrolled.phone)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()["version"] == before


def test_signing_out_revokes_only_this_device(client, enrolled):
    response = client.delete("/api/v1/me/device", headers=enrolled.phone)
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=enrolled.phone).status_code == 401
    assert client.get("/api/v1/me", headers=enrolled.tablet).status_code == 200
