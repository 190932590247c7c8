"""The client app's languages agree with the server's, its catalogs cover every text it says,
its stylesheet serves both directions, and its pseudo-locale catalog is made from English."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from server.catalogs import CLOSE, OPEN
from server.languages import LANGUAGES, PSEUDO

PWA = Path(__file__).resolve().parents[1] / "pwa"
ENGLISH = json.loads((PWA / "i18n" / "en.json").read_text(encoding="utf-8"))
# t("key"), said("key"): every key written out in the code. Keys made at run time (a slot's,
# a state's, a kind's name) are walked by tests/browser/test_app_pseudo_locale.py.
USED = re.compile(r"""\b(?:t|said)\(\s*"([\w.-]+)\"""")


def app_languages() -> dict:
    script = (
        'import("./pwa/js/shared/i18n.js").then((m) => '
        "console.log(JSON.stringify({ languages: m.LANGUAGES, pseudo: m.PSEUDO })))"
    )
    cwd = PWA.parent
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, cwd=cwd
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_app_offers_the_servers_languages_by_their_own_names():
    found = app_languages()
    assert [(lang["code"], lang["name"], lang["dir"]) for lang in found["languages"]] == [
        (lang.code, lang.native_name, lang.direction) for lang in LANGUAGES.values()
    ]
    assert found["pseudo"]["code"] == PSEUDO.code


def test_every_text_the_app_says_is_in_its_english_catalog():
    used = {
        key
        for path in (PWA / "js").rglob("*.js")
        for key in USED.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "no t() found: the pattern no longer matches the code"
    assert sorted(used - ENGLISH.keys()) == []
    # And the shell page's own words.
    page = (PWA / "index.html").read_text(encoding="utf-8")
    marked = set(re.findall(r'data-i18n(?:-label)?="([\w.-]+)"', page))
    assert marked and marked <= ENGLISH.keys()


def test_the_app_stylesheet_serves_both_directions():
    """Logical properties only: margin-inline-start, not margin-left, so Arabic mirrors."""
    css = (PWA / "app.css").read_text(encoding="utf-8")
    physical = re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*\s*:", css)
    assert physical == []
    assert "text-align: left" not in css and "text-align: right" not in css


def test_the_pseudo_locale_catalog_is_made_from_english_only_when_offered(app, client):
    url = f"/i18n/{PSEUDO.code}.json"
    assert client.get(url).status_code == 404
    app.config["PSEUDO_LOCALE"] = True
    catalog = client.get(url).get_json()
    assert catalog.keys() - {"_meta"} == ENGLISH.keys() - {"_meta"}
    assert catalog["tab.today"] == f"{OPEN}Ţöðàý··{CLOSE}"
    # Placeholders kept, each plural form made.
    assert "{day}" in catalog["avoid.from"] and catalog["avoid.from"].startswith(OPEN)
    assert set(catalog["left.more_days"]) == {"one", "other"}
    assert all("{count}" in form for form in catalog["left.more_days"].values())


def test_the_app_catalogs_are_served_compressed_and_precached(client):
    response = client.get("/i18n/ar.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    worker = client.get("/sw.js").get_data(as_text=True)
    # Each listed with its language: the worker keeps English and the client's own only.
    for code in LANGUAGES:
        assert re.search(
            rf'"url":"/i18n/{code}\.json\?v=\w+","sha256":"\w+","language":"{code}"', worker
        )


def test_the_page_names_each_catalog_by_a_url_keyed_by_its_content(client):
    """The page asks for its catalog by that URL: kept for a year, never revalidated."""
    page = client.get("/").get_data(as_text=True)
    listed = json.loads(
        html.unescape(re.search(r'<meta name="catalogs" content="([^"]+)"', page)[1])
    )
    assert set(listed) == set(LANGUAGES)
    for code, url in listed.items():
        assert re.fullmatch(rf"/i18n/{code}\.json\?v=\w{{16}}", url)
        response = client.get(url)
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert json.loads(response.get_data())["_meta"]["language"] == code
    # Without its version, revalidated: it may have changed.
    assert client.get("/i18n/ar.json").headers["Cache-Control"] == "no-cache"
