"""Who may call what: every route, every method, every kind of caller, against one table.

A route missing from EXPECTED fails the test, so a new route cannot ship without someone
deciding who may call it. Object ids in URLs point at clinic A's client and its objects.
"""

import uuid
from datetime import timedelta

from server.extensions import db
from server.models import Clinician, TreatmentSession
from server.phone.devices import issue_device
from server.photos.uploads import upload
from tests.support.app_routes import routes
from tests.support.factories import sent_reminder
from tests.support.images import phone_jpeg

ANONYMOUS, DEVICE_A, DEVICE_B = "anonymous", "device of client A", "device of client B"
CLINICIAN_A, CLINICIAN_B, ADMIN_A = "clinician A", "clinician B (clinic B)", "admin A"
ACTORS = (ANONYMOUS, DEVICE_A, DEVICE_B, CLINICIAN_A, CLINICIAN_B, ADMIN_A)

EVERYONE = frozenset(ACTORS)
DEVICES = frozenset({DEVICE_A, DEVICE_B})  # each to its own client's data
CLINICIANS = frozenset({CLINICIAN_A, CLINICIAN_B, ADMIN_A})  # each within their own clinic
CLINIC_A = frozenset({CLINICIAN_A, ADMIN_A})
ADMINS_OF_A = frozenset({ADMIN_A})  # the ids in URLs are clinic A's; no other actor is an admin

EXPECTED = {
    "static": EVERYONE,
    "health.healthz": EVERYONE,
    "api-docs.openapi_json": EVERYONE,
    "protocols.list_protocols": EVERYONE,
    "protocols.get_protocol": EVERYONE,
    "enroll.enroll": EVERYONE,
    "enroll.preview_enrollment": EVERYONE,
    "me.me": DEVICES,
    "me.plan": DEVICES,
    "me.sync_events": DEVICES,
    "me.send_checkins": DEVICES,
    "me.settings": DEVICES,
    "me.set_answers": DEVICES,
    "me.set_language": DEVICES,
    "me.sign_out": DEVICES,
    "my_data.export": DEVICES,
    "my_data.request_deletion": DEVICES,
    "photos.put_photo": DEVICES,
    "push.vapid_key": EVERYONE,
    "push_subscriptions.subscribe": DEVICES,
    "push_subscriptions.unsubscribe": DEVICES,
    "reminders.get_settings": DEVICES,
    "reminders.put_settings": DEVICES,
    "reminders.snooze": frozenset({DEVICE_A}),  # the reminder is client A's
    "clinic_session.get_session": EVERYONE,
    "clinic_session.sign_in": EVERYONE,
    "clinic_session.sign_out": CLINICIANS,
    "clinic.list_clients": CLINICIANS,
    "clinic.create_client": CLINICIANS,
    "clinic.get_client": CLINIC_A,
    "clinic.update_client": CLINIC_A,
    "clinic.add_session": CLINIC_A,
    "clinic.reschedule_session": CLINIC_A,
    "clinic.remove_session": CLINIC_A,
    "clinic.new_enrollment_code": CLINIC_A,
    "clinic.revoke_device": CLINIC_A,
    "clinic.cancel_enrollment_codes": CLINIC_A,
    "dashboard.static": EVERYONE,
    "dashboard.account.login": EVERYONE,
    "dashboard.account.logout": CLINICIANS,
    "dashboard.account.password": CLINICIANS,
    "dashboard.account.language": CLINICIANS,
    "dashboard.account.forgot": EVERYONE,
    "dashboard.account.reset": EVERYONE,
    "dashboard.clients.list_page": CLINICIANS,
    "dashboard.clients.clinic_export": CLINICIANS,
    "dashboard.clients.new_client": CLINICIANS,
    "dashboard.clients.client": CLINIC_A,
    "dashboard.clients.client_export": CLINIC_A,
    "dashboard.clients.photo": CLINIC_A,
    "dashboard.clients.handout": CLINIC_A,
    "dashboard.clients.add_session": CLINIC_A,
    "dashboard.clients.reschedule": CLINIC_A,
    "dashboard.clients.edit_profile": CLINIC_A,
    "dashboard.clients.make_final": CLINIC_A,
    "dashboard.clients.cancel_session": CLINIC_A,
    "dashboard.clients.new_enrollment": CLINIC_A,
    "dashboard.clients.email_enrollment": CLINIC_A,
    "dashboard.clients.revoke_device": CLINIC_A,
    "dashboard.clients.cancel_enrollment": CLINIC_A,
    "dashboard.clients.delete_client": ADMINS_OF_A,
    "dashboard.calls.handle": CLINIC_A,
    "dashboard.admin.clinicians": ADMINS_OF_A,
    "dashboard.admin.invite": ADMINS_OF_A,
    "dashboard.admin.set_role": ADMINS_OF_A,
    "dashboard.admin.deactivate": ADMINS_OF_A,
    "dashboard.admin.reactivate": ADMINS_OF_A,
    "dashboard.admin.reset_password": ADMINS_OF_A,
    "dashboard.admin.email_reset_link": ADMINS_OF_A,
    "dashboard.admin.audit_log": ADMINS_OF_A,
    "dashboard.admin.audit_export": ADMINS_OF_A,
    "dashboard.admin.clinic_settings": ADMINS_OF_A,
    "dashboard.admin.protocols": ADMINS_OF_A,
    "dashboard.admin.move_clients": ADMINS_OF_A,
    "pwa.index": EVERYONE,
    "pwa.service_worker": EVERYONE,
    "pwa.stylesheet": EVERYONE,
    "pwa.manifest": EVERYONE,
    "pwa.asset": EVERYONE,
    "pwa.pseudo_catalog": EVERYONE,  # a 404 to all unless PSEUDO_LOCALE is on (testing only)
}


def url_values(app, world, now):
    """Path values for one request; sessions and devices are new each time, as calls use them up."""
    with app.app_context():
        start = now + timedelta(days=40)
        session = TreatmentSession(
            client_id=world.a.client_id, starts_at=start, ends_at=start + timedelta(hours=2)
        )
        db.session.add(session)
        device, _ = issue_device(world.a.client_id, "spare", now)
        db.session.flush()
        reminder = sent_reminder(device, world.a.client_id, now, "k")
        db.session.flush()
        colleague = Clinician(
            clinic_id=world.a.clinic_id, email=f"colleague{device.id}@a.test", name="Colleague"
        )
        db.session.add(colleague)
        photo_id = uuid.uuid4()
        with app.test_request_context():
            upload(device, photo_id, phone_jpeg(64, 48), now, None, now)
        db.session.commit()
        return {
            "clinician_id": colleague.id,
            "client_id": world.a.client_id,
            "session_id": session.id,
            "device_id": device.id,
            "reminder_id": reminder.id,
            "protocol_id": "scalp-nation",
            "folder": "js",
            "photo_id": photo_id,
        }


def caller(app, world, browser, now, actor):
    """A fresh browser for `actor` and the headers it sends (its own device token, if any)."""
    signed = browser()
    signed.refresh_token()
    headers = {}
    if actor in DEVICES:
        client_id = world.a.client_id if actor == DEVICE_A else world.b.client_id
        with app.app_context():
            _, token = issue_device(client_id, actor, now)
            db.session.commit()
        headers["Authorization"] = f"Bearer {token}"
    elif actor != ANONYMOUS:
        email = {CLINICIAN_A: world.a.clinician, CLINICIAN_B: world.b.clinician}.get(
            actor, world.a.admin
        )
        assert signed.sign_in(email).status_code == 200
    return signed, headers


OWNED = {"client_id", "reminder_id", "clinician_id"}


def denied(rule, response) -> bool:
    if response.status_code in (401, 403):
        return True
    # The dashboard sends anyone not signed in to its sign-in page, then back.
    if response.status_code == 302 and response.location.startswith("/clinic/login?next="):
        return True
    # A client (or reminder, or clinician) of someone else is a 404, like one that does not exist.
    return response.status_code == 404 and bool(OWNED & rule.arguments)


def test_every_route_has_an_entry(app):
    assert {rule.endpoint for rule, _ in routes(app)} == set(EXPECTED)


def test_every_route_allows_exactly_whom_the_table_says(app, world, browser, now):
    mismatches = []
    for rule, method in routes(app):
        for actor in ACTORS:
            values = {name: "x" for name in rule.arguments}
            values.update(url_values(app, world, now))
            _, path = rule.build({k: v for k, v in values.items() if k in rule.arguments})
            signed, headers = caller(app, world, browser, now, actor)
            body = {} if method in ("POST", "PUT", "PATCH", "DELETE") else None
            response = signed.open(method, path, headers=headers, json=body)
            response.close()
            allowed = actor in EXPECTED.get(rule.endpoint, ())
            if denied(rule, response) == allowed:
                mismatches.append(f"{method} {path} as {actor}: {response.status_code}")
    assert mismatches == []


def test_denials_answer_in_the_envelope(world, browser):
    stranger = browser()
    stranger.refresh_token()
    response = stranger.get(f"/api/v1/clinic/clients/{world.a.client_id}")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
