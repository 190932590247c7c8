"""Adding clients, enrollment links and revoking devices, from the clinic's side."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.domain.slots import SHORT_DAY
from server.extensions import db
from server.models import AuditEntry, Client, EnrollmentCode
from tests.support.clinics import CLIENTS_URL, NEW


def client_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Client.id)))


def last_audit(app):
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        return entry.action, entry.client_id, entry.detail


def test_adding_a_client_builds_a_plan_and_gives_an_enrollment_link(app, client, clinician, now):
    response = clinician.post(CLIENTS_URL, json=NEW)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["name"], body["contact"], body["timezone"]) == (
        "Ann Lee",
        "+44 7700 900123",
        "America/New_York",
    )
    assert (body["wake"], body["bed"]) == ("06:30", "22:00")
    # Left for the client to answer in the app; the plan uses the default meanwhile.
    assert body["answers"] == {} and body["unanswered"] == ["hair_length"]
    assert body["plan"]["answers"] == {"hair_length": "shaved"}
    assert [(s["number"], s["start"], s["final"]) for s in body["sessions"]] == [
        (1, "2026-03-25T10:00:00-04:00", False),
        (2, "2026-04-08T10:00:00-04:00", True),
    ]
    assert body["protocol"]["id"] == "scalp-nation" and body["protocol"]["title"]
    assert len(body["plan"]["version"]) == 16 and body["plan"]["built_at"] == now.isoformat()
    assert body["devices"] == [] and body["events"] == []
    enrollment = body["enrollment"]
    assert enrollment["url"] == f"https://aftercue.test/enroll#{enrollment['code']}"
    assert enrollment["expires_at"] == (now + timedelta(days=7)).isoformat()
    # The link works on the client's phone, and the phone gets the same plan.
    enrolled = client.post("/api/v1/enroll", json={"code": enrollment["code"]})
    assert enrolled.status_code == 201
    token = enrolled.get_json()["token"]
    plan = client.get("/api/v1/me/plan", headers={"Authorization": f"Bearer {token}"})
    assert plan.get_json()["version"] == body["plan"]["version"]
    assert last_audit(app) == (
        "client.create",
        body["id"],
        {"protocol_id": "scalp-nation", "sessions": 2},
    )


def test_a_minimal_client_gets_the_default_day_and_no_sessions(clinician):
    body = {"name": "Bo", "timezone": "Europe/Paris", "protocol_id": "smp-faq"}
    created = clinician.post(CLIENTS_URL, json=body).get_json()
    assert (created["wake"], created["bed"], created["contact"]) == ("07:00", "23:00", None)
    assert created["sessions"] == []
    assert [w["code"] for w in created["plan"]["warnings"]] == ["no_sessions"]


def test_the_enrollment_code_is_not_kept_or_audited_in_plain_text(app, clinician):
    body = clinician.post(CLIENTS_URL, json=NEW).get_json()
    code = body["enrollment"]["code"]
    with app.app_context():
        assert db.session.scalar(select(func.count(EnrollmentCode.id))) == 1
        assert db.session.scalar(select(EnrollmentCode.code_hash)) != code
        details = repr(db.session.scalars(select(AuditEntry.detail)).all())
    assert code not in details


def field_errors(response):
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields"
    return error["fields"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"protocol_id": "no-such-protocol"}, {"protocol_id": ["No such protocol."]}),
        (
            {"timezone": "Mars/Olympus_Mons"},
            {"timezone": ["Not an IANA time zone name, such as Europe/London."]},
        ),
        ({"answers": {"hair_length": "purple"}}, "answers"),
        ({"answers": {"favourite_colour": "blue"}}, "answers"),
        ({"name": "Ann\x07"}, {"name": ["Must not contain control characters."]}),
        ({"name": "Ann\u202eeeL"}, {"name": ["Must not contain control characters."]}),
        ({"contact": "line one\nline two"}, {"contact": ["Must not contain control characters."]}),
        ({"name": "   "}, {"name": ["Length must be between 1 and 200."]}),
        ({"name": "x" * 201}, {"name": ["Length must be between 1 and 200."]}),
        ({"wake": "7:00"}, {"wake": ['Use a 24-hour "HH:MM" time, such as 07:30.']}),
        ({"bed": "24:00"}, {"bed": ['Use a 24-hour "HH:MM" time, such as 07:30.']}),
        (
            {"wake": "08:00", "bed": "12:00"},
            {"bed": [SHORT_DAY]},
        ),
        (
            {"sessions": [{"start": "2026-03-25T14:00:00", "end": "2026-03-25T18:00:00Z"}]},
            {"sessions": {"0": {"start": ["Not a valid aware datetime."]}}},
        ),
        (
            {"sessions": [{"start": "2026-03-25T14:00:00Z", "end": "2026-03-25T13:00:00Z"}]},
            {"sessions": {"0": {"end": ["Must be after start."]}}},
        ),
        (
            {"sessions": [{"start": "2026-03-25T14:00:00Z", "end": "2026-03-27T14:00:00Z"}]},
            {"sessions": {"0": {"end": ["A session lasts at most 24 hours."]}}},
        ),
        (
            {"sessions": [{"start": "2206-03-25T14:00:00Z", "end": "2206-03-25T18:00:00Z"}]},
            "sessions",
        ),
        (
            {"sessions": [{"start": "next tuesday", "end": "2026-03-25T18:00:00Z"}]},
            {"sessions": {"0": {"start": ["Not a valid datetime."]}}},
        ),
        (
            {
                "sessions": [
                    {"start": f"2026-04-{d:02}T10:00:00Z", "end": f"2026-04-{d:02}T12:00:00Z"}
                    for d in range(1, 14)
                ]
            },
            {"sessions": ["A client can have at most 12 sessions."]},
        ),
        ({"shoe_size": 9}, {"shoe_size": ["Unknown field."]}),
        ({"name": None}, {"name": ["Field may not be null."]}),
    ],
)
def test_a_new_client_is_validated_and_nothing_is_stored_on_error(app, clinician, change, expected):
    before = client_count(app)
    fields = field_errors(clinician.post(CLIENTS_URL, json={**NEW, **change}))
    if isinstance(expected, str):
        assert list(fields) == [expected]
    else:
        assert fields == expected
    assert client_count(app) == before


@pytest.mark.parametrize("missing", ["name", "timezone", "protocol_id"])
def test_a_new_client_needs_name_timezone_and_protocol(clinician, missing):
    body = {key: value for key, value in NEW.items() if key != missing}
    assert field_errors(clinician.post(CLIENTS_URL, json=body)) == {
        missing: ["Missing data for required field."]
    }


def test_a_new_enrollment_link_works_once(app, client, world, clinician, now):
    url = f"{CLIENTS_URL}/{world.a.client_id}/enrollment-codes"
    response = clinician.post(url)
    assert response.status_code == 201
    link = response.get_json()
    assert link["url"].endswith("#" + link["code"])
    assert link["expires_at"] == (now + timedelta(days=7)).isoformat()
    assert client.post("/api/v1/enroll", json={"code": link["code"]}).status_code == 201
    assert client.post("/api/v1/enroll", json={"code": link["code"]}).status_code == 400
    action, client_id, detail = last_audit(app)
    assert (action, client_id, detail) == (
        "enrollment_code.issue",
        world.a.client_id,
        {"expires_at": link["expires_at"]},
    )


def test_revoking_a_device_signs_it_out(app, client, world, clinician, now):
    assert client.get("/api/v1/me", headers=world.a.phone).status_code == 200
    url = f"{CLIENTS_URL}/{world.a.client_id}/devices/{world.a.device_id}/revoke"
    response = clinician.post(url)
    assert response.status_code == 200
    assert response.get_json()["revoked_at"] == now.isoformat()
    assert client.get("/api/v1/me", headers=world.a.phone).status_code == 401
    assert last_audit(app) == ("device.revoke", world.a.client_id, {"device_id": world.a.device_id})
    # Revoking again changes nothing and is not audited twice.
    again = clinician.post(url)
    assert again.status_code == 200 and again.get_json()["revoked_at"] == now.isoformat()
    with app.app_context():
        revokes = select(func.count()).where(AuditEntry.action == "device.revoke")
        assert db.session.scalar(revokes) == 1
    record = clinician.get(f"{CLIENTS_URL}/{world.a.client_id}").get_json()
    assert record["devices"][0]["revoked_at"] == now.isoformat()


def test_devices_are_found_only_under_their_own_client(app, client, world, clinician, now):
    other_client = clinician.post(CLIENTS_URL, json=NEW).get_json()["id"]
    for url in (
        f"{CLIENTS_URL}/{other_client}/devices/{world.a.device_id}/revoke",
        f"{CLIENTS_URL}/{world.a.client_id}/devices/{world.b.device_id}/revoke",
        f"{CLIENTS_URL}/{world.a.client_id}/devices/999999/revoke",
        f"{CLIENTS_URL}/{world.a.client_id}/devices/99999999999999/revoke",
    ):
        response = clinician.post(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/me", headers=world.a.phone).status_code == 200
    assert client.get("/api/v1/me", headers=world.b.phone).status_code == 200
