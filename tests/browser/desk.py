"""A clinic's morning for the dashboard's browser tests: an admin with two clients, one who
missed two tasks on day 2, one who did all; and how to sign in and find a client's row."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Clinic, Clinician, PlanOccurrence
from server.phone.devices import issue_device
from tests.support.clinics import add_events
from tests.support.factories import new_client, with_plan

from .conftest import ZONE

PASSWORD = "morning clinician password"


def morning_clinic(live_server):
    """A clinic whose admin has two clients: one missed two tasks on day 2, one did all."""
    now = datetime.now(UTC)
    zone = ZoneInfo(ZONE)
    today = now.astimezone(zone).date()
    tag = uuid4().hex[:8]
    app = live_server.app
    with app.app_context():
        clinic = Clinic(name=f"Morning Clinic {tag}", created_at=now - timedelta(days=30))
        ids = {}
        for name, contact in (("Amira Haddad", "+44 7700 900107"), ("Leo Santos", None)):
            start = datetime.combine(today - timedelta(days=3), time(9, 0), tzinfo=zone)
            client = new_client(
                clinic=clinic,
                name=name,
                zone=ZONE,
                created_at=now - timedelta(days=10),
                sessions=[(start.astimezone(UTC), (start + timedelta(hours=4)).astimezone(UTC))],
            )
            client.contact = contact
            with_plan(client, app.extensions["protocols"], now)
            device, _ = issue_device(client.id, "phone", now - timedelta(days=10))
            device.last_seen_at = now
            ids[name] = client.id
        person = Clinician(
            clinic=clinic, email=f"desk-{tag}@browser.test", name="Desk Nurse", role="admin"
        )
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
        due = {
            name: db.session.scalars(
                select(PlanOccurrence)
                .where(
                    PlanOccurrence.client_id == client_id,
                    PlanOccurrence.due_end <= now,
                    PlanOccurrence.optional.is_(False),  # the check-ins are answered, not ticked
                )
                .order_by(PlanOccurrence.due_end)
            ).all()
            for name, client_id in ids.items()
        }
    # Amira missed her first two tasks; everything else, hers and Leo's, is ticked.
    for name, occurrences in due.items():
        ticked = occurrences[2:] if name == "Amira Haddad" else occurrences
        events = [(o.occurrence_id, "done", o.due_start, uuid4()) for o in ticked]
        add_events(app, ids[name], events, now)
    return person.email, ids, due


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/clinic/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")


def row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
