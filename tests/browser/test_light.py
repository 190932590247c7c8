"""What the app downloads: each shell file once on a first visit, a handful on a repeat visit."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import request, request_finished
from playwright.sync_api import expect

from server.phone.app_shell import shell

from .phone import go_offline, open_enrollment, sync_status, wait_for_worker

CHECK_FOR_UPDATE = (
    """async () => { const r = await navigator.serviceWorker.ready; await r.update(); }"""
)
# A repeat visit online: the service worker's update check (sw.js alone: its modules have
# URLs keyed by content, kept by the HTTP cache) and the app's sync with the server.
REPEAT_BUDGET = 5


@pytest.fixture
def served(live_server):
    """Every answer the server sends from now on: (URL with its query string, status)."""
    answers: list[tuple[str, int]] = []

    def record(_sender, response, **_extra):
        answers.append((request.full_path.removesuffix("?"), response.status_code))

    request_finished.connect(record, live_server.app)
    yield answers
    request_finished.disconnect(record, live_server.app)


def test_a_first_visit_downloads_each_file_once(live_server, page, served):
    open_enrollment(page, live_server.add_client().url)
    wait_for_worker(page)  # active: its precache is complete
    bodies = Counter(url for url, status in served if status == 200)
    # Of the catalogs, the worker keeps English, this client's language, only.
    precached = [e["url"] for e in shell().precache if e.get("language") in (None, "en")]
    catalogs = Counter(url.partition("?")[0] for url in bodies.elements() if "/i18n/" in url)
    assert catalogs == {"/i18n/en.json": 1}
    # The worker filled its precache from the page's downloads where it could: each file's
    # body crossed the wire once.
    assert {url: bodies[url] for url in precached if bodies[url] != 1} == {}
    # No module is revalidated: the worker imports none (they are written into sw.js), which
    # installing it would revalidate. At most sw.js itself, should the browser check it for an
    # update meanwhile, and the page's icon, which the browser may check when it shows it.
    revalidated = {url for url, status in served if status == 304}
    assert revalidated <= {"/sw.js", "/icons/icon-192.png"}, revalidated


def test_a_phone_in_arabic_downloads_and_keeps_its_own_catalog_only(
    live_server, new_context, served
):
    """A catalog as served has every key: no English beneath it, on the wire or in the cache."""
    page = new_context(locale="ar").new_page()
    page.goto(live_server.add_client(language="ar").url)
    expect(page.get_by_role("heading", level=1)).to_have_text("اليوم")
    wait_for_worker(page)
    catalogs = Counter(url.partition("?")[0] for url, status in served if "/i18n/" in url)
    assert catalogs == {"/i18n/ar.json": 1}  # one answer in all, its body
    assert ("/i18n/ar.json", 200) not in served  # asked for by its versioned URL
    kept = page.evaluate(
        """async () => (await Promise.all((await caches.keys()).map(async (name) =>
            (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname))))
            .flat().filter((path) => path.startsWith("/i18n/"))"""
    )
    assert kept == ["/i18n/ar.json"]


def test_a_repeat_visit_online_makes_a_handful_of_requests(live_server, page, served):
    open_enrollment(page, live_server.add_client().url)
    wait_for_worker(page)
    served.clear()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(sync_status(page)).to_have_text("Up to date")
    assert len(served) <= REPEAT_BUDGET, served
    shell_urls = {entry["url"] for entry in shell().precache}
    assert [url for url, _ in served if url in shell_urls] == []
    # The worker's update check, which each visit makes: only sw.js, unchanged. Its modules
    # are neither downloaded nor revalidated (their URLs are keyed by content).
    served.clear()
    page.evaluate(CHECK_FOR_UPDATE)
    # (The load's own check may still be answered meanwhile: also sw.js, unchanged.)
    assert {answer for answer in served if not answer[0].startswith("/api/")} == {("/sw.js", 304)}


def test_a_repeat_visit_offline_draws_today(live_server, page):
    open_enrollment(page, live_server.add_client().url)
    wait_for_worker(page)
    go_offline(page)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")


def test_the_worker_serves_the_page_as_the_server_sent_it_with_its_headers(live_server, page):
    """The precached page is the server's, byte for byte, and keeps its headers (the CSP)."""
    open_enrollment(page, live_server.add_client().url)
    wait_for_worker(page)
    from_server = live_server.app.test_client().get("/")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    served = page.evaluate(
        """async () => {
            const cached = await caches.match("/", { ignoreVary: true });
            return { text: await cached.text(), csp: cached.headers.get("Content-Security-Policy"),
                     controlled: navigator.serviceWorker.controller !== null };
        }"""
    )
    assert served["controlled"]
    assert served["text"] == from_server.text
    assert served["text"].count('<script type="module" src="') == 1
    assert served["csp"] == from_server.headers["Content-Security-Policy"]
