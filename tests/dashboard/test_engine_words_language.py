"""The plan engine's warnings, the password rules and a sign-in refused for too many attempts,
in the clinician's language: the domain gives message ids and values, the dashboard translates;
the API keeps the English."""

import pytest
from flask_babel import force_locale

from server.dashboard.refusals import said
from server.domain.errors import TooManyAttempts
from server.extensions import db
from server.models import Client
from tests.dashboard.test_refusals_language import reading

SAME_SESSION = {
    "es": "Las sesiones 1 y 2 son la misma sesión, introducida dos veces.",
    "ar": "الجلستان 1 و2 جلسة واحدة أُدخلت مرتين.",
    "en": "Sessions 1 and 2 are the same session, entered twice.",
}
AFTER_BEDTIME = {
    "es": "después de su hora habitual de acostarse",
    "ar": "بعد موعد نومه المعتاد",
    "en": "after their usual bedtime",
}


@pytest.mark.parametrize("language", ["es", "ar", "en"])
def test_the_plan_warnings_are_in_the_clinicians_language(
    app, world, clinician_a, warned_client, language
):
    reading(app, language)
    for path in (f"/clinic/clients/{warned_client}", "/clinic/"):
        page = clinician_a.get(path).text
        assert SAME_SESSION[language] in page, path
        assert AFTER_BEDTIME[language] in page, path
        # The task's title is the protocol's words, marked so; nothing is quoted as English.
        assert '<span data-source="protocol">Cleanse your scalp</span>' in page
        assert '<span lang="en">' not in page


def test_the_phone_keeps_the_english_warning_with_its_message_id(app, warned_client):
    with app.app_context():
        content = db.session.get(Client, warned_client).plan.content
    [same] = [w for w in content["warnings"] if w["code"] == "sessions_overlap"]
    assert same["message"] == SAME_SESSION["en"]
    assert same["said"] == {
        "id": "Sessions %(earlier)d and %(later)d are the same session, entered twice.",
        "plural": None,
        "values": {"earlier": 1, "later": 2},
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "Elija una contraseña nueva de al menos 12 caracteres."),
        ("ar", "اختر كلمة مرور جديدة لا تقل عن 12 حرفًا."),
    ],
)
def test_a_password_too_short_is_said_in_the_clinicians_language(
    app, world, clinician_a, language, expected
):
    reading(app, language)
    refused = clinician_a.post(
        "/clinic/password", {"current": "x", "new": "short", "confirm": "short"}
    )
    page = refused.text if refused.status_code != 302 else clinician_a.get(refused.location).text
    assert expected in page


@pytest.mark.parametrize(
    ("seconds", "language", "expected"),
    [
        (60, "en", "Too many attempts. Try again in 1 minute."),
        (120, "en", "Too many attempts. Try again in 2 minutes."),
        (60, "es", "Demasiados intentos. Vuelva a intentarlo dentro de 1 minuto."),
        (300, "es", "Demasiados intentos. Vuelva a intentarlo dentro de 5 minutos."),
        (120, "ar", "محاولات كثيرة جدًا. حاول مرة أخرى بعد دقيقتين."),
        (300, "ar", "محاولات كثيرة جدًا. حاول مرة أخرى بعد 5 دقائق."),
    ],
)
def test_too_many_attempts_in_each_language_with_its_plural(app, seconds, language, expected):
    error = TooManyAttempts(seconds)
    english = "minute." if seconds == 60 else "minutes."
    assert str(error.message).endswith(english)  # the API's message stays English
    with app.test_request_context(), force_locale(language):
        assert said(error.message) == expected
