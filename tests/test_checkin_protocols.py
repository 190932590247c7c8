"""Check-ins in protocol files: the shipped four declare them in every claimed language, and
`protocols check` refuses a broken check-in rule by name."""

import shutil
from pathlib import Path

import pytest

from server import create_app
from server.plans.registry import load_file

ROOT = Path(__file__).parents[1]
SHIPPED = ("scalp-nation", "seven-derma", "smp-faq", "smp-layering")


@pytest.fixture
def check(tmp_path, monkeypatch):
    """Runs `protocols check` on a copy of the shipped protocols after `edit(path)`."""
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
    folder = tmp_path / "protocols"
    shutil.copytree(ROOT / "protocols", folder)

    def run(name: str, old: str, new: str):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROTOCOLS_DIR": folder}
        )
        return app.test_cli_runner().invoke(args=["protocols", "check"])

    return run


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_protocol_asks_and_flags_in_all_its_languages(name):
    loaded = load_file(ROOT / "protocols" / f"{name}.toml")
    checkin = loaded.protocol.checkin
    assert checkin is not None
    assert {q.id for q in checkin.questions} >= {"redness", "oozing", "pain", "fever"}
    assert {f.id for f in checkin.red_flags} == {"pus", "fever", "strong-pain", "spreading-redness"}
    assert loaded.untranslated == ()
    assert set(loaded.bundle["translations"]) == {"ar", "es"}


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            'question = "oozing"',
            'question = "ooze"',
            "checkin.red_flags[0] (pus).question: no check-in question 'ooze'",
        ),
        (
            'answers = ["pus"]',
            'answers = ["green"]',
            "checkin.red_flags[0] (pus).answers: 'green' is not an answer of 'oozing'",
        ),
        (
            "at_least = 7",
            "at_least = 11",
            "checkin.red_flags[2] (strong-pain).at_least: use 1 to 10",
        ),
        (
            'answers = ["yes"]',
            "at_least = 5",
            "checkin.red_flags[1] (fever).at_least: only a 0-10 question is tested with at_least",
        ),
        (
            'basis = "wound_care"',
            'basis = "hunch"',
            "checkin.red_flags[0] (pus).basis: say what it rests on",
        ),
        (
            "start = { day = 1 }, end = { day = 7 } }]\n\n[[checkin.questions]]",
            "start = { day = 1 } }]\n\n[[checkin.questions]]",
            "checkin.windows: every check-in window needs an end",
        ),
        (
            'kind = "scale"',
            'kind = "slider"',
            "checkin.questions[3] (pain).kind: Must be one of",
        ),
    ],
)
def test_check_fails_on_a_broken_checkin_rule(check, old, new, error):
    result = check("smp-layering.toml", old, new)
    assert result.exit_code == 1
    assert f"error: smp-layering.toml: {error}" in result.output


@pytest.mark.parametrize("language", ["ar", "es"])
def test_check_fails_on_a_missing_checkin_translation(check, language):
    overlay = f"smp-faq.{language}.toml"
    result = check(overlay, "[checkin.red_flags.fever]\nreason", "[checkin.red_flags.fever]\n#")
    assert result.exit_code == 1
    assert (
        f"error: {overlay}: checkin.red_flags.fever.reason: no '{language}' text" in result.output
    )


def test_a_translation_cannot_change_a_red_flag(check):
    result = check(
        "smp-faq.es.toml",
        "[checkin.red_flags.fever]\n",
        "[checkin.red_flags.fever]\nat_least = 1\n",
    )
    assert result.exit_code == 1
    assert "smp-faq.es.toml: checkin.red_flags.fever.at_least: not a text" in result.output
