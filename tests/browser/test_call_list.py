"""A morning of calls in Chromium: sign in, the "to call today" list with its reasons, mark a
client handled with a note (by mouse, and by keyboard alone), the list shrinks, a new miss
puts the client back; every page axe-clean at a desk's and a phone's width."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Clinic, Clinician, PlanOccurrence
from server.phone.devices import issue_device
from tests.support.clinics import add_events
from tests.support.factories import new_client, with_plan

from .accessibility import WIDTHS, assert_accessible
from .conftest import ZONE

PASSWORD = "morning clinician password"


@pytest.fixture
def morning(live_server):
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
                .where(PlanOccurrence.client_id == client_id, PlanOccurrence.due_end <= now)
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


def test_a_morning_of_calls(live_server, new_context, morning):
    email, ids, due = morning
    page = new_context(viewport=WIDTHS["desk"]).new_page()
    sign_in(page, live_server.url, email)
    # The default view: who to call today, with the reason in words and the phone to call.
    expect(page.get_by_role("link", name="To call today 1")).to_have_attribute(
        "aria-current", "page"
    )
    amira = row(page, "Amira Haddad")
    expect(amira).to_have_count(1)
    expect(row(page, "Leo Santos")).to_have_count(0)
    expect(amira.get_by_role("listitem").first).to_contain_text("Missed “")
    expect(amira.get_by_role("listitem").first).to_contain_text("on day ")
    expect(amira.get_by_role("link", name="+44 7700 900107", exact=True)).to_have_attribute(
        "href", "tel:+447700900107"
    )
    assert_accessible(page, "the call list (desk)")

    amira.get_by_text("Mark handled").click()
    assert_accessible(page, "the call list with the handling form open")
    amira.get_by_label("Called").check()
    amira.get_by_label("Note").fill("Forgot the first evening; doing fine now")
    amira.get_by_role("button", name="Save and mark").click()
    expect(page.get_by_role("status")).to_contain_text("Called: ")
    expect(page.get_by_text("Nobody to call today.")).to_be_visible()
    expect(page.get_by_role("link", name="To call today 0")).to_be_visible()

    # Her page keeps the call on her timeline.
    page.get_by_role("link", name="Everyone").click()
    page.get_by_role("link", name="Amira Haddad", exact=True).click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Called")
    expect(timeline).to_contain_text("Forgot the first evening; doing fine now")
    expect(timeline).to_contain_text("Desk Nurse")
    assert_accessible(page, "a client's page (desk)")

    # A new miss (a tick taken back) puts her back on the list, with only the new reason.
    last = due["Amira Haddad"][-1]
    add_events(
        live_server.app,
        ids["Amira Haddad"],
        [(last.occurrence_id, "undone", datetime.now(UTC), uuid4())],
        datetime.now(UTC),
    )
    page.get_by_role("link", name="Clients", exact=True).first.click()
    amira = row(page, "Amira Haddad")
    expect(amira).to_have_count(1)
    expect(amira.get_by_role("listitem")).to_have_count(1)


def test_the_call_list_by_keyboard_alone_on_a_phone(live_server, new_context, morning):
    email, ids, _ = morning
    page = new_context(viewport=WIDTHS["phone"], has_touch=True, is_mobile=True).new_page()
    sign_in(page, live_server.url, email)
    assert_accessible(page, "the call list (phone)")
    # The first client is in view without scrolling past the filters.
    first = row(page, "Amira Haddad")
    box = first.bounding_box()
    assert box and box["y"] < WIDTHS["phone"]["height"], box
    # Tab to "Mark handled", open it, pick an outcome, write, save: no mouse.
    summary = first.locator("summary")
    for _ in range(60):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached 'Mark handled'")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first outcome, "Called"
    page.keyboard.press("ArrowDown")  # "Left a message"
    expect(first.get_by_label("Left a message")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Voicemail, will try again at 5")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Nobody to call today.")).to_be_visible()
    page.goto(f"{live_server.url}/clinic/clients/{ids['Amira Haddad']}")
    expect(page.locator("#timeline")).to_contain_text("Voicemail, will try again at 5")
    assert_accessible(page, "a client's page (phone)")
