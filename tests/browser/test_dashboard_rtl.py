"""The dashboard in Arabic on a phone (390 px): right to left, checked by where things are
drawn, with 0 axe-core violations. The screenshots in docs/ are taken here when UPDATE_DOCS=1
is set (a test run leaves the checkout as it was)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Clinic, Clinician

from .accessibility import WIDTHS, assert_accessible
from .desk import PASSWORD, morning_clinic

DOCS = Path(__file__).resolve().parents[2] / "docs"


def keep_screenshot(page: Page, name: str) -> None:
    if os.environ.get("UPDATE_DOCS") == "1":
        page.screenshot(path=str(DOCS / name))


pytestmark = pytest.mark.slow


def text_box(page: Page, selector: str) -> dict:
    """Where the text itself of the first `selector` is drawn (not its block's full width)."""
    return page.eval_on_selector(
        selector,
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const box = range.getBoundingClientRect();
            return {left: box.left, right: box.right, width: innerWidth};
        }""",
    )


def assert_reads_from_the_right(page: Page, selector: str) -> None:
    box = text_box(page, selector)
    assert box["right"] > box["width"] - 40, (selector, box)  # starts at the right edge
    assert box["left"] > box["width"] / 3, (selector, box)  # and is not drawn from the left


@pytest.fixture
def arabic_clinic(live_server):
    email, ids, _ = morning_clinic(live_server)
    with live_server.app.app_context():
        person = db.session.scalar(db.select(Clinician).where(Clinician.email == email))
        db.session.get(Clinic, person.clinic_id).language = "ar"
        db.session.commit()
    return email, ids


def test_the_client_list_and_a_client_page_read_right_to_left(
    live_server, new_context, arabic_clinic
):
    email, _ = arabic_clinic
    page = new_context(viewport=WIDTHS["phone"]).new_page()
    page.goto(f"{live_server.url}/clinic/login")  # before sign-in: the browser's English
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("العملاء")  # the clinic's Arabic
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert_reads_from_the_right(page, "h1")
    assert_reads_from_the_right(page, ".brand")
    assert_accessible(page, "the client list in Arabic (phone)")
    keep_screenshot(page, "dashboard-ar.png")

    page.get_by_role("link", name="Amira Haddad", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Haddad")
    expect(page.locator("#timeline-h")).to_have_text("المكالمات والملاحظات")
    assert_reads_from_the_right(page, "#timeline-h")
    assert_reads_from_the_right(page, "#calls-h")
    assert_accessible(page, "a client's page in Arabic (phone)")
    keep_screenshot(page, "dashboard-client-ar.png")
