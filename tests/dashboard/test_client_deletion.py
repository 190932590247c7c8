"""An admin deletes a client: everything about them goes, one audit line stays."""

import re
from datetime import timedelta
from uuid import uuid4

import sqlalchemy as sa
from sqlalchemy import func, select

from server.extensions import db
from server.models import (
    AuditEntry,
    Client,
    Clinician,
    Device,
    PlanOccurrence,
    PushSubscription,
    Reminder,
)
from server.phone.checkins import SentCheckin, record
from server.phone.enrollment import issue_code
from server.photos.uploads import upload
from tests.support.clinics import add_client, add_events
from tests.support.dashboard import readable
from tests.support.images import phone_jpeg

# Tables that belong to no one client: the clinic, its staff, protocol texts, the audit trail,
# push services' requests to wait.
SHARED_TABLES = {
    "clinics",
    "clinicians",
    "password_resets",  # clinicians', not about any client
    "protocol_bundles",
    "audit_entries",
    "push_service_backoffs",
}


def delete_url(client_id):
    return f"/clinic/clients/{client_id}/delete"


def give_a_full_history(app, world, now, client_id, name):
    """Ticks, a check-in, a push subscription, a reminder and an enrollment code, besides the
    plan."""
    with app.app_context():
        issue_code(db.session.get(Client, client_id), now)
        device_id = db.session.scalar(select(Device.id).where(Device.client_id == client_id))
        subscription = PushSubscription(
            device_id=device_id,
            endpoint=f"https://fcm.googleapis.com/fcm/send/{name}",
            p256dh="BA",
            auth="AA",
        )
        db.session.add(subscription)
        db.session.flush()
        db.session.add(
            Reminder(
                subscription_id=subscription.id,
                client_id=client_id,
                key="2026-03-20|morning",
                slot="morning",
                occurrence_ids=[],
                task_ids=[],
                due_at=now,
                expires_at=now + timedelta(hours=1),
            )
        )
        db.session.commit()
    at = now - timedelta(hours=2)
    add_events(app, client_id, [("x1", "done", at, uuid4()), ("x1", "undone", at, uuid4())], now)
    add_events(app, client_id, [("x2", "done", at, uuid4())], now, device_id=device_id)
    with app.app_context():  # a check-in answered on the phone
        checkin = db.session.scalar(
            select(PlanOccurrence.occurrence_id).where(
                PlanOccurrence.client_id == client_id, PlanOccurrence.task_id == "checkin"
            )
        )
        answers = {"redness": "none", "swelling": "no", "oozing": "none", "pain": 1}
        answers |= {"fever": "no", "itching": "no"}
        sent = SentCheckin(uuid4(), checkin, answers, at)
        record(db.session.get(Device, device_id), [sent], app.extensions["protocols"], now)
        upload(db.session.get(Device, device_id), uuid4(), phone_jpeg(64, 48), at, None, now)
        db.session.commit()


def rows_about(app, client_id) -> dict[str, int]:
    """Per table, how many rows refer to the client, directly or through its devices."""
    with app.app_context():
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        tables = metadata.tables
        devices = select(tables["devices"].c.id).where(tables["devices"].c.client_id == client_id)
        subscriptions = select(tables["push_subscriptions"].c.id).where(
            tables["push_subscriptions"].c.device_id.in_(devices)
        )
        found = {}
        for name, table in tables.items():
            if name in SHARED_TABLES or name == "alembic_version":
                continue
            if name == "clients":
                condition = table.c.id == client_id
            elif "client_id" in table.c:
                condition = table.c.client_id == client_id
            elif "device_id" in table.c:
                condition = table.c.device_id.in_(devices)
            elif name == "photo_blobs":  # behind the storage interface, keyed by client
                condition = table.c.key.like(f"photos/{client_id}/%")
            elif "subscription_id" in table.c:
                condition = table.c.subscription_id.in_(subscriptions)
            else:
                raise AssertionError(f"{name}: say how its rows belong to a client")
            count = select(func.count()).select_from(table).where(condition)
            found[name] = db.session.scalar(count)
        return found


def test_an_admin_deletes_a_client_and_every_row_about_them(app, world, now, admin_a, client):
    give_a_full_history(app, world, now, world.a.client_id, "sam")
    kept = add_client(app, now, world.a.clinic_id, "Alex")
    assert admin_a.get(f"/clinic/clients/{world.a.client_id}").status_code == 200  # audited view
    admin_a.post(  # a call on the timeline, handling what was raised
        f"/clinic/clients/{world.a.client_id}/calls",
        {"outcome": "note", "note": "Sam asked about sunscreen"},
    )
    before = rows_about(app, world.a.client_id)
    assert all(before.values()), before  # every table holds something about Sam
    others = rows_about(app, kept), rows_about(app, world.b.client_id)

    page = admin_a.get(delete_url(world.a.client_id))
    assert page.status_code == 200 and "Type the client's name, Sam, to confirm" in readable(
        page.text
    )
    refused = admin_a.post(delete_url(world.a.client_id), {"confirm_name": "Kim"})
    assert refused.status_code == 422 and "nothing was deleted" in refused.text
    assert rows_about(app, world.a.client_id) == before

    done = admin_a.post(delete_url(world.a.client_id), {"confirm_name": "  sam "})
    assert done.status_code == 302 and done.location == "/clinic/"

    assert set(rows_about(app, world.a.client_id).values()) == {0}
    assert (rows_about(app, kept), rows_about(app, world.b.client_id)) == others
    listing = admin_a.get("/clinic/?flag=all").text
    assert f"Client #{world.a.client_id} and all their data are deleted." in listing
    assert ">Sam<" not in listing and ">Alex<" in listing
    assert admin_a.get(f"/clinic/clients/{world.a.client_id}").status_code == 404
    # The client's phone is signed out: on a 401 the app says it was disconnected.
    response = client.get("/api/v1/me", headers=world.a.phone)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_one_audit_line_stays_with_no_name_or_health_data(app, world, now, admin_a, client):
    client.post("/api/v1/me/deletion-request", headers=world.a.phone)
    admin_a.get(f"/clinic/clients/{world.a.client_id}")
    admin_a.post(
        f"/clinic/clients/{world.a.client_id}/sessions", {"start": "2026-04-02T10:00", "hours": "3"}
    )
    admin_a.post(delete_url(world.a.client_id), {"confirm_name": "Sam"})
    with app.app_context():
        admin_id = db.session.scalar(select(Clinician.id).where(Clinician.email == world.a.admin))
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.client_id == world.a.client_id)
        ).all()
    [deleted] = [e for e in entries if e.action == "client.delete"]
    assert (deleted.clinic_id, deleted.clinician_id, deleted.at) == (
        world.a.clinic_id,
        admin_id,
        now,
    )
    assert deleted.detail == {"deletion_requested_at": now.isoformat()}
    # Who saw and changed the record, and when, stays; what they saw (session times) does not.
    actions = {e.action for e in entries}
    assert {"app.deletion_request", "session.add", "client.view"} <= actions
    assert all(e.detail == {} for e in entries if e is not deleted)
    assert "Sam" not in str([(e.action, e.detail) for e in entries])
    audit_page = admin_a.get("/clinic/admin/audit").text
    assert "client.delete" in audit_page and "The client, from the app" in audit_page


def test_clinicians_who_are_not_admins_cannot_delete(app, world, now, clinician_a):
    before = rows_about(app, world.a.client_id)
    assert clinician_a.get(delete_url(world.a.client_id)).status_code == 403
    response = clinician_a.post(delete_url(world.a.client_id), {"confirm_name": "Sam"})
    assert response.status_code == 403
    assert rows_about(app, world.a.client_id) == before
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").text
    assert "Only the clinic's admins can delete a client." in page
    assert delete_url(world.a.client_id) not in page


def test_another_clinic_s_client_is_not_found(app, world, dashboard):
    admin_b = dashboard()
    assert admin_b.sign_in(world.b.admin).status_code == 302
    before = rows_about(app, world.a.client_id)
    assert admin_b.get(delete_url(world.a.client_id)).status_code == 404
    response = admin_b.post(delete_url(world.a.client_id), {"confirm_name": "Sam"})
    assert response.status_code == 404
    assert admin_b.post(delete_url(999999), {"confirm_name": "Sam"}).status_code == 404
    assert rows_about(app, world.a.client_id) == before


def test_deleting_needs_the_form_s_csrf_token(app, world, admin_a):
    before = rows_about(app, world.a.client_id)
    response = admin_a.post(delete_url(world.a.client_id), {"confirm_name": "Sam"}, token=False)
    assert response.status_code == 400 and "This form has expired" in response.text
    assert rows_about(app, world.a.client_id) == before


def test_a_deletion_request_shows_on_the_list_and_the_client_s_page(
    app, world, now, client, clinician_a, admin_a
):
    add_client(app, now, world.a.clinic_id, "Alex")
    assert "deletion-requests" not in clinician_a.get("/clinic/").text
    client.post("/api/v1/me/deletion-request", headers=world.a.phone)

    listing = clinician_a.get("/clinic/").text
    assert "1 client has asked for their data to be deleted." in listing
    assert "Deletion requested 20 Mar" in re.sub(r"<[^>]+>", "", listing)
    only = clinician_a.get("/clinic/?flag=deletion_requested").text
    assert ">Sam<" in only and ">Alex<" not in only
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").text
    notice = re.search(r'<p class="warning" id="deletion-requested">(.*?)</p>', page, re.S)
    assert "Deletion requested 20 Mar 2026" in re.sub(r"<[^>]+>", "", notice.group(1))
    assert "Delete it by 19 Apr 2026" in readable(notice.group(1))
    assert "Only an admin can" in notice.group(1)
    admin_page = admin_a.get(f"/clinic/clients/{world.a.client_id}").text
    assert f'href="{delete_url(world.a.client_id)}">Delete now</a>' in admin_page
