"""The client app in Arabic on a phone (390 px): right to left, checked by where things are
drawn, with 0 axe-core violations; and the language chosen in Settings. The screenshots in
docs/ are taken here when UPDATE_DOCS=1 is set (a test run leaves the checkout as it was)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Client

from .accessibility import WIDTHS, assert_accessible
from .phone import TODAY_ROWS, eventually, go_offline, sync_status, wait_for_worker

DOCS = Path(__file__).resolve().parents[2] / "docs"
PHONE = WIDTHS["phone"]

pytestmark = pytest.mark.slow


def keep_screenshot(page: Page, name: str) -> None:
    if os.environ.get("UPDATE_DOCS") == "1":
        page.evaluate("() => scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / name))


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def text_box(page: Page, selector: str) -> dict:
    """Where the text itself of the first `selector` is drawn (not its block's full width)."""
    return page.locator(selector).first.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const box = range.getBoundingClientRect();
            return {left: box.left, right: box.right, width: innerWidth};
        }"""
    )


def assert_reads_from_the_right(page: Page, selector: str) -> None:
    drawn = text_box(page, selector)
    assert drawn["right"] > drawn["width"] - 40, (selector, drawn)  # starts at the right edge
    assert drawn["left"] > drawn["width"] / 3, (selector, drawn)  # and is not drawn from the left


def go_to(page: Page, tab: str, heading: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=tab, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_today_avoid_progress_and_settings_read_right_to_left_in_arabic(live_server, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto(live_server.add_client(name="Amira Haddad", language="ar").url)
    expect(page.get_by_role("heading", level=1)).to_have_text("اليوم")
    expect(sync_status(page)).to_have_text("محدَّث")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")

    # The tab bar reads from the right: Today first, at the right edge; Settings last, leftmost.
    tabs = page.locator("#tabs a")
    first, last = tabs.first.bounding_box(), tabs.last.bounding_box()
    assert first["x"] > last["x"], (first, last)
    assert first["x"] + first["width"] > PHONE["width"] - 2, first
    # The day's ring first, at the right edge; the heading after it, to its left.
    ring, title = box(page, ".glance .ring"), text_box(page, "main h1")
    assert ring["x"] + ring["width"] > PHONE["width"] - 40, ring
    assert title["right"] <= ring["x"] and title["left"] > PHONE["width"] / 3, (ring, title)
    # A task's row mirrored: its box at the right, its title to the left of the box.
    row = page.locator(TODAY_ROWS).first
    check, title = row.get_by_role("checkbox").bounding_box(), row.locator(".title").bounding_box()
    assert check["x"] > title["x"] + title["width"] - 1, (check, title)
    assert check["x"] + check["width"] > PHONE["width"] - 60, check
    assert_accessible(page, "Today in Arabic (phone)")
    keep_screenshot(page, "today-ar.png")

    go_to(page, "تجنّب", "ما يجب تجنّبه")
    assert_reads_from_the_right(page, "main h1")
    kind = page.locator("main li.avoid h2").first
    icon = kind.locator("svg").bounding_box()
    name = kind.evaluate(
        """h2 => { const r = document.createRange(); r.selectNodeContents(h2.lastChild);
                   const b = r.getBoundingClientRect(); return {x: b.x, width: b.width}; }"""
    )
    assert icon["x"] > name["x"], (icon, name)  # the icon before its name, on the right
    assert_accessible(page, "Avoid in Arabic (phone)")
    keep_screenshot(page, "avoid-ar.png")

    go_to(page, "التقدّم", "التقدّم")
    # The calendar reads from the right: Monday's column is the rightmost.
    monday, sunday = box(page, ".calendar th:first-child"), box(page, ".calendar th:last-child")
    assert monday["x"] > sunday["x"], (monday, sunday)
    assert_reads_from_the_right(page, "#course-h")
    assert_accessible(page, "Progress in Arabic (phone)")
    keep_screenshot(page, "progress-ar.png")

    go_to(page, "الإعدادات", "الإعدادات")
    assert_reads_from_the_right(page, "main h1")
    expect(page.get_by_label("اللغة")).to_have_value("ar")
    assert_accessible(page, "Settings in Arabic (phone)")
    keep_screenshot(page, "settings-ar.png")


CATALOGS_KEPT = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith("/i18n/")) kept.push(path);
    }
  }
  return kept.sort();
}"""


def catalogs_kept(page: Page) -> list[str]:
    """The app's catalogs the service worker keeps for offline."""
    return page.evaluate(CATALOGS_KEPT)


def wait_until_kept(page: Page, catalogs: list[str]) -> None:
    eventually(page, lambda: catalogs_kept(page) == catalogs, f"the worker keeps {catalogs}")


def language_on_server(live_server, client_id: int) -> str | None:
    with live_server.app.app_context():
        return db.session.get(Client, client_id).language


def test_the_client_chooses_arabic_in_settings_and_the_app_and_plan_follow(
    live_server, new_context
):
    page = new_context(viewport=PHONE).new_page()
    enrollment = live_server.add_client()
    page.goto(enrollment.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    wait_for_worker(page)
    wait_until_kept(page, ["/i18n/en.json"])  # English only, so far
    go_to(page, "Settings", "Settings")
    options = page.get_by_label("Language").locator("option")
    expect(options).to_have_text(["English", "العربية", "Español"])  # each in its own name
    expect(options.nth(1)).to_have_attribute("lang", "ar")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("الإعدادات")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("تمّ: التطبيق وخطتك الآن بهذه اللغة.")).to_be_visible()
    assert language_on_server(live_server, enrollment.client_id) == "ar"
    go_to(page, "اليوم", "اليوم")
    # The protocol's own texts came again, in Arabic: no Latin letter in a task's title.
    expect(page.locator(f"{TODAY_ROWS}//span[contains(@class, 'title')]").first).not_to_have_text(
        re.compile("[A-Za-z]")
    )

    # The worker kept English and, once chosen, Arabic: not Spanish, which this phone never shows.
    wait_for_worker(page)
    wait_until_kept(page, ["/i18n/ar.json", "/i18n/en.json"])
    go_offline(page)
    page.reload()  # offline too: the plan says Arabic, and its catalog is on the phone
    expect(page.get_by_role("heading", level=1)).to_have_text("اليوم")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_offline_the_language_is_not_changed_and_the_app_says_to_connect(live_server, new_context):
    page = new_context(viewport=PHONE).new_page()
    enrollment = live_server.add_client()
    page.goto(enrollment.url)
    expect(sync_status(page)).to_have_text("Up to date")
    go_to(page, "Settings", "Settings")
    go_offline(page)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("alert")).to_have_text(
        "You're offline. Connect to the internet to change the language."
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert language_on_server(live_server, enrollment.client_id) is None
