"""The client app's layout holds for every eye and thumb: larger text, a keyboard, dark mode,
an en-US phone, a 320 px screen. Screens are found by roles, not by their inner markup.

Larger text is emulated as a browser's text-size setting does it: the root font size grows
(`font-size: 130%` ... `200%` on <html>) and everything sized in rem and em grows with it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .conftest import LiveServer
from .phone import UP_TO_DATE, eventually, open_enrollment, saved, set_time, sync_status

TABS = ("Today", "Avoid", "Progress", "Settings")
PHONE = {"width": 320, "height": 568}
# (viewport width, text size): the sizes the app broke at, and the 200% WCAG asks for.
LARGE_TEXT = ((320, 130), (390, 150), (430, 175), (320, 200))

# Where a control is, and whether what a finger (or the eye) finds at its centre is the
# control itself (or its label), not something drawn over it.
UNCOVERED = """(element) => {
  const box = element.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const found = document.elementFromPoint(x, y);
  const own = found !== null && (element.contains(found) || found.contains(element)
    || (found.closest("label") !== null && found.closest("label") === element.closest("label")));
  return { top: box.top, bottom: box.bottom, left: box.left, right: box.right, own,
    found: found && found.outerHTML.slice(0, 80), what: element.outerHTML.slice(0, 80) };
}"""
ONE_LINE = """(element) => {
  const text = document.createRange();
  text.selectNodeContents(element);
  return text.getClientRects().length === 1;
}"""
# A layout-shift entry is kept from the first paint on, unless the client's input caused it.
RECORD_SHIFTS = """() => {
  const shifts = [];
  const keep = (entries) => {
    for (const entry of entries) if (!entry.hadRecentInput) shifts.push(entry.value);
  };
  const observer = new PerformanceObserver((list) => keep(list.getEntries()));
  observer.observe({ type: "layout-shift", buffered: true });
  // Entries still queued for the observer are taken too: none is missed by reading early.
  window.layoutShifts = () => { keep(observer.takeRecords()); return shifts; };
}"""
NEXT_FRAMES = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
)


def text_size(page: Page, percent: int) -> None:
    page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", f"{percent}%")


def enrolled_phone(live_server: LiveServer, new_context, **options) -> Page:
    """A phone with a plan, synced, and its reminder settings from the server (Settings shows
    every field then)."""
    page = new_context(**{"viewport": PHONE, **options}).new_page()
    open_enrollment(page, live_server.add_client().url)
    eventually(page, lambda: saved(page, "reminders") is not None, "the reminder settings")
    return page


def go_to(page: Page, tab: str) -> None:
    """Tap a tab and wait until its screen is drawn (the tab is marked current then)."""
    link = page.get_by_role("navigation", name="Sections").get_by_role("link", name=tab)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")


def uncovered(page: Page, locator) -> dict:
    return locator.evaluate(UNCOVERED)


@pytest.mark.parametrize(("width", "percent"), LARGE_TEXT)
def test_every_tab_and_every_screen_stays_reachable_with_larger_text(
    live_server, new_context, width, percent
):
    page = enrolled_phone(live_server, new_context, viewport={"width": width, "height": 640})
    text_size(page, percent)
    tabs = page.get_by_role("navigation", name="Sections")
    for tab in TABS:
        link = tabs.get_by_role("link", name=tab)
        box = uncovered(page, link)
        assert box["own"], f"{tab} is covered by {box['found']}"
        assert box["left"] >= 0 and box["right"] <= width, f"{tab} is off the screen: {box}"
        assert box["top"] >= 0 and box["bottom"] <= 640, f"{tab} is off the screen: {box}"
        assert link.evaluate(ONE_LINE), f"{tab}'s name is broken over lines"
        go_to(page, tab)
    # The last control of the longest screen scrolls clear of the bar.
    sign_out = page.get_by_role("button", name="Sign out from this phone")
    sign_out.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    box = uncovered(page, sign_out)
    assert box["own"], f"Sign out is covered by {box['found']}"


def focus_walk(page: Page, where: str) -> int:
    """Tab through every control from the top; none may end up under the tab bar.

    Returns how many there were: the walk ends when focus leaves the page or comes round.
    """
    page.locator("main").focus()  # the screen's start: Tab goes on to its first control
    tabs = page.locator("#tabs")
    seen: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle(
            "() => document.activeElement === document.body ? null : document.activeElement"
        )
        key = focused.evaluate("(e) => e && (e.id || e.outerHTML.slice(0, 160))")
        if key is None or key in seen:
            return len(seen)
        seen.append(key)
        box = focused.evaluate(UNCOVERED)
        height = page.evaluate("() => innerHeight")
        assert box["top"] >= 0 and box["bottom"] <= height, f"{where}: {box['what']} is off screen"
        if tabs.is_visible() and not focused.evaluate("(e) => e.closest('#tabs') !== null"):
            bar = tabs.bounding_box()
            assert box["bottom"] <= bar["y"], f"{where}: {box['what']} is behind the tab bar"
        assert box["own"], f"{where}: {box['what']} is covered by {box['found']} {box}"
    raise AssertionError(f"{where}: focus never came back round")


@pytest.mark.parametrize("percent", (100, 200))
def test_focus_is_never_hidden_behind_the_tab_bar(live_server, new_context, percent):
    page = enrolled_phone(live_server, new_context)
    text_size(page, percent)
    for tab in TABS:
        go_to(page, tab)
        assert focus_walk(page, f"{tab} at {percent}%") >= len(TABS)
    welcome = new_context(viewport=PHONE).new_page()
    welcome.goto(live_server.url)
    expect(welcome.get_by_role("heading", level=1)).to_have_text("Welcome to Aftercue")
    text_size(welcome, percent)
    focus_walk(welcome, f"the welcome screen at {percent}%")


def test_today_does_not_move_after_its_first_paint(live_server, new_context):
    page = enrolled_phone(live_server, new_context)
    expect(page.get_by_role("region", name="Reminders")).to_be_visible()
    page.context.add_init_script(script=f"({RECORD_SHIFTS})()")
    # A slow network, made certain: the first sync waits until Today has been painted from what
    # the phone holds, then goes on. Nothing drawn after that may move what was painted.
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.context.route(re.compile(r"/api/v1/me/sync$"), hold_the_first)
    with page.expect_response(re.compile(r"/api/v1/me/reminders$")):
        page.reload()
        expect(page.get_by_role("checkbox").first).to_be_visible()
        page.evaluate(NEXT_FRAMES)
        eventually(page, lambda: held, "the sync asked for")
        held[0].continue_()
    # Settled: synced, and the reminders' own check with the server done and drawn.
    expect(sync_status(page)).to_have_text(UP_TO_DATE)
    expect(page.get_by_role("region", name="Reminders")).to_be_visible()
    page.evaluate(NEXT_FRAMES)
    assert page.evaluate("() => window.layoutShifts()") == []

    # The update banner comes over the page, above the tabs: nothing under it moves, and the
    # last control still scrolls clear of it.
    page.evaluate("""() => {
      const banner = document.getElementById("banner");
      const text = document.createElement("p");
      text.textContent = "A new version of Aftercue is ready.";
      banner.replaceChildren(text);
      banner.hidden = false;
    }""")
    page.evaluate(NEXT_FRAMES)
    assert page.evaluate("() => window.layoutShifts()") == []
    go_to(page, "Settings")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    box = uncovered(page, page.get_by_role("button", name="Sign out from this phone"))
    assert box["own"], f"Sign out is covered by {box['found']}"


def test_times_are_24_hour_on_an_en_us_phone_and_still_save(live_server, new_context):
    page = enrolled_phone(live_server, new_context, locale="en-US")
    go_to(page, "Settings")
    assert page.locator("input[type=time]").count() == 0
    wake = page.get_by_role("group", name="I usually get up at")
    expect(wake.get_by_label("Hour")).to_have_value("07")
    hours = wake.get_by_label("Hour").locator("option").all_text_contents()
    assert hours == [f"{hour:02}" for hour in range(24)]
    assert not re.search(r"\b(AM|PM)\b", page.locator("main").inner_text(), re.IGNORECASE)

    set_time(page.get_by_role("group", name="I usually go to bed at"), "23", "30")
    with page.expect_response(re.compile(r"/api/v1/me/settings$")) as response:
        page.get_by_role("button", name="Save my day").click()
    assert response.value.status == 200
    expect(page.get_by_text("Saved. Your task times have moved.")).to_be_visible()
    assert saved(page, "profile")["bed"] == "23:30"

    # Quiet hours: half a time is said, not sent.
    page.get_by_role("group", name="From").get_by_label("Hour").select_option("22")
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Choose both the hour and the minutes of each quiet-hours time, or leave them empty."
    )
    set_time(page.get_by_role("group", name="From"), "22", "00")
    set_time(page.get_by_role("group", name="Until"), "07", "15")
    with page.expect_response(re.compile(r"/api/v1/me/reminders$")) as response:
        page.get_by_role("button", name="Save reminder settings").click()
    assert response.value.request.post_data_json["quiet_start"] == "22:00"
    assert response.value.request.post_data_json["quiet_end"] == "07:15"
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()


def relative_luminance(rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(n) for n in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, two: str) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


HEADER_COLOURS = """() => {
  const style = getComputedStyle(document.querySelector("header"));
  const probe = document.createElement("i");
  document.body.append(probe);
  const colour = (meta) => {
    probe.style.color = meta.content;
    return getComputedStyle(probe).color;
  };
  const themes = Object.fromEntries([...document.querySelectorAll("meta[name=theme-color]")]
    .map((meta) => [meta.media, colour(meta)]));
  probe.remove();
  return { background: style.backgroundColor, text: style.color, themes,
    accent: getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() };
}"""


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_the_header_matches_its_theme_colour_and_reads_clearly(live_server, new_context, scheme):
    page = enrolled_phone(live_server, new_context, color_scheme=scheme)
    colours = page.evaluate(HEADER_COLOURS)
    assert colours["themes"][f"(prefers-color-scheme: {scheme})"] == colours["background"]
    assert contrast(colours["background"], colours["text"]) >= 4.5, colours
    if scheme == "dark":  # the mint accent stays for accents: a dark bar, light text
        assert relative_luminance(colours["background"]) < 0.05, colours
        assert relative_luminance(colours["text"]) > 0.7, colours


def test_a_long_clinic_name_keeps_to_one_line_beside_the_sync_label(live_server, new_context):
    name = "The Scalp Micropigmentation Clinic of North London"
    page = new_context(viewport=PHONE).new_page()
    open_enrollment(page, live_server.add_client(clinic=name).url)
    brand = page.locator("#clinic")
    expect(brand).to_have_text(name)
    expect(brand).to_have_attribute("title", name)
    line = brand.evaluate("(e) => parseFloat(getComputedStyle(e).lineHeight)")
    assert brand.bounding_box()["height"] <= line + 1
    page.context.set_offline(True)
    page.get_by_role("checkbox").first.check()
    expect(sync_status(page)).to_have_text(re.compile("^Saved on this phone"))
    assert brand.bounding_box()["height"] <= line + 1
    label = sync_status(page).bounding_box()
    assert label["x"] >= 0 and label["x"] + label["width"] <= PHONE["width"]


def test_the_reminder_card_is_compact_and_speaks_of_this_plan(live_server, new_context):
    page = enrolled_phone(live_server, new_context)
    card = page.get_by_role("region", name="Reminders")
    expect(card).to_contain_text("“Cleanse your scalp” and “Apply balm”")
    # The card leaves most of a 320 px screen to the tasks.
    assert card.bounding_box()["height"] <= PHONE["height"] / 3


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_every_screen_has_no_axe_violations(live_server, new_context, scheme):
    page = enrolled_phone(live_server, new_context, color_scheme=scheme)
    for tab in TABS:
        go_to(page, tab)
        assert_accessible(page, f"{tab} ({scheme})")
    welcome = new_context(viewport=PHONE, color_scheme=scheme).new_page()
    welcome.goto(live_server.url)
    expect(welcome.get_by_role("heading", level=1)).to_have_text("Welcome to Aftercue")
    assert_accessible(welcome, f"the welcome screen ({scheme})")
