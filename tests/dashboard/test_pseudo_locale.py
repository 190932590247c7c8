"""Every dashboard page in the pseudo-locale (en-XA): each text a person reads comes from a
catalog, so each is between ⟦ ⟧. A text without them was never marked for translation.

Not from our catalogs, by rule (each is isolated or marked in the markup, which RTL needs
anyway): names, emails, contacts and typed notes (<bdi>, dir=...), dates and times (<time>),
codes (<code>), names said in their own language (lang=...), the product's name
(translate="no"), protocol texts (data-source="protocol": the protocols have their own
translations), and text with no letter (numbers, "—", "·", "#3"). A catalog text may hold
elements (a date, a link): its markers then open in one text node and close in a later one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from server import catalogs
from server.catalogs import CLOSE, OPEN
from server.extensions import db
from server.models import Clinician
from tests.support.dashboard_pages import DASHBOARD_PAGES, WARNED_CLIENT_PAGES

# The handout's sheet is in the client's language, marked with its lang (English here), so
# only the clinician's note around it is checked; tests/dashboard/test_handout_language.py
# checks the sheet in the client's language.
PAGES = DASHBOARD_PAGES
# <title> too: it repeats the page's heading (checked in the page) beside a client's name,
# which a title cannot isolate.
DATA_TAGS = {"bdi", "time", "code", "script", "style", "title"}
VOID = {"meta", "link", "input", "img", "br", "hr", "source", "col", "area", "base", "wbr"}


class Texts(HTMLParser):
    """The page's text nodes a person reads, each with whether the rule calls it data."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []  # per open element: is it data?
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        names = dict(attrs)
        marked = {"dir", "lang", "translate", "data-source"} & set(names)
        data = tag in DATA_TAGS or (bool(marked) and tag != "html")
        self.open.append(data or (bool(self.open) and self.open[-1]))

    def handle_endtag(self, tag):
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        text = data.strip()
        # A marker alone counts too: "⟦<time>07:00</time> to <time>23:00</time>⟧" opens in a
        # text node with no letter.
        wanted = re.search(r"[^\W\d_]", text) or OPEN in text or CLOSE in text
        if text and not (self.open and self.open[-1]) and wanted:
            self.found.append(text)


def untranslated(page: str, parser_class: type[Texts] = Texts) -> list[str]:
    """Texts outside ⟦ ⟧ that have a letter in them (`parser_class` finds the texts)."""
    parser = parser_class()
    parser.feed(page)
    leftovers, depth = [], 0  # a translated text may hold another: "⟦⟦admin⟧ (you)⟧"
    for text in parser.found:
        outside = []
        for character in text:
            if character in (OPEN, CLOSE):
                depth = depth + 1 if character == OPEN else max(0, depth - 1)
            elif depth == 0:
                outside.append(character)
        if re.search(r"[^\W\d_]", "".join(outside)):
            leftovers.append(text)
    return leftovers


def offer_pseudo(app) -> None:
    """As PSEUDO_LOCALE=on does at start-up: the catalog made from the template, offered."""
    catalogs.write_pseudo(Path(app.instance_path) / "translations")
    app.config["PSEUDO_LOCALE"] = True


@pytest.fixture
def pseudo_admin(app, world, admin_a):
    offer_pseudo(app)
    with app.app_context():
        person = db.session.scalar(db.select(Clinician).where(Clinician.email == world.a.admin))
        person.language = "en-XA"
        db.session.commit()
    return admin_a


@pytest.mark.parametrize("path", PAGES)
def test_every_dashboard_text_comes_from_a_catalog(world, pseudo_admin, path):
    url = path.format(client=world.a.client_id, session=world.a.future_session_id)
    response = pseudo_admin.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    assert '<html lang="en-XA"' in page
    assert untranslated(page) == []


@pytest.mark.parametrize("path", WARNED_CLIENT_PAGES)
def test_the_plan_warnings_come_from_a_catalog(world, pseudo_admin, warned_client, path):
    response = pseudo_admin.get(path.format(client=warned_client))
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    # The plan's warnings are on the page, with only the task's title the protocol's words.
    assert WARNED_CLIENT_PAGES[path] in page
    assert '<span data-source="protocol">Cleanse your scalp</span>' in page
    assert untranslated(page) == []
    # A reason to call holds the warnings inside its own catalog text, where a warning left
    # in English would hide: each of the two comes from the catalog too.
    reason = re.search(r'<li data-kind="schedule">(.*?)</li>', page, re.S)
    assert reason is None or reason.group(1).count(OPEN) == 1 + 2


def test_the_sign_in_page_before_sign_in(dashboard, app):
    offer_pseudo(app)
    page = dashboard().get("/clinic/login", headers={"Accept-Language": "en-XA"})
    assert untranslated(page.get_data(as_text=True)) == []


def test_a_text_left_out_of_the_catalog_is_found():
    assert untranslated("<p>⟦Šàṽé··⟧</p><p><bdi>Sam</bdi> 3 · —</p>") == []
    assert untranslated("<p>⟦Šàṽé··⟧ now</p>") == ["⟦Šàṽé··⟧ now"]
    # A catalog text that closes in a node without letters still ends there.
    closed = '<p>⟦Ìƒ <span data-source="protocol">Sam</span>··⟧</p><label>Hair?</label>'
    assert untranslated(closed) == ["Hair?"]
    assert untranslated("<p>⟦<time>07:00</time> ţö <time>23:00</time>··⟧</p>") == []
