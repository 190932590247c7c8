"""A phone that is disconnected gets no reminder: revoked by the clinic, signed out from the app,
or its client deleted; not even one a worker had already claimed."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Client, Clinician, Device, PushSubscription, Reminder
from server.reminders.delivery import claim
from tests.support.clinics import PASSWORD, Browser
from tests.support.subscribers import reminder_rows, subscribe

# Three days of morning, midday and evening reminders, and then some.
DAYS = [timedelta(hours=hours) for hours in range(0, 72, 3)]


def clinician_of(app, person) -> Browser:
    """A clinician of the person's clinic, signed in to the API."""
    with app.app_context():
        clinic_id = db.session.get(Client, person.client_id).clinic_id
        colleague = Clinician(clinic_id=clinic_id, email="desk@clinic.test", name="Desk")
        colleague.set_password(PASSWORD)
        db.session.add(colleague)
        db.session.commit()
    browser = Browser(app.test_client())
    assert browser.sign_in("desk@clinic.test").status_code == 200
    return browser


def revoked_by_the_clinic(app, http, person):
    browser = clinician_of(app, person)
    path = f"/api/v1/clinic/clients/{person.client_id}/devices/{person.device_ids[0]}/revoke"
    assert browser.post(path, json={}).status_code == 200


def signed_out_from_the_app(app, http, person):
    assert http.delete("/api/v1/me/device", headers=person.phone).status_code == 204


def client_deleted(app, http, person):
    with app.app_context():
        db.session.delete(db.session.get(Client, person.client_id))
        db.session.commit()


@pytest.mark.parametrize(
    "disconnect", [revoked_by_the_clinic, signed_out_from_the_app, client_deleted]
)
def test_a_disconnected_phone_gets_no_reminder(
    app, http, person, push_service, send_due, now, disconnect
):
    subscribe(http, person.phone, push_service)
    assert reminder_rows(app)  # planned, and the first is due now
    disconnect(app, http, person)

    for later in DAYS:
        assert send_due(now + later) == {}
    assert push_service.requests == 0
    # The same transaction took the subscription and every reminder planned for it.
    with app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []
    assert reminder_rows(app) == []


def test_the_other_phone_of_a_client_keeps_its_reminders(app, http, person, push_service, send_due):
    subscribe(http, person.phone, push_service)
    kept = subscribe(http, person.phones[1], push_service)
    signed_out_from_the_app(app, http, person)

    assert send_due() == {"sent": 1}
    assert len(push_service.messages(kept.id)) == 1


def test_a_reminder_claimed_before_its_phone_signed_out_is_not_sent(
    app, http, person, push_service, courier, now
):
    subscribe(http, person.phone, push_service)
    with app.app_context():
        ids = claim(now, "w1", 10)
        db.session.commit()
    assert ids  # the worker holds them, about to send
    signed_out_from_the_app(app, http, person)

    with app.app_context():
        assert courier.deliver(ids, lambda: now) == {}
        db.session.commit()
    assert push_service.requests == 0


def test_a_claimed_reminder_of_a_phone_revoked_meanwhile_is_skipped_when_sent(
    app, http, person, push_service, courier, now
):
    # Were a subscription to outlive its device's revocation (rows from before this rule),
    # the courier still checks the device when it sends.
    subscribe(http, person.phone, push_service)
    with app.app_context():
        ids = claim(now, "w1", 10)
        db.session.get(Device, person.device_ids[0]).revoked_at = now
        db.session.commit()
        assert courier.deliver(ids, lambda: now) == {"device disconnected": len(ids)}
        db.session.commit()
        states = db.session.scalars(select(Reminder.reason).where(Reminder.id.in_(ids))).all()
    assert push_service.requests == 0
    assert set(states) == {"device disconnected"}
