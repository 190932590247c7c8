"""`flask protocols check` and `protocols list`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from server import create_app
from tests.support.protocol_files import minimal

ROOT = Path(__file__).parents[1]


@pytest.fixture
def make_runner(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")

    def make(protocols_dir):
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PROTOCOLS_DIR": protocols_dir,
            }
        )
        return app.test_cli_runner()

    return make


def test_check_passes_on_the_shipped_protocols(make_runner):
    result = make_runner(ROOT / "protocols").invoke(args=["protocols", "check"])
    assert result.exit_code == 0, result.output
    for name in ("scalp-nation", "seven-derma", "smp-faq", "smp-layering"):
        assert f"ok     {name}.toml" in result.output


def test_check_fails_and_names_every_problem(make_runner, tmp_path):
    (tmp_path / "good.toml").write_text(minimal("good"))
    (tmp_path / "bad.toml").write_text(
        minimal("bad").replace('after = "cleanse"', 'after = "nope"')
    )
    result = make_runner(tmp_path).invoke(args=["protocols", "check"])
    assert result.exit_code == 1
    assert "error: bad.toml: tasks[1] (balm).after: no task 'nope'" in result.output
    assert "ok     good.toml" in result.output


def test_check_fails_on_an_empty_folder(make_runner, tmp_path):
    result = make_runner(tmp_path).invoke(args=["protocols", "check"])
    assert result.exit_code == 1
    assert "no *.toml protocol files found" in result.output


def test_list_shows_the_valid_ones(make_runner, tmp_path):
    (tmp_path / "good.toml").write_text(minimal("good"))
    (tmp_path / "bad.toml").write_text("not toml at all [")
    result = make_runner(tmp_path).invoke(args=["protocols", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("good ")
    assert "1 problem(s) skipped" in result.output


def test_the_server_starts_and_serves_despite_a_broken_protocol(make_runner, tmp_path):
    (tmp_path / "good.toml").write_text(minimal("good"))
    (tmp_path / "bad.toml").write_text("[")
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROTOCOLS_DIR": tmp_path}
    )
    assert [p.protocol.id for p in app.extensions["protocols"]] == ["good"]
    assert app.test_client().get("/healthz").status_code == 200


def test_the_real_command_line_exits_non_zero_on_a_broken_file(tmp_path):
    (tmp_path / "bad.toml").write_text(minimal("bad").replace('id = "cleanse"', 'id = "Cleanse"'))
    env = {
        **os.environ,
        "PROTOCOLS_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 32,
        "DATABASE_URL": "sqlite://",
    }
    command = [sys.executable, "-m", "flask", "--app", "server", "protocols", "check"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "bad.toml: tasks[0] (Cleanse).id" in result.stderr


def test_check_refuses_what_would_vanish_silently_naming_each_item_by_id(make_runner, tmp_path):
    broken = {
        "category": ('category = "water"', 'category = "wet"'),
        "window": (
            'start = { at = "end" }, end = { day = 4 }',
            "start = { day = 6 }, end = { day = 4 }",
        ),
        "follower": ('after = "cleanse"', 'after = "cleanse"\nwhen = { hair_length = ["shaved"] }'),
        "lifted": ('lifted = "Water is fine"', 'lifted = "Water is fine from today"'),
    }
    for name, (find, replace) in broken.items():
        text = minimal(name).replace(find, replace, 1)
        if name == "follower":  # the cleanse only for short hair, its balm for shaved heads
            text = text.replace(
                'blocked_by = ["no-water"]',
                'blocked_by = ["no-water"]\nwhen = { hair_length = ["short"] }',
            )
        (tmp_path / f"{name}.toml").write_text(text)
    result = make_runner(tmp_path).invoke(args=["protocols", "check"])
    assert result.exit_code == 1
    for line in (
        "error: category.toml: restrictions[0] (no-water).category: unknown category 'wet'",
        "error: window.toml: restrictions[0] (no-water).windows[0]: starts after it ends",
        "error: follower.toml: tasks[1] (balm).when: applies when 'cleanse' does not "
        "(hair_length = shaved)",
        "error: lifted.toml: restrictions[0] (no-water).lifted: leave out 'today' at the end",
    ):
        assert line in result.output, result.output
    assert "ok " not in result.output


def test_check_fails_on_a_translation_the_protocol_claims_but_lacks(make_runner, tmp_path):
    from tests.support.protocol_files import SPANISH, translated

    translated(tmp_path, name="good")
    translated(tmp_path, name="gappy", overlay=SPANISH.replace('title = "Limpia"\n', ""))
    result = make_runner(tmp_path).invoke(args=["protocols", "check"])
    assert result.exit_code == 1
    assert (
        "error: gappy.es.toml: tasks.cleanse.title: no 'es' text: the protocol claims 'es'"
        in result.output
    )
    assert "ok     good.toml" in result.output and "ok     gappy.toml" not in result.output


def test_check_fails_on_a_translation_of_no_protocol(make_runner, tmp_path):
    from tests.support.protocol_files import SPANISH, translated

    translated(tmp_path, name="good")
    (tmp_path / "gone.es.toml").write_text(SPANISH)
    result = make_runner(tmp_path).invoke(args=["protocols", "check"])
    assert result.exit_code == 1
    assert "error: gone.es.toml: (file): a translation of gone.toml, not found" in result.output
