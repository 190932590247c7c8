"""The clinic's dashboard in Chromium against the live server: sign in, find who needs a call,
move a session and watch the plan and calendar follow; add a client whose phone enrolls; edit
a client's time zone and copy a new link for their phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Client, Clinician

from .conftest import ZONE
from .phone import open_enrollment

PASSWORD = "browser clinician password"


@pytest.fixture
def clinician(live_server):
    """A clinician (email) of the clinic of a new client with a plan: (email, enrollment)."""
    enrollment = live_server.add_client()
    with live_server.app.app_context():
        clinic_id = db.session.get(Client, enrollment.client_id).clinic_id
        email = f"clinician{enrollment.client_id}@browser.test"
        person = Clinician(clinic_id=clinic_id, email=email, name="Browser Clinician", role="admin")
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
    return email, enrollment


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/clinic/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")


def calendar_days(page: Page) -> list[str]:
    return page.locator("svg.heatmap g.day").evaluate_all(
        "cells => cells.map(cell => cell.dataset.date)"
    )


def plan_days(page: Page) -> list[str]:
    return page.locator(".plan-day").evaluate_all("days => days.map(day => day.dataset.date)")


def test_sign_in_find_the_client_and_move_a_session(live_server, page, clinician):
    email, _ = clinician
    sign_in(page, live_server.url, email)
    # No phone yet: nothing counts and nothing is missed, so not on today's call list.
    expect(page.get_by_role("row").filter(has_text="Browser client")).to_have_count(0)
    page.get_by_role("link", name="Everyone").click()
    row = page.get_by_role("row").filter(has_text="Browser client")
    expect(row.get_by_role("cell").nth(1)).to_have_text("— (0/0)")
    row.get_by_role("link", name="Browser client").click()
    expect(page.locator("#counted-from")).to_contain_text("counting starts when their phone")
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser client")
    expect(page.get_by_role("group", name="Aftercare adherence, day by day")).to_be_visible()
    before_calendar, before_plan = calendar_days(page), plan_days(page)

    # Session 2 is 12 days away; move it 9 days later, to the same time of day.
    zone = ZoneInfo(ZONE)
    later = (datetime.now(UTC) + timedelta(days=21)).astimezone(zone).date()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Reschedule session 2"))
    form.get_by_label("Start").fill(f"{later.isoformat()}T09:00")
    form.get_by_role("button", name="Reschedule session 2").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Session 2 moved to {later.strftime('%a, %-d %b %Y')}, 09:00"
    )
    expect(page.locator("#sessions")).to_contain_text(later.strftime("%a, %-d %b %Y, 09:00"))
    after_calendar, after_plan = calendar_days(page), plan_days(page)
    assert max(after_calendar) > max(before_calendar)
    assert after_plan != before_plan
    assert (later + timedelta(days=1)).isoformat() in after_plan  # day 2 of the moved session
    assert (later - timedelta(days=8)).isoformat() not in after_plan  # old day 2 is gone


def test_a_new_client_s_enrollment_link_opens_the_app_on_their_phone(
    live_server, page, new_context, clinician
):
    email, _ = clinician
    sign_in(page, live_server.url, email)
    page.get_by_role("link", name="New client").click()
    page.get_by_label("Name").fill("Walk-in client")
    page.get_by_label("Phone or email").fill("+44 7700 900456")
    page.get_by_label("Protocol").select_option(label="Scalp Nation aftercare")
    page.locator("#new-answer-scalp-nation-hair_length").select_option("shaved")  # not left
    today = datetime.now(ZoneInfo(ZONE)).date()
    page.get_by_label("Session 1 start").fill(f"{(today - timedelta(days=1)).isoformat()}T09:00")
    page.get_by_label("Session 1 already happened").check()  # yesterday's, recorded late
    page.get_by_label("Session 2 start").fill(f"{(today + timedelta(days=14)).isoformat()}T09:00")
    page.get_by_role("button", name="Add client").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Walk-in client is added")
    expect(page.get_by_role("img", name="QR code of the enrollment link")).to_be_visible()
    link = page.locator("a.enroll-link").get_attribute("href")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/enroll#[\w-]+", link)

    phone = new_context().new_page()
    open_enrollment(phone, link)  # the client app loads and shows Today

    page.get_by_role("link", name="Open Walk-in client's page").click()
    devices = page.locator("section[aria-labelledby=devices-h] table")
    expect(devices).not_to_contain_text("No phone has enrolled yet.")
    expect(devices.get_by_role("button", name=re.compile(r"^Revoke device #\d+$"))).to_have_count(1)


def test_edit_the_time_zone_then_copy_a_new_link(live_server, new_context, clinician):
    email, _ = clinician
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    sign_in(page, live_server.url, email)
    page.get_by_role("link", name="Everyone").click()
    page.get_by_role("link", name="Browser client").click()
    page.get_by_text("Edit profile").click()
    form = page.locator("#profile-form")
    form.get_by_label("Time zone").fill("America/New_York")
    form.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status")).to_have_text(
        "Time zone changed from Europe/London to America/New_York; task times moved. "
        "Ticks are kept."
    )
    expect(page.locator("#profile dl")).to_contain_text("America/New_York")

    page.get_by_role("button", name="New enrollment link and QR code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New link for Browser client")
    link = page.locator("a.enroll-link").get_attribute("href")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#copy-status")).to_have_text(
        "Link copied. Paste it into a message to the client."
    )
    assert page.evaluate("navigator.clipboard.readText()") == link
    texted = page.get_by_role("link", name="Send by text").get_attribute("href")
    assert texted.startswith("sms:?&body=") and texted.endswith(quote(link, safe=""))
