"""Enrollment links the clinic can see and cancel; and what a link's client is, asked first."""

from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry
from tests.support.clinics import CLIENTS_URL


def links_of(clinician, client_id) -> list[dict]:
    return clinician.get(f"{CLIENTS_URL}/{client_id}").get_json()["enrollment_links"]


def new_link(clinician, client_id) -> dict:
    response = clinician.post(f"{CLIENTS_URL}/{client_id}/enrollment-codes")
    assert response.status_code == 201
    return response.get_json()


def enroll(client, code):
    return client.post("/api/v1/enroll", json={"code": code})


def audited(app, action) -> list[dict]:
    with app.app_context():
        return [
            entry.detail
            for entry in db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        ]


def test_the_record_lists_the_link_that_still_works_and_who_issued_it(clinician, world, now):
    assert links_of(clinician, world.a.client_id) == []
    link = new_link(clinician, world.a.client_id)
    [listed] = links_of(clinician, world.a.client_id)
    assert listed["created_at"] == now.isoformat()
    assert listed["expires_at"] == link["expires_at"]
    assert listed["issued_by"] == "clinician of Clinic A"
    assert "code" not in listed  # the code is shown once, when issued


def test_a_new_link_stops_the_older_unused_one(client, clinician, world):
    first = new_link(clinician, world.a.client_id)
    second = new_link(clinician, world.a.client_id)
    assert len(links_of(clinician, world.a.client_id)) == 1
    assert enroll(client, first["code"]).status_code == 400
    assert enroll(client, second["code"]).status_code == 201
    assert links_of(clinician, world.a.client_id) == []


def test_cancelling_stops_the_unused_link_and_is_audited(app, client, clinician, world):
    link = new_link(clinician, world.a.client_id)
    url = f"{CLIENTS_URL}/{world.a.client_id}/enrollment-codes/cancel"
    assert clinician.post(url).get_json() == {"cancelled": 1}
    assert clinician.post(url).get_json() == {"cancelled": 0}
    assert enroll(client, link["code"]).status_code == 400
    assert links_of(clinician, world.a.client_id) == []
    assert audited(app, "enrollment_code.cancel") == [{"links": 1}]


def test_revoking_a_phone_can_cancel_the_unused_link_too(app, client, clinician, world):
    link = new_link(clinician, world.a.client_id)
    devices = f"{CLIENTS_URL}/{world.a.client_id}/devices/{world.a.device_id}/revoke"
    assert clinician.post(devices, json={"cancel_links": True}).status_code == 200
    assert client.get("/api/v1/me", headers=world.a.phone).status_code == 401
    assert enroll(client, link["code"]).status_code == 400
    assert audited(app, "device.revoke") == [{"device_id": world.a.device_id}]
    assert audited(app, "enrollment_code.cancel") == [{"links": 1}]


def test_revoking_a_phone_leaves_the_link_unless_asked(client, clinician, world):
    link = new_link(clinician, world.a.client_id)
    devices = f"{CLIENTS_URL}/{world.a.client_id}/devices/{world.a.device_id}/revoke"
    assert clinician.post(devices).status_code == 200
    assert enroll(client, link["code"]).status_code == 201


def test_a_preview_names_the_link_s_client_and_leaves_the_code_usable(client, clinician, world):
    link = new_link(clinician, world.a.client_id)
    response = client.post("/api/v1/enroll/preview", json={"code": link["code"]})
    assert response.status_code == 200
    previewed = response.get_json()["client"]
    assert (previewed["id"], previewed["name"], previewed["clinic"]) == (
        world.a.client_id,
        "Sam",
        "Clinic A",
    )
    assert enroll(client, link["code"]).status_code == 201
    # Used now: a preview says no more than an enrollment would.
    refused = client.post("/api/v1/enroll/preview", json={"code": link["code"]})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "invalid_enrollment_code"


def test_an_expired_link_is_not_listed(app, clinician, world, now):
    new_link(clinician, world.a.client_id)
    app.config["CLOCK"] = lambda: now + timedelta(days=7)
    assert clinician.sign_in(world.a.clinician).status_code == 200  # a week on: a new session
    assert links_of(clinician, world.a.client_id) == []
