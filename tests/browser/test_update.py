"""A new app version is picked up: offered once it is ready, and in charge after one tap."""

import hashlib
import shutil
from dataclasses import replace

from playwright.sync_api import expect

from server.phone import app_shell

from .phone import open_enrollment

ACTIVE_CACHES = (
    """async () => (await caches.keys()).filter((name) => name.startsWith("aftercue-shell-"))"""
)
CHECK_FOR_UPDATE = (
    """async () => { const r = await navigator.serviceWorker.ready; await r.update(); }"""
)
WAITING = """async () => {
  const r = await navigator.serviceWorker.ready;
  return r.waiting !== null && r.active !== null;
}"""
WORKER_VERSION = """async () => {
  const response = await fetch("/sw.js", { cache: "no-store" });
  return (await response.text()).match(/const VERSION="([^"]+)"/)[1];
}"""


def test_a_new_version_is_offered_and_takes_over_after_one_tap(live_server, page, monkeypatch):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    old = app_shell.shell()
    assert page.evaluate(ACTIVE_CACHES) == [f"aftercue-shell-{old.version}"]

    # The app checks for an update on every load. On a busy machine that check may still be
    # running now, and the browser folds an update() into a running one, which has already read
    # the old script: let it finish before the deploy, or our check would come back empty.
    page.evaluate(CHECK_FOR_UPDATE)

    # A deploy: the server now serves a worker with another version (as a changed pwa/ gives).
    new = replace(old, version=old.version[::-1])
    monkeypatch.setattr(app_shell, "shell", lambda *args: new)
    assert page.evaluate(WORKER_VERSION) == new.version
    page.evaluate(CHECK_FOR_UPDATE)

    # Installing precaches the whole shell again: allow for a busy machine. Waiting for the
    # worker first tells a failed install apart from a banner that was never shown.
    page.wait_for_function(WAITING, timeout=30000)
    banner = page.locator("#banner")
    expect(banner).to_contain_text("A new version of Aftercue is ready.")
    # Nothing is forced on a client mid-task: the new worker waits, the old one stays in charge.
    assert f"aftercue-shell-{old.version}" in page.evaluate(ACTIVE_CACHES)
    with page.expect_navigation():
        banner.get_by_role("button", name="Update now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.wait_for_function(
        "async (v) => (await caches.keys()).includes(`aftercue-shell-${v}`)", arg=new.version
    )
    # The new worker cleaned up after the old one: no stale shell is left behind.
    assert page.evaluate(ACTIVE_CACHES) == [f"aftercue-shell-{new.version}"]
    expect(page.locator("#banner")).to_be_hidden()


# Each file the precache named `name` holds, by URL, with the SHA-256 of its body.
def as_precached(shell) -> str:
    """The SHA-256 of the page as the worker keeps it: the new page, as the server sends it."""
    return hashlib.sha256(shell.files["/index.html"].body).hexdigest()


PRECACHED = """async (name) => {
  const cache = await caches.open(name);
  const kept = {};
  for (const request of await cache.keys()) {
    const body = await (await cache.match(request)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    const url = new URL(request.url);
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0"));
    kept[url.pathname + url.search] = hex.join("");
  }
  return kept;
}"""


def deployed(tmp_path, changes: dict[str, str]) -> app_shell.Shell:
    """The shell of a copy of pwa/ with a line added to each file in `changes`."""
    copy = tmp_path / "pwa"
    shutil.copytree(app_shell.PWA_DIR, copy)
    for name, line in changes.items():
        path = copy / name
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    return app_shell.shell(copy)


def test_an_update_keeps_no_old_file_even_from_a_stale_http_cache(
    live_server, page, monkeypatch, tmp_path
):
    open_enrollment(page, live_server.add_client().url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.evaluate(CHECK_FOR_UPDATE)  # see above: no update check still running
    old = app_shell.shell()
    # A deploy that changes the page, whose URL stays / (the old one is in the browser's HTTP
    # cache and the old precache), and one module, which gets a new URL. (A change of code:
    # the module is served without comments and blank lines, so those would change nothing.)
    new = deployed(
        tmp_path,
        {
            "index.html": "<!-- deployed -->\n",
            "js/shared/format.js": "export const DEPLOYED = 1;\n",
        },
    )
    assert new.files["/index.html"].sha256 != old.files["/index.html"].sha256
    monkeypatch.setattr(app_shell, "shell", lambda *args: new)
    page.evaluate(CHECK_FOR_UPDATE)
    # Offered once installed: its precache complete (installing precaches the whole shell).
    expect(page.locator("#banner")).to_contain_text("A new version", timeout=30000)

    kept = page.evaluate(PRECACHED, f"aftercue-shell-{new.version}")
    # Of the catalogs, English (this client's language) only: a phone needs one language.
    # (The precache list gives each hash's first digits.)
    wanted = [e for e in new.precache if e.get("language") in (None, "en")]
    assert len(wanted) < len(new.precache)
    expected = {**{e["url"]: e["sha256"] for e in wanted}, "/": as_precached(new)[:16]}
    assert {url: digest[:16] for url, digest in kept.items()} == expected
    with page.expect_navigation():
        page.locator("#banner").get_by_role("button", name="Update now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    # The page runs the new version's modules, from the new page: its script, which has them
    # written in, has a new URL.
    app = new.files["/js/page/main.js"].url
    assert app != old.files["/js/page/main.js"].url
    scripts = page.locator("script[type=module]")
    assert app in [scripts.nth(i).get_attribute("src") for i in range(scripts.count())]
