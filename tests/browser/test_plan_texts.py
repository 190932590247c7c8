"""The protocol's own words on the client's phone: its summary under Today's "Your plan", each
restriction's kind on Avoid (an icon and a name), and why a task sits after bedtime."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .conftest import ZONE
from .phone import TODAY_ROWS, open_enrollment

LATE = "Later than your usual bedtime, because your session ended late: do it before you sleep."


def test_your_plan_opens_the_protocols_summary_without_pushing_the_tasks_down(
    live_server, new_context
):
    page = new_context(viewport={"width": 320, "height": 568}).new_page()
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    first_row = page.locator(TODAY_ROWS).first
    expect(first_row).to_be_visible()
    heading, row = page.get_by_role("heading", level=1), first_row.bounding_box()
    button = page.get_by_role("button", name="Your plan in short")
    expect(button).to_have_attribute("aria-expanded", "false")
    # Beside the heading, on its line: nothing under it moved for the button.
    assert abs(button.bounding_box()["y"] - heading.bounding_box()["y"]) < 12
    summary = page.get_by_text(re.compile(r"^Leave the scalp alone for a day, then cleanse"))
    expect(summary).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(summary).to_be_visible()
    assert first_row.bounding_box()["y"] > row["y"]  # opened, it comes before the tasks
    button.click()
    expect(summary).to_be_hidden()


def test_a_task_after_bedtime_says_why_on_the_next_day(live_server, page):
    """A session that ended at 23:30 last night: the 24 hours without products end at 23:30
    tonight, after the 23:00 bedtime, so tonight's cleanse and balm are set then, and Today
    says why on that card."""
    zone = ZoneInfo(ZONE)
    yesterday = datetime.now(zone).date() - timedelta(days=1)
    start = datetime.combine(yesterday, time(19, 30), tzinfo=zone).astimezone(UTC)
    enrollment = live_server.add_client(sessions=[(start, start + timedelta(hours=4))])
    warnings = live_server.plan(enrollment.client_id)["warnings"]
    assert [(w["code"], w["task"]) for w in warnings] == [("task_after_bedtime", "cleanse")]
    open_enrollment(page, enrollment.url)
    at_half_past_eleven = page.get_by_role("heading", name=re.compile("23:30"))
    late = page.locator("main section.slot").filter(has=at_half_past_eleven)
    expect(late.locator("p.late")).to_have_text(LATE)
    expect(late.get_by_role("checkbox")).to_have_count(2)  # the cleanse, and the balm after it
    expect(page.locator("p.late")).to_have_count(1)  # on that card only


def test_avoid_groups_what_holds_now_by_kind_with_an_icon_and_its_name(live_server, page):
    open_enrollment(page, live_server.add_client().url)
    page.get_by_role("link", name="Avoid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What to avoid")
    # Two days after the session: the shower ban (water) and the shaving ban hold.
    kinds = page.locator("main > ul > li.avoid")
    expect(kinds.first).to_be_visible()
    headings = kinds.get_by_role("heading", level=2)
    names = headings.all_inner_texts()
    assert "Shaving" in names and "Water" in names, names
    assert len(names) == len(set(names)), "each kind once"
    shaving = kinds.filter(has=page.get_by_role("heading", name="Shaving"))
    expect(shaving).to_contain_text("No shaving — 2 more days")
    # The icon is decoration: hidden from screen readers, the name says it.
    icon = shaving.get_by_role("heading").locator("svg")
    expect(icon).to_have_attribute("aria-hidden", "true")
    expect(shaving.get_by_role("heading")).to_have_accessible_name("Shaving")
    # What starts later carries its icon too.
    expect(page.locator("main section.dated li svg.cat-icon").first).to_be_visible()


def test_a_client_whose_plan_is_in_spanish_reads_the_protocols_spanish_texts(live_server, page):
    """The phone fetches the protocol's texts in the plan's language: the task titles and what
    to avoid are the Spanish translation's, and the app's own words are Spanish too."""
    page.goto(live_server.add_client(language="es").url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoy")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(TODAY_ROWS).first).to_contain_text("Limpia el cuero cabelludo")
    page.get_by_role("link", name="Evitar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Qué evitar")
    expect(page.locator("main strong", has_text="No toques la zona tratada")).to_be_visible()
