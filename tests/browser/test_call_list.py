"""A morning of calls in Chromium: sign in, the "to call today" list with its reasons, mark a
client handled with a note (by mouse, and by keyboard alone), the list shrinks, a new miss
puts the client back; every page axe-clean at a desk's and a phone's width."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from tests.support.clinics import add_events

from .accessibility import WIDTHS, assert_accessible
from .desk import morning_clinic, row, sign_in


@pytest.fixture
def morning(live_server):
    return morning_clinic(live_server)


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
