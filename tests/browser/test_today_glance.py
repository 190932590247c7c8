"""Today at a glance, on phones 320, 390 and 430 px wide: the first task above the fold, rows
that tick from a tap anywhere on them, the healing day, the course calendar and Avoid's dates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from .accessibility import assert_accessible
from .conftest import ZONE
from .phone import TODAY_ROWS, eventually, open_enrollment, redrawn, saved, store

PHONES = {320: 568, 390: 844, 430: 932}  # widths and heights of small, usual and large phones
ASK = "Get a reminder for"


def today_in_london() -> date:
    return datetime.now(ZoneInfo(ZONE)).date()


def enrolled(live_server, new_context, width: int, **options) -> Page:
    """A phone of this width with a fresh client's plan on it, as after opening their link."""
    viewport = {"width": width, "height": PHONES[width]}
    page = new_context(viewport=viewport, has_touch=True, is_mobile=True, **options).new_page()
    open_enrollment(page, live_server.add_client().url)
    return page


def required_today(live_server, page: Page) -> list[dict]:
    plan = live_server.plan(client_of(live_server, page))
    today = today_in_london().isoformat()
    return [o for o in plan["occurrences"] if o["date"] == today and not o["optional"]]


def client_of(live_server, page: Page) -> int:
    return live_server.device(saved(page, "token")).client_id


def box(locator: Locator) -> dict:
    """Where the element is now; asked again should a redraw (a sync's) replace it meanwhile."""
    found = None

    def measured() -> bool:
        nonlocal found
        found = locator.bounding_box()
        return found is not None

    eventually(locator.page, measured, "the element on screen")
    return found


def test_the_first_task_shows_above_the_fold_at_320_px_under_the_reminder_card(
    live_server, new_context
):
    page = enrolled(live_server, new_context, 320)
    card = page.get_by_role("region", name="Reminders")
    expect(card).to_contain_text(ASK)
    first = page.locator(TODAY_ROWS).first.locator(".row")
    expect(first).to_be_visible()
    assert page.evaluate("() => scrollY") == 0
    row, tabs = box(first), box(page.get_by_role("navigation", name="Sections"))
    assert box(card)["y"] < row["y"], "the reminder card comes first"
    # Whole, and not under the fixed tab bar.
    assert row["y"] >= 0 and row["y"] + row["height"] <= tabs["y"], (row, tabs)


def tap_points(row: Locator) -> dict[str, dict]:
    """Where a thumb may land on a row: its ends, its middle, its bottom edge, a top corner.
    Measured again before each tap: a ticked row drops its how-to and shrinks."""
    found = box(row)
    w, h = found["width"], found["height"]
    return {
        "left end": {"x": 3, "y": h / 2},
        "middle": {"x": w / 2, "y": h / 2},
        "right end": {"x": w - 3, "y": h / 2},
        "bottom edge": {"x": w / 3, "y": h - 2},
        "top left corner": {"x": 6, "y": 2},
    }


@pytest.mark.parametrize("width", sorted(PHONES))
def test_every_row_ticks_from_a_tap_anywhere_on_it(live_server, new_context, width):
    page = enrolled(live_server, new_context, width)
    # Today's, then those from yesterday; check-ins are answered, not ticked.
    rows = page.locator("main li.task:not(.checkin)")
    assert rows.count() >= 6, "the fixture's today and yesterday have several tasks"
    # A step that waits for the one before: a tap does nothing, and the row says why.
    blocked = page.locator(f"{TODAY_ROWS}[contains(@class, 'blocked')]").first
    expect(blocked.get_by_role("checkbox")).to_be_disabled()
    expect(blocked.locator(".said")).to_have_text(re.compile(r"^(Waiting|Missed) Do “.+” first\.$"))
    blocked.locator(".row").tap()
    expect(blocked.get_by_role("checkbox")).not_to_be_checked()
    assert store(page, "events") == []

    taps = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        tick = row.get_by_role("checkbox")
        occurrence = tick.get_attribute("id")[2:]  # t- today, y- from yesterday
        how = row.get_by_role("button", name=re.compile("^How"))
        if how.count():
            about = row.locator(".about")
            was_open = about.is_visible()
            how.tap()
            expect(how).to_have_attribute("aria-expanded", str(not was_open).lower())
            expect(about).to_be_hidden() if was_open else expect(about).to_be_visible()
            expect(tick).not_to_be_checked()  # the how-to's button never ticks
        target = row.locator(".row")
        for n, where in enumerate(tap_points(target)):
            point = tap_points(target)[where]
            redrawn(page, partial(target.tap, position=point))
            if n % 2 == 0:
                expect(tick, f"{where} of row {index}").to_be_checked()
                expect(row).to_have_attribute("data-state", "done")
            else:
                expect(tick, f"{where} of row {index}").not_to_be_checked()
                expect(row).not_to_have_attribute("data-state", "done")
        taps[occurrence] = n + 1
    # Each tap made one tick or untick on the phone, for that row's own task.
    events = store(page, "events")
    assert {e["occurrence"] for e in events} == set(taps)
    for occurrence, count in taps.items():
        actions = [e["action"] for e in events if e["occurrence"] == occurrence]
        assert (actions.count("done"), actions.count("undone")) == ((count + 1) // 2, count // 2)


def test_the_header_says_the_healing_day_and_how_much_is_done(live_server, new_context):
    page = enrolled(live_server, new_context, 390)
    due = required_today(live_server, page)
    # The session ended two days ago: its own day was day 1.
    header = page.locator("main .healing")
    expect(header).to_have_text(re.compile(rf"^Day 3 after session 1 · 0 of {len(due)} done"))
    ring = page.get_by_role("img", name=re.compile(rf"^Today: 0 of {len(due)} done"))
    expect(ring).to_be_visible()
    ticks = page.locator(f"{TODAY_ROWS}[not(@data-state='optional')]//input")
    for index in range(ticks.count()):
        ticks.nth(index).check()
    expect(header).to_have_text(f"Day 3 after session 1 · All {len(due)} done")
    expect(page.get_by_role("img", name=f"Today: All {len(due)} done")).to_be_visible()

    page.get_by_role("link", name="Progress").click()
    calendar = page.get_by_role("table", name="Your course")
    today = calendar.locator("td[aria-current=date]")
    expect(today).to_have_count(1)
    expect(today).to_have_attribute("data-state", "all")
    day = today_in_london()
    expect(today).to_contain_text(
        f"{day.strftime('%a')} {day.day} {day.strftime('%b')}: "
        f"{len(due)} of {len(due)} tasks done (all done), today"
    )
    # Yesterday went unticked: its square has the cross, and says so in words.
    yesterday = calendar.locator(f"td[data-date='{day - timedelta(days=1)}']")
    expect(yesterday).to_have_attribute("data-state", "none")
    expect(yesterday.locator(".sq-cross")).to_have_count(1)
    expect(yesterday).to_contain_text("(little or none done)")
    key = page.get_by_role("list", name="Key to the calendar")
    expect(key.get_by_role("listitem")).to_have_count(8)  # six states, the session dot, today
    expect(page.get_by_role("heading", name="Day by day")).to_be_visible()


@pytest.mark.parametrize("width", [320, 430])
def test_avoid_says_each_date_once(live_server, new_context, width):
    page = enrolled(live_server, new_context, width)
    page.get_by_role("link", name="Avoid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What to avoid")
    for heading in ("Coming up", "Good news ahead"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    dates = page.locator("main section.dated h3").all_inner_texts()
    coming = [d for d in dates if d.startswith("From ")]
    good = [d for d in dates if not d.startswith("From ")]
    assert coming and good
    assert len(set(coming)) == len(coming) and len(set(good)) == len(good), dates
    good_news = page.locator(
        "xpath=//main/h2[.='Good news ahead']/following-sibling::section//li"
    ).all_inner_texts()
    assert good_news and not [t for t in good_news if "from today" in t.lower()], good_news
    # Several rules start with the final session: one heading, all of them under it.
    final = page.locator("main section.dated").filter(has_text=re.compile(r"^From "))
    assert final.first.get_by_role("listitem").count() > 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_glance_screens_have_no_axe_violations(live_server, new_context, scheme):
    page = enrolled(live_server, new_context, 390, color_scheme=scheme)
    expect(page.get_by_role("region", name="Reminders")).to_contain_text(ASK)
    assert_accessible(page, f"Today ({scheme})")
    page.locator(TODAY_ROWS).first.get_by_role("checkbox").check()
    assert_accessible(page, f"Today with a task done ({scheme})")
    for name, heading in (("Progress", "Progress"), ("Avoid", "What to avoid")):
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, f"{heading} ({scheme})")
