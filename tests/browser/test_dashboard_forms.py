"""The dashboard by keyboard and in print: the skip link, a refused form, asking before a
cancellation, the one-page handout as Chromium prints it, and axe-core at a desk's and a
phone's width on every page these touch."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Client, Clinician, TreatmentSession
from server.plans.store import rebuild

from .accessibility import WIDTHS, assert_accessible
from .test_dashboard import PASSWORD, sign_in

MOST_TABS = 80  # a keyboard walk that has not arrived after this many is lost


def tab_to(page: Page, name: str) -> None:
    """Press Tab until the focused element's accessible text is `name`."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    pytest.fail(f"{name!r} was never reached by Tab")


@pytest.fixture
def clinician(live_server):
    """A clinician (email) of a new client's clinic, and the client: (email, enrollment)."""
    enrollment = live_server.add_client()
    with live_server.app.app_context():
        clinic_id = db.session.get(Client, enrollment.client_id).clinic_id
        email = f"forms{enrollment.client_id}@browser.test"
        person = Clinician(clinic_id=clinic_id, email=email, name="Forms Clinician", role="admin")
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
    return email, enrollment


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has: its page objects (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def third_session(live_server, client_id: int) -> None:
    """A third session four weeks after the second, as a typical course has."""
    with live_server.app.app_context():
        client = db.session.get(Client, client_id)
        last = client.sessions[-1]
        gap = timedelta(days=28)
        client.sessions.append(
            TreatmentSession(starts_at=last.starts_at + gap, ends_at=last.ends_at + gap)
        )
        db.session.flush()
        db.session.expire(client, ["sessions"])
        rebuild(client, live_server.app.extensions["protocols"], datetime.now(UTC))
        db.session.commit()


def test_the_skip_link_is_the_first_tab_stop_and_goes_to_the_main_content(
    live_server, page, clinician
):
    email, enrollment = clinician
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the page's content, past the menu
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_cancelling_by_keyboard_asks_first_and_says_what_changes(live_server, page, clinician):
    email, enrollment = clinician
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    tab_to(page, "Cancel session 2…")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel session 2 of Browser client?")
    expect(page.locator("#what-changes")).to_contain_text("Session 2 (")
    expect(page.locator("#what-changes")).to_contain_text("is cancelled.")
    for width in WIDTHS.values():
        page.set_viewport_size(width)
        assert_accessible(page, f"the cancel question at {width['width']} px")
    tab_to(page, "Yes, cancel session 2")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Session 2 (")
    expect(page.get_by_role("status")).to_contain_text("is cancelled. The plan is rebuilt")
    expect(page.locator("ol.sessions > li")).to_have_count(1)


def test_a_refused_session_form_names_each_problem_beside_its_field(live_server, page, clinician):
    email, enrollment = clinician
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    page.get_by_label("New session start").fill(f"{yesterday}T09:00")
    page.get_by_label("New session hours").fill("30")
    page.get_by_role("button", name="Add session").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("2 things to correct")
    expect(summary).to_contain_text("has already passed")
    start = page.get_by_label("New session start")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(start).to_have_accessible_description(re.compile("has already passed"))
    summary.get_by_role("link", name=re.compile("^New session hours")).click()
    expect(page.get_by_label("New session hours")).to_be_focused()
    for width in WIDTHS.values():
        page.set_viewport_size(width)
        assert_accessible(page, f"a refused session form at {width['width']} px")


@pytest.mark.parametrize("sessions", [2, 3])
def test_the_handout_prints_on_one_a4_page(live_server, page, clinician, sessions):
    email, enrollment = clinician
    if sessions == 3:
        third_session(live_server, enrollment.client_id)
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    page.get_by_role("link", name="Print handout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aftercare for Browser client")
    expect(page.locator(".handout-sessions li")).to_have_count(sessions)
    expect(page.locator(".handout")).to_contain_text("Cleanse your scalp")
    for width in WIDTHS.values():
        page.set_viewport_size(width)
        assert_accessible(page, f"the handout at {width['width']} px")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf_pages(pdf) == 1


def test_a_client_page_prints_without_navigation_or_forms(live_server, page, clinician):
    email, enrollment = clinician
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("form").first).to_be_hidden()
    expect(page.get_by_role("heading", name="Plan")).to_be_visible()
    screen = pdf_pages(page.pdf(format="A4"))
    page.emulate_media(media="screen")
    assert screen >= 1


@pytest.mark.parametrize("path", ["/clinic/", "/clinic/clients/new", "client", "final"])
def test_the_pages_touched_have_no_axe_violations_at_both_widths(
    live_server, page, clinician, path
):
    email, enrollment = clinician
    sign_in(page, live_server.url, email)
    client = f"{live_server.url}/clinic/clients/{enrollment.client_id}"
    if path == "client":
        page.goto(client)
    elif path == "final":
        page.goto(client)
        page.get_by_role("link", name="Make session 1 the final one…").click()
        expect(page.locator("#what-changes")).to_be_visible()
    else:
        page.goto(f"{live_server.url}{path}")
    if path == "/clinic/clients/new":  # with every kind of problem on show
        page.get_by_label("Session 1 start").fill("2001-01-01T09:00")
        page.get_by_role("button", name="Add client").click()
        expect(page.get_by_role("alert")).to_contain_text("Name")
    for width in WIDTHS.values():
        page.set_viewport_size(width)
        assert_accessible(page, f"{path} at {width['width']} px")
