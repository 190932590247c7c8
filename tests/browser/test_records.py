"""The clinic's records in Chromium: the calendar's days from the keyboard and by touch, and
axe-core on the client page, the audit log and the settings, at a desk's and a phone's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Client, Clinician

from .accessibility import WIDTHS, assert_accessible

PASSWORD = "browser records password"


@pytest.fixture
def admin(live_server):
    """(email, client id) of an admin of a new clinic with one client who has a plan."""
    enrollment = live_server.add_client(clinic="Records Clinic")
    with live_server.app.app_context():
        clinic_id = db.session.get(Client, enrollment.client_id).clinic_id
        email = f"records{enrollment.client_id}@browser.test"
        person = Clinician(clinic_id=clinic_id, email=email, name="Records Admin", role="admin")
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
    return email, enrollment.client_id


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/clinic/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")


def focused_label(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('aria-label')")


def test_the_calendar_s_days_from_the_keyboard_alone(live_server, page, admin):
    email, client_id = admin
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{client_id}")
    days = page.locator("svg.heatmap a.day-link")
    first, second = (days.nth(n).get_attribute("aria-label") for n in (0, 1))
    assert re.fullmatch(r"\w{3} \d{1,2} \w{3}: .+", first)

    page.get_by_role("link", name="Skip the calendar").focus()
    page.keyboard.press("Tab")
    expect(days.nth(0)).to_be_focused()
    page.keyboard.press("Tab")
    expect(days.nth(1)).to_be_focused()
    assert focused_label(page) == second
    day = days.nth(1).locator("g.day").get_attribute("data-date")

    detail = page.locator(f"#day-{day}")
    expect(detail).to_be_hidden()
    page.keyboard.press("Enter")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text(second.split(": ", 1)[1].capitalize())
    expect(page.locator(".day-hint")).to_be_hidden()
    back = detail.get_by_role("link", name=re.compile(r"^Back to .+ in the calendar$"))
    back.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#cal-{day}$"))
    page.keyboard.press("Tab")  # on from the day it came back to
    expect(days.nth(2)).to_be_focused()


def test_a_tap_on_a_day_shows_its_tasks(live_server, new_context, admin):
    email, client_id = admin
    page = new_context(has_touch=True, is_mobile=True, viewport=WIDTHS["phone"]).new_page()
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{client_id}")
    with_tasks = page.locator("svg.heatmap g.day:not([data-state='no-tasks'])").first
    day = with_tasks.get_attribute("data-date")
    with_tasks.tap()
    detail = page.locator(f"#day-{day}")
    expect(detail).to_be_visible()
    expect(detail.locator("li").first).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_records_pages_pass_axe(live_server, new_context, admin, width):
    email, client_id = admin
    page = new_context(viewport=WIDTHS[width]).new_page()
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{client_id}")
    expect(page.get_by_role("group", name="Aftercare adherence, day by day")).to_be_visible()
    assert_accessible(page, f"the client page at {width} width")
    day = page.locator("svg.heatmap g.day").nth(1).get_attribute("data-date")
    page.goto(f"{live_server.url}/clinic/clients/{client_id}#day-{day}")
    expect(page.locator(f"#day-{day}")).to_be_visible()
    assert_accessible(page, f"the client page with a day's details at {width} width")

    nav = page.get_by_role("navigation", name="Dashboard")
    nav.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_role("cell", name="Opened a client's record").first).to_be_visible()
    assert_accessible(page, f"the audit log at {width} width")
    page.get_by_label("Action").select_option(label="Opened a client's record")
    page.get_by_label("From").fill("2000-01-02")
    page.get_by_label("To").fill("2000-01-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#audit-until-error")).to_contain_text("before the first")
    assert_accessible(page, f"the audit log with a refused filter at {width} width")

    nav.get_by_role("link", name="Settings").click()
    page.get_by_label("Clinic time zone").fill("Nowhere/Special")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-timezone-error")).to_be_visible()
    assert_accessible(page, f"the settings with a refused zone at {width} width")
