"""Every screen of the client app in the pseudo-locale (en-XA) on a 320 px phone: each text a
person reads comes from the app's catalogs, so each is between ⟦ ⟧, and nothing is cut off
or runs off the screen.

Not from the app's catalogs, by the dashboard's rule (tests/dashboard/test_pseudo_locale.py):
names (<bdi>), dates, times and weekday names made by Intl (<time>), the protocol's texts
(data-source="protocol", translated with the protocol), the server's own messages
(data-source="server"), languages named in their own language (lang=...), the product's name
(translate="no"), and text with no letter.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from server.catalogs import CLOSE, OPEN
from tests.dashboard.test_pseudo_locale import Texts
from tests.dashboard.test_pseudo_locale import untranslated as dashboard_untranslated
from tests.support.images import phone_jpeg

from .phone import go_offline, go_online, put_tick, saved, wait_for_outbox
from .test_checkins import enroll_leo

pytestmark = pytest.mark.slow
NARROW = {"width": 320, "height": 568}
PSEUDO_TODAY = "⟦Ţöðàý··⟧"

# What sticks out: the page wider than the screen, or an element whose own box clips text.
CUT_OFF = """() => {
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > innerWidth) found.push(`page ${page}px wide`);
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest(".brand, .skip, [hidden], .sr *")) continue;
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const text = element.textContent.slice(0, 40);
    const name = `${element.tagName.toLowerCase()}.${element.className} “${text}”`;
    if (box.left < -1 || box.right > innerWidth + 1) found.push(`off the screen: ${name}`);
    const clips = getComputedStyle(element).overflowX !== "visible" && !element.closest(".sr");
    if (clips && element.scrollWidth > element.clientWidth + 1) found.push(`cut off: ${name}`);
  }
  return found;
}"""


@pytest.fixture
def pseudo(live_server):
    live_server.app.config["PSEUDO_LOCALE"] = True
    yield
    live_server.app.config["PSEUDO_LOCALE"] = False


@pytest.fixture
def phone(new_context, pseudo):
    return new_context(viewport=NARROW, locale="en-XA").new_page()


class AllTexts(Texts):
    """The dashboard walk's parser, keeping a text of markers alone too: a catalog text that
    opens with an element ("{day} at {time}") has "⟦" as its first text node."""

    def handle_data(self, data):
        text = data.strip()
        markers_only = (OPEN in text or CLOSE in text) and not re.search(r"[^\W\d_]", text)
        if markers_only and not (self.open and self.open[-1]):
            self.found.append(text)
            return
        super().handle_data(data)


def untranslated(page: str) -> list[str]:
    """Texts outside ⟦ ⟧ that have a letter in them, as the dashboard's walk counts them."""
    return dashboard_untranslated(page, AllTexts)


def assert_all_from_catalogs(page: Page, screen: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "en-XA")
    leftovers = untranslated(page.content())
    assert not leftovers, f"{screen}: text from no catalog: {leftovers}"
    cut = page.evaluate(CUT_OFF)
    assert not cut, f"{screen} at 320 px: {cut}"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def tab(page: Page, index: int) -> None:
    page.locator("#tabs a").nth(index).click()


def test_every_screen_of_an_enrolled_phone_speaks_only_from_catalogs(live_server, phone):
    page = phone
    page.goto(live_server.add_client(name="Noor", protocol="seven-derma", answers={}).url)
    expect(heading(page)).to_have_text("⟦Àƀöûţ ýöû····⟧")  # the first-run questions
    assert_all_from_catalogs(page, "the first-run questions")
    page.locator("main button.quiet").click()  # not now
    expect(heading(page)).to_have_text(PSEUDO_TODAY)
    expect(page.locator("#sync-state")).to_have_text("⟦Ûþ ţö ðàţé····⟧")
    assert_all_from_catalogs(page, "Today")
    for index, screen in ((1, "Avoid"), (2, "Progress"), (3, "Settings")):
        tab(page, index)
        expect(page.locator(f"#tabs a:nth-child({index + 1})")).to_have_attribute(
            "aria-current", "page"
        )
        assert_all_from_catalogs(page, screen)
    page.locator("#my-data button.danger").click()  # the deletion's question
    expect(page.locator("#confirm-delete")).to_be_visible()
    assert_all_from_catalogs(page, "Settings, asking to delete my data")
    page.locator("#confirm-delete + .actions button.danger").click()
    expect(page.locator("#deletion-asked")).to_be_visible()
    assert_all_from_catalogs(page, "Settings, deletion asked")
    go_offline(page)
    page.locator("#language-card button").click()
    expect(page.locator("#language-card [role=alert]")).to_be_visible()
    assert_all_from_catalogs(page, "Settings, a change refused offline")
    go_online(page)


def test_enrollment_switching_kept_ticks_and_disconnection_speak_only_from_catalogs(
    live_server, phone
):
    page = phone
    page.goto(f"{live_server.url}/")
    expect(heading(page)).to_contain_text("⟦Ŵéļçöɱé ţö")
    assert_all_from_catalogs(page, "the welcome")
    page.goto(f"{live_server.url}/enroll#not-a-code")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_all_from_catalogs(page, "a link that doesn't work")

    sam, alex = live_server.add_client("Sam", "North Clinic"), live_server.add_client("Alex")
    page.goto(f"{live_server.url}/")  # a link to the same path, another hash: a new page
    page.goto(sam.url)
    expect(heading(page)).to_have_text(PSEUDO_TODAY)
    occurrence = saved(page, "plan")["occurrences"][0]["id"]
    put_tick(page, {"id": "11111111-1111-4111-8111-111111111111", "occurrence": occurrence,
                    "action": "done", "at": "2026-01-01T00:00:00.000Z"})  # fmt: skip
    wait_for_outbox(page, 1)
    live_server.revoke(saved(page, "token"))
    page.reload()
    expect(heading(page)).to_contain_text("⟦Ţĥîš þĥöñé ŵàš ðîšçöññéçţéð")
    assert_all_from_catalogs(page, "disconnected, a tick unsent")

    page.goto(alex.url)
    expect(page.locator("#switch-question")).to_be_visible()
    assert_all_from_catalogs(page, "the question before switching plans")
    page.locator("main .actions button").first.click()
    expect(heading(page)).to_have_text(PSEUDO_TODAY)
    expect(page.locator("section.kept")).to_be_visible()
    assert_all_from_catalogs(page, "Today, with ticks kept for another plan")


def test_the_check_in_and_its_call_screen_speak_only_from_catalogs(live_server, phone, tmp_path):
    page = phone
    _, _, url = enroll_leo(live_server)
    page.goto(url)
    expect(heading(page)).to_have_text(PSEUDO_TODAY)
    page.locator("li.task.checkin button.answer").click()
    expect(page.locator("form.checkin-form")).to_be_visible()
    assert_all_from_catalogs(page, "the check-in's questions")
    # Its optional photo: the control, then the word that it was added.
    fixture = tmp_path / "scalp.jpg"
    fixture.write_bytes(phone_jpeg(800, 600))
    page.locator("#checkin-photo-input").set_input_files(str(fixture))
    expect(page.locator("form.checkin-form [role=status]")).not_to_be_empty()
    assert_all_from_catalogs(page, "the check-in with a photo added")
    # A red flag: every question's first answer, and pus for what comes from the skin.
    for group in page.locator("form.checkin-form fieldset").all():
        group.locator("label.choice").first.click()
    page.locator("form.checkin-form fieldset").nth(2).locator("label.choice").last.click()
    page.locator("form.checkin-form button[type=submit]").click()
    expect(page.locator("section.call-now")).to_be_visible()
    assert_all_from_catalogs(page, "the call screen")
