"""What the tests do on a phone: open links, find task cards, and look inside the app's storage."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

from .conftest import WAIT_MS

CLEANSE = "Cleanse your scalp"
BALM = "Apply balm"
TITLES = {"cleanse": CLEANSE, "balm": BALM}
UP_TO_DATE = "Up to date"
SAVED_ON_PHONE = "Saved on this phone — will send when online"

# On the Today screen each slot is a card directly in <main>: today's come first, then the
# "From yesterday" heading and yesterday's.
TODAY_CARDS = "xpath=//main/section[not(preceding-sibling::h2)]"
YESTERDAY_CARDS = "xpath=//main/h2[normalize-space()='From yesterday']/following-sibling::section"
# Every task row of today's cards, in order (an XPath, so a test may add a condition to it).
TODAY_ROWS = "xpath=//main/section[not(preceding-sibling::h2)]//li[contains(@class, 'task')]"

# The page's Content-Security-Policy forbids eval, so Playwright gets functions, never strings.
# Opening a database that doesn't exist yet would create it empty and break the app's own
# upgrade, so that open is aborted and read as "nothing stored".
READ = """async ({ name, key }) => {
  const db = await new Promise((resolve) => {
    const request = indexedDB.open("aftercue");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
  if (db === null) return key === null ? [] : null;
  try {
    const store = db.transaction(name).objectStore(name);
    const request = key === null ? store.getAll() : store.get(key);
    return await new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result ?? null);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}"""
WORKER_IN_CONTROL = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return registration.active.state === "activated" && navigator.serviceWorker.controller !== null;
}"""


def sync_status(page: Page) -> Locator:
    return page.get_by_role("status")


def open_enrollment(page: Page, url: str) -> None:
    """Open an enrollment link and wait until the phone is set up and has synced."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(sync_status(page)).to_have_text(UP_TO_DATE)


def slot(page: Page, name: str, *, yesterday: bool = False) -> Locator:
    """Today's (or yesterday's) card for one slot of the day: Morning, Midday, Evening..."""
    cards = page.locator(YESTERDAY_CARDS if yesterday else TODAY_CARDS)
    return cards.filter(has=page.get_by_role("heading", name=re.compile(rf"^{name}\b")))


def task(card: Locator, title: str) -> Locator:
    return card.get_by_role("checkbox", name=title)


def store(page: Page, name: str) -> list[dict]:
    """Everything in one of the app's IndexedDB stores: outbox or events."""
    return page.evaluate(READ, {"name": name, "key": None})


def saved(page: Page, key: str):
    """One value the app keeps in IndexedDB (token, plan, profile, cursor), or None."""
    return page.evaluate(READ, {"name": "kv", "key": key})


def wait_for_outbox(page: Page, count: int) -> list[dict]:
    """Wait until the outbox holds `count` ticks (they are written just after the click)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while len(outbox := store(page, "outbox")) != count:
        assert time.monotonic() < deadline, f"{len(outbox)} ticks in the outbox, not {count}"
        page.wait_for_timeout(50)
    return outbox


def wait_synced(page: Page) -> None:
    """Wait until every tick has left the outbox and the app says so."""
    wait_for_outbox(page, 0)
    expect(sync_status(page)).to_have_text(UP_TO_DATE)


def wait_for_worker(page: Page) -> None:
    """Wait until the service worker is active and controls this page."""
    page.wait_for_function(WORKER_IN_CONTROL, timeout=WAIT_MS)


# Every level-1 heading the app draws, in order, kept on the page: a screen that flashed by
# for one redraw is still in the list.
HEADINGS_SEEN = """() => {
  window.headingsSeen = [];
  new MutationObserver(() => {
    const heading = document.querySelector("main h1");
    const text = heading && heading.textContent;
    if (text && window.headingsSeen.at(-1) !== text) window.headingsSeen.push(text);
  }).observe(document, { childList: true, subtree: true, characterData: true });
}"""


def record_headings(context) -> None:
    """From now on, each page of `context` keeps every heading it drew (headings_seen)."""
    context.add_init_script(script=f"({HEADINGS_SEEN})()")


def headings_seen(page: Page) -> list[str]:
    return page.evaluate("() => window.headingsSeen")


def go_offline(page: Page) -> None:
    """Cut the phone off, and wait until the page itself knows (Chromium can lag a moment)."""
    page.context.set_offline(True)
    page.wait_for_function("() => navigator.onLine === false")


def go_online(page: Page) -> None:
    page.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine === true")


def come_back_to(page: Page) -> None:
    """The client returns to the app (another tab or app was in front): visibilitychange."""
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")


def worker_says_synced(page: Page) -> None:
    """What the service worker posts to each window after a sync of its own (sw/windows.js)."""
    page.evaluate(
        """() => navigator.serviceWorker.dispatchEvent(
             new MessageEvent("message", { data: { type: "synced" } }))"""
    )


def redrawn(page: Page, action) -> None:
    """Do `action` and wait until the app has drawn its screen again because of it."""
    page.evaluate("() => { document.querySelector('main h1').dataset.stale = 'yes'; }")
    action()
    page.wait_for_function(
        "() => { const h = document.querySelector('main h1'); return h && !h.dataset.stale; }"
    )


def eventually(page: Page, check, what: str) -> None:
    """Wait until `check()` is true: for what the app does after a tap, or the server after it."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        page.wait_for_timeout(50)


PUT_TICK = """async (event) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("aftercue");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = db.transaction(["outbox", "events"], "readwrite");
  tx.objectStore("outbox").put(event);
  tx.objectStore("events").put(event);
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = reject; });
  db.close();
}"""


def put_tick(page: Page, event: dict) -> None:
    """Write a tick into the app's outbox as a tap would, bypassing the screen's rules."""
    page.evaluate(PUT_TICK, event)


def set_time(group: Locator, hour: str, minute: str) -> None:
    """Choose a time in one of the app's 24-hour fields (a group named by its legend)."""
    group.get_by_label("Hour").select_option(hour)
    group.get_by_label("Minutes").select_option(minute)
