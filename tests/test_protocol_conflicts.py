"""Rules that contradict each other on screen: `supersedes`, `categories` and `during` in
protocol files, and `protocols check` refusing a file whose rules clash."""

import tomllib
from pathlib import Path

import pytest

from server import create_app
from server.plans.registry import InvalidProtocol, load_file
from tests.support.protocol_files import minimal, write

ROOT = Path(__file__).parents[1]

# A milder water rule that overlaps the minimal file's "no water" (days 1-4) on days 3-4.
GENTLE = """
[[restrictions]]
id = "gentle"
title = "Gentle showers"
detail = "Short and lukewarm."
category = "water"
lifted = "Showers as usual"
windows = [{ anchor = "each_session", start = { day = 3 }, end = { day = 6 } }]
"""

# A rinse on day 2, while the minimal file's "no water" holds.
RINSE = """
[[tasks]]
id = "rinse"
title = "Rinse"
how = "Lukewarm water."
placement = "morning"
categories = ["water"]
windows = [{ anchor = "each_session", start = { day = 2 }, end = { day = 2 } }]
"""


def clashing(extra: str, *, find: str = "", replace: str = "") -> str:
    text = minimal("clash") + extra
    return text.replace(find, replace, 1) if find else text


@pytest.fixture
def check(tmp_path, monkeypatch):
    """Run `protocols check` on one protocol file; (exit code, output)."""
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")

    def run(text: str):
        (tmp_path / "clash.toml").write_text(text)
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROTOCOLS_DIR": tmp_path}
        )
        result = app.test_cli_runner().invoke(args=["protocols", "check"])
        return result.exit_code, result.output

    return run


def test_the_shipped_protocols_have_no_conflicting_rules(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PROTOCOLS_DIR": ROOT / "protocols",
        }
    )
    result = app.test_cli_runner().invoke(args=["protocols", "check"])
    assert result.exit_code == 0, result.output
    assert "conflict" not in result.output


@pytest.mark.parametrize(
    "path",
    [p for p in sorted((ROOT / "protocols").glob("*.toml")) if "." not in p.stem],  # no overlays
    ids=lambda p: p.stem,
)
def test_every_shipped_task_says_what_it_touches_so_the_check_covers_it(path):
    """A task without `categories` is invisible to the conflict check: a wash under "no
    water" would pass unseen."""
    tasks = tomllib.loads(path.read_text("utf-8"))["tasks"]
    assert [task["id"] for task in tasks if not task.get("categories")] == []


def test_two_rules_of_one_category_at_once_fail_the_check_with_the_moment(check):
    code, output = check(clashing(GENTLE))
    assert code == 1
    assert (
        "error: clash.toml: conflict: restrictions 'no-water' and 'gentle' (water) both hold "
        "from 2026-03-22 00:00 Asia/Dubai (one session, Asia/Dubai; hair_length=shaved): "
        "if one is stricter, list the other in its `supersedes`"
    ) in output
    assert "ok     clash.toml" not in output


def test_a_stricter_rule_that_supersedes_the_milder_passes(check):
    text = clashing(
        GENTLE, find='category = "water"\n', replace='category = "water"\nsupersedes = ["gentle"]\n'
    )
    code, output = check(text)
    assert code == 0, output


def test_a_task_due_during_a_rule_of_its_category_fails_the_check(check):
    code, output = check(clashing(RINSE))
    assert code == 1
    assert (
        "error: clash.toml: conflict: task 'rinse' is due at 2026-03-21 07:30 Asia/Dubai while "
        "restriction 'no-water' (water) holds (one session, Asia/Dubai; hair_length=shaved): "
        "add 'no-water' to its `during` if that is meant, or to its `blocked_by`"
    ) in output


def test_a_task_meant_to_happen_during_the_rule_passes(check):
    code, output = check(clashing(RINSE + 'during = ["no-water"]\n'))
    assert code == 0, output


@pytest.mark.parametrize(
    ("extra", "field", "reason"),
    [
        (
            GENTLE + 'supersedes = ["no-sun"]\n',
            "restrictions[1] (gentle).supersedes",
            "no restriction 'no-sun'",
        ),
        (
            GENTLE + 'supersedes = ["gentle"]\n',
            "restrictions[1] (gentle).supersedes",
            "a restriction cannot supersede itself",
        ),
        (
            GENTLE.replace('"water"', '"sun"') + 'supersedes = ["no-water"]\n',
            "restrictions[1] (gentle).supersedes",
            "'no-water' is not in its category",
        ),
        (
            RINSE + 'during = ["no-sun"]\n',
            "tasks[2] (rinse).during",
            "no restriction 'no-sun'",
        ),
        (
            RINSE + 'during = ["no-water"]\nblocked_by = ["no-water"]\n',
            "tasks[2] (rinse).during",
            "it is also blocked by 'no-water'",
        ),
        (
            RINSE.replace('["water"]', '["watr"]'),
            "tasks[2] (rinse).categories[0]",
            "unknown category 'watr': use one of water, touch, products, sweat, exercise, sun, "
            "swimming, shaving, colouring",
        ),
    ],
)
def test_overlap_keys_naming_nothing_are_refused_by_id(tmp_path, extra, field, reason):
    with pytest.raises(InvalidProtocol) as raised:
        load_file(write(tmp_path, minimal() + extra))
    assert [(e.field, e.reason) for e in raised.value.errors] == [(field, reason)]


def test_rules_superseding_each_other_are_refused(tmp_path):
    text = minimal() + GENTLE + 'supersedes = ["no-water"]\n'
    text = text.replace('category = "water"\n', 'category = "water"\nsupersedes = ["gentle"]\n', 1)
    with pytest.raises(InvalidProtocol) as raised:
        load_file(write(tmp_path, text))
    assert "supersede each other" in str(raised.value)
