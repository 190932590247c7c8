"""The app shell as served: the service worker's precache list, the manifest, installability."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess

import pytest
from playwright.sync_api import expect

from server.phone import bundle
from server.phone.app_shell import PWA_DIR, shell

from .conftest import CHROMIUM, CHROMIUM_ARGS, WAIT_MS
from .phone import wait_for_worker

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SPECIAL = {"sw.js", "index.html"}  # the worker itself, and the shell page precached as "/"
# The page's screens by path, read by importing the module that lists them.
PAGE_VIEWS = "console.log(JSON.stringify(Object.keys((await import(process.argv[1])).VIEWS)))"


@pytest.fixture
def http(live_server):
    return live_server.app.test_client()


def fetch(http, url: str):
    """GET `url`; the response, read and closed (files are streamed, so it must be closed)."""
    with http.get(url) as response:
        response.get_data()
    return response


def injected(source: str, name: str) -> list[str]:
    """A list the server wrote into sw.js as `const NAME=[...];` (served without spaces)."""
    match = re.search(rf"^const {name}=(\[.*\]);$", source, re.MULTILINE)
    assert match, f"sw.js has no {name} list"
    return json.loads(match.group(1))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header: the signature, then the IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_every_shipped_file_the_app_draws_offline_is_precached(http):
    entries = injected(fetch(http, "/sw.js").get_data(as_text=True), "PRECACHE")
    listed = [entry["url"].partition("?")[0] for entry in entries]
    shipped = {
        "/" + path.relative_to(PWA_DIR).as_posix()
        for path in PWA_DIR.rglob("*")
        if path.is_file() and path.relative_to(PWA_DIR).as_posix() not in SPECIAL
    }
    # Only the icon of the page and of notifications: the rest are for installing, online.
    icons = {path for path in shipped if path.startswith("/icons/")}
    assert icons & set(listed) == {"/icons/icon-192.png"}
    # Modules are written into sw.js and the page's script: the phone needs no copy of its own.
    worker = fetch(http, "/sw.js").get_data(as_text=True)
    page = fetch(http, "/").get_data(as_text=True)
    script = fetch(http, re.search(r'<script type="module" src="([^"]+)"', page)[1])
    left_out = shipped - icons - set(listed)
    for path in left_out:
        variable = f"const {bundle._variable(path)}="
        assert variable in worker or variable in script.get_data(as_text=True), path
        assert f'"{path}?v=' not in page, f"the page loads {path}, which is not precached"
    assert left_out <= {path for path in shipped if path.endswith(".js")}
    assert "/" in listed
    assert len(listed) == len(set(listed))
    for entry in entries:
        response = fetch(http, entry["url"])
        assert response.status_code == 200, entry["url"]
        digest = hashlib.sha256(response.get_data()).hexdigest()
        assert len(entry["sha256"]) == 16 and digest.startswith(entry["sha256"]), entry["url"]


def test_the_served_worker_has_its_version_and_scope(http):
    response = fetch(http, "/sw.js")
    source = response.get_data(as_text=True)
    assert "__APP_VERSION__" not in source
    assert "__PRECACHE__" not in source
    assert "__ROUTES__" not in source
    assert f'const VERSION="{shell().version}";' in source
    assert re.fullmatch(r"[0-9a-f]{12}", shell().version)
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_page_and_its_worker_know_the_same_routes_as_the_server(http):
    # The server's list reaches the worker in sw.js; the page has a screen for each but /enroll,
    # which it handles before any screen is drawn.
    routes = injected(fetch(http, "/sw.js").get_data(as_text=True), "ROUTES")
    module = (PWA_DIR / "js" / "page" / "routes.js").as_uri()
    page = subprocess.run(
        ["node", "--input-type=module", "-e", PAGE_VIEWS, module],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert sorted(routes) == sorted([*json.loads(page.stdout), "/enroll"])
    for route in routes:
        response = fetch(http, route)
        assert (response.status_code, response.mimetype) == (200, "text/html"), route


def test_the_manifest_makes_an_installable_app(http):
    response = fetch(http, "/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data())
    for key in ("name", "short_name", "start_url", "theme_color"):
        assert manifest.get(key), key
    assert manifest["display"] == "standalone"

    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    for size in ("192x192", "512x512"):
        assert {(size, "any"), (size, "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = fetch(http, icon["src"])
        assert image.status_code == 200, icon["src"]
        assert image.mimetype == icon["type"] == "image/png"
        width, height = png_size(image.get_data())
        assert f"{width}x{height}" == icon["sizes"], icon["src"]
        assert (PWA_DIR / icon["src"].lstrip("/")).is_file()


def test_chromium_finds_the_shell_installable(live_server, playwright, tmp_path):
    # Not the shared browser: its contexts are incognito, which Chromium never installs from.
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Aftercue")
        wait_for_worker(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{live_server.url}/manifest.webmanifest"
        assert manifest["errors"] == []
        assert manifest["manifest"]["display"] == "kStandalone"
        assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    finally:
        context.close()


# Each rule of a stylesheet as Chromium reads it (its CSSOM, serialised; a media rule with the
# rules inside it). A declaration Chromium cannot read is left out of it. A value with var() is
# kept as written, so the space after its commas (which means nothing in CSS) is ignored.
CSS_RULES = """(text) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return Array.from(sheet.cssRules, (rule) => rule.cssText.replace(/,\\s+/g, ","));
}"""


def test_the_served_stylesheet_is_the_same_rules_as_its_source(page):
    served = shell().files["/app.css"].body.decode()
    source = (PWA_DIR / "app.css").read_text(encoding="utf-8")
    assert len(served) < len(source)
    assert page.evaluate(CSS_RULES, served) == page.evaluate(CSS_RULES, source)
