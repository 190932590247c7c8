"""The reasons to call and the adherence calendar in the clinician's language: the domain's
sentences translated by the dashboard, dates by Babel, protocol texts kept as they are."""

import re

import pytest

from server.extensions import db
from server.models import Clinician


def reading(app, world, language: str) -> None:
    with app.app_context():
        for person in db.session.scalars(db.select(Clinician)):
            person.language = language
        db.session.commit()


def reasons(page: str) -> list[str]:
    return re.findall(r'<li data-kind="missed_critical">(.*?)</li>', page)


@pytest.mark.parametrize(
    ("language", "missed", "slot", "after"),
    [
        ("ar", "فاتته", "(الظهيرة)", "(بعد الجلسة 1)"),
        ("es", "No hizo", "(mediodía)", "(después de la sesión 1)"),
    ],
)
def test_reasons_to_call_in_the_clinicians_language(
    app, world, clinician_a, language, missed, slot, after
):
    reading(app, world, language)
    page = clinician_a.get("/clinic/").get_data(as_text=True)
    said = reasons(page)
    assert said, page
    first = said[0]
    assert first.startswith(missed) and slot in first and first.endswith(after), first
    assert '<span data-source="protocol">Cleanse your scalp</span>' in first  # the protocol's
    assert re.search(r'<time datetime="2026-\d\d-\d\d">[^<]+</time>', first)
    assert "Missed" not in first and " on day " not in first


def test_the_calendar_speaks_the_clinicians_language(app, world, clinician_a):
    reading(app, world, "es")
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").get_data(as_text=True)
    assert "Cumplimiento de los cuidados, día a día" in page  # its title
    assert re.search(r"<desc[^>]*>\d+ de \d+ tareas hechas hasta ahora", page)
    assert ">todo hecho</li>" in page  # the key
    assert re.search(r'aria-label="\w+, \d+ mar: ', page)  # "mié, 18 mar: …", by Babel
    assert ">Mon<" not in page and "tasks done" not in page
