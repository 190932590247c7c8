"""Which language the dashboard speaks, and the commands that keep its catalogs."""

import re

from babel.messages.pofile import read_po

from server import catalogs
from server.extensions import db
from server.languages import LANGUAGES, SOURCE
from server.models import Clinic, Clinician

HTML = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')


def page_language(response) -> tuple[str, str]:
    return HTML.search(response.get_data(as_text=True)).groups()


def test_before_sign_in_the_browser_chooses(dashboard):
    person = dashboard()
    asked = {
        "ar": ("ar", "rtl"),
        "es-MX,es;q=0.9,en;q=0.5": ("es", "ltr"),
        "fr-FR, es;q=0.4": ("es", "ltr"),  # no French: the best language we have
        "de, fr": ("en", "ltr"),  # none of ours: English
        "": ("en", "ltr"),
    }
    for header, expected in asked.items():
        response = person.get("/clinic/login", headers={"Accept-Language": header})
        assert page_language(response) == expected, header
    arabic = person.get("/clinic/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "تسجيل الدخول" in arabic


def test_signed_in_the_clinicians_choice_then_the_clinics(app, world, clinician_a):
    spanish_browser = {"Accept-Language": "es"}
    assert page_language(clinician_a.get("/clinic/", headers=spanish_browser)) == ("en", "ltr")
    with app.app_context():
        db.session.get(Clinic, world.a.clinic_id).language = "ar"
        db.session.commit()
    assert page_language(clinician_a.get("/clinic/", headers=spanish_browser)) == ("ar", "rtl")
    saved = clinician_a.post("/clinic/language", {"language": "es"})
    assert saved.status_code == 302
    page = clinician_a.get("/clinic/")
    assert page_language(page) == ("es", "ltr")
    assert "Clientes" in page.get_data(as_text=True)
    clinician_a.post("/clinic/language", {"language": ""})  # back to the clinic's
    assert page_language(clinician_a.get("/clinic/")) == ("ar", "rtl")
    with app.app_context():
        assert db.session.scalars(db.select(Clinician.language)).all().count("es") == 0


def test_a_language_not_offered_is_refused(clinician_a):
    assert clinician_a.post("/clinic/language", {"language": "en-XA"}).status_code == 422
    assert clinician_a.post("/clinic/language", {"language": "fr"}).status_code == 422


def test_an_admin_sets_the_clinics_language(app, world, admin_a):
    form = {"timezone": "UTC", "language": "es"}
    assert admin_a.post("/clinic/admin/settings", form).status_code == 302
    with app.app_context():
        assert db.session.get(Clinic, world.a.clinic_id).language == "es"
    form["language"] = "xx"
    assert admin_a.post("/clinic/admin/settings", form).status_code == 422


def test_extract_finds_a_new_text(tmp_path):
    views = tmp_path / "server" / "views.py"
    views.parent.mkdir()
    views.write_text(
        'from flask_babel import gettext as _\n\nGREETING = _("A brand-new sentence.")\n'
    )
    templates = tmp_path / "server" / "dashboard" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text('<p>{{ _("Seen on a page.") }}</p>\n')
    pot = tmp_path / "messages.pot"
    catalogs.extract(pot, root=tmp_path)
    with pot.open("rb") as source:
        found = {message.id for message in read_po(source) if message.id}
    assert found == {"A brand-new sentence.", "Seen on a page."}


def test_the_template_catalog_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    catalogs.extract(fresh)
    assert fresh.read_text() == catalogs.TEMPLATE.read_text(), (
        "run: flask --app server translate update"
    )


def test_every_language_translates_every_text():
    with catalogs.TEMPLATE.open("rb") as source:
        wanted = {message.id for message in read_po(source) if message.id}
    for language in LANGUAGES.values():
        if language.code == SOURCE:
            continue
        with catalogs.catalog_path(language).open("rb") as source:
            catalog = read_po(source, locale=language.babel)
        translated = {
            message.id
            for message in catalog
            if message.id
            and all(message.string if message.pluralizable else [message.string])
            and not message.fuzzy
        }
        assert wanted - translated == set(), language.code
        assert "Reviewed by a native speaker: not yet." in catalog.header_comment


def test_compile_writes_stale_catalogs_only(tmp_path):
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Clients"\nmsgstr "Clientes"\n')
    assert catalogs.compile_stale(tmp_path) == [po.with_suffix(".mo")]
    assert catalogs.compile_stale(tmp_path) == []


def test_the_translate_commands_run(app, tmp_path, monkeypatch):
    monkeypatch.setattr(catalogs, "TEMPLATE", tmp_path / "messages.pot")
    result = app.test_cli_runner().invoke(args=["translate", "extract"])
    assert result.exit_code == 0, result.output
    assert "Sign out" in (tmp_path / "messages.pot").read_text()


def test_the_pseudo_locale_marks_every_text():
    assert catalogs.pseudo("Save") == "⟦Šàṽé··⟧"
    assert catalogs.pseudo("For %(name)s <b>now</b>").startswith("⟦Ƒöŕ %(name)s <b>ñöŵ</b>")


def test_the_stylesheet_serves_both_directions():
    """Logical properties only: margin-inline-start, not margin-left, so Arabic mirrors."""
    css = (catalogs.REPO / "server" / "dashboard" / "static" / "clinic.css").read_text()
    physical = re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*\s*:", css)
    assert physical == []
    assert "text-align: left" not in css and "text-align: right" not in css
