"""Protocol files: the shipped ones are valid; broken ones are named by file, field and reason."""

import logging
import re
from pathlib import Path

import pytest
from marshmallow import Schema, fields

from server.plans.registry import InvalidProtocol, Registry, load_directory, load_file
from server.schemas import protocol_file
from tests.support.protocol_files import minimal, write

ROOT = Path(__file__).parents[1]
SHIPPED = ROOT / "protocols"


def test_every_shipped_protocol_is_valid():
    protocols, errors = load_directory(SHIPPED)
    assert [str(error) for error in errors] == []
    assert sorted(protocols) == ["scalp-nation", "seven-derma", "smp-faq", "smp-layering"]
    for protocol in protocols.values():
        assert "hair_length" in {question.id for question in protocol.protocol.questions}


def test_the_minimal_example_is_valid(tmp_path):
    loaded = load_file(write(tmp_path, minimal()))
    assert [task.id for task in loaded.protocol.tasks] == ["cleanse", "balm"]


BROKEN = [
    (
        'title = "Test protocol"',
        'title = "Test protocol"\ntitel = "typo"',
        "titel",
        "Unknown field",
    ),
    ('id = "test-protocol"\n', "", "id", "Missing data"),
    ('placement = "spread"', 'placment = "spread"', "tasks[0].placment", "Unknown field"),
    ('after = "cleanse"', 'after = "scrub"', "tasks[1].after", "no task 'scrub'"),
    (
        'blocked_by = ["no-water"]',
        'blocked_by = ["no-sun"]',
        "tasks[0].blocked_by",
        "no restriction 'no-sun'",
    ),
    (
        "per_day = { min = 2, target = 3 }",
        "per_day = { min = 3, target = 2 }",
        "tasks[0].per_day.min",
        "above target",
    ),
    (
        "per_day = { min = 2, target = 3 }",
        "per_day = { min = 2, target = 5 }",
        "tasks[0].per_day.target",
        "less than or equal to 3",
    ),
    (
        "per_day = { min = 2, target = 3 }\n",
        "",
        "tasks[0].per_day",
        "required for placement 'spread'",
    ),
    (
        'placement = "spread"\nper_day = { min = 2, target = 3 }',
        'placement = "morning"\nper_day = { min = 1, target = 2 }',
        "tasks[0].per_day",
        "once a day",
    ),
    ('placement = "spread"', 'placement = "hourly"', "tasks[0].placement", "Must be one of"),
    (
        'after = "cleanse"',
        'after = "cleanse"\nplacement = "morning"',
        "tasks[1].placement",
        "takes its slots",
    ),
    (
        'start = { day = 2 }, end = { day = 4 } }]\n\n[[tasks]]\nid = "balm"',
        'start = { day = 2 } }]\n\n[[tasks]]\nid = "balm"',
        "tasks[0].windows",
        "needs an end",
    ),
    (
        'start = { at = "end" }',
        'start = { at = "end", day = 1 }',
        "restrictions[0].windows[0].start",
        "exactly one",
    ),
    (
        "end = { day = 4 } }]\n\n[[tasks]]",
        "end = { day = 0 } }]\n\n[[tasks]]",
        "restrictions[0].windows[0].end.day",
        "greater than or equal to 1",
    ),
    (
        'anchor = "each_session", start = { at = "end" }',
        'anchor = "every_session", start = { at = "end" }',
        "restrictions[0].windows[0].anchor",
        "Must be one of",
    ),
    ('lifted = "Water is fine"\n', "", "restrictions[0].lifted", "may do again"),
    ('default = "short"', 'default = "long"', "questions[0].default", "one of the options"),
    ('id = "cleanse"', 'id = "Cleanse Now"', "tasks[0].id", "lower-case"),
    ('id = "balm"', 'id = "cleanse"', "tasks[1].id", "duplicate id 'cleanse'"),
    (
        'after = "cleanse"',
        'after = "cleanse"\nwhen = { hair_colour = ["red"] }',
        "tasks[1].when.hair_colour",
        "no such question",
    ),
    (
        'after = "cleanse"',
        'after = "cleanse"\nwhen = { hair_length = ["long"] }',
        "tasks[1].when.hair_length",
        "not one of",
    ),
]


@pytest.mark.parametrize(("find", "replace", "field", "reason"), BROKEN)
def test_a_broken_file_names_the_field_and_the_reason(tmp_path, find, replace, field, reason):
    text = minimal()
    assert find in text, "the test's search text must exist"
    path = write(tmp_path, text.replace(find, replace, 1))
    with pytest.raises(InvalidProtocol) as raised:
        load_file(path)
    problems = [(error.field, error.reason) for error in raised.value.errors]
    assert any(f == field and reason in r for f, r in problems), problems
    assert all(error.path == path for error in raised.value.errors)
    assert str(raised.value).startswith("test-protocol.toml: ")


def test_tasks_that_follow_each_other_in_a_circle_are_refused(tmp_path):
    text = minimal().replace("per_day = { min = 2, target = 3 }\nblocked_by", "blocked_by", 1)
    text = text.replace('placement = "spread"\n', 'after = "balm"\n', 1)
    with pytest.raises(InvalidProtocol, match="in a circle"):
        load_file(write(tmp_path, text))


def test_not_toml_is_reported_with_its_line(tmp_path):
    with pytest.raises(
        InvalidProtocol, match=r"test-protocol.toml: \(file\): not valid TOML: .*line 3"
    ):
        load_file(write(tmp_path, 'id = "x"\ntitle = "y"\nversion = \n'))


def test_the_id_must_match_the_file_name(tmp_path):
    path = tmp_path / "other-name.toml"
    path.write_text(minimal("test-protocol"))
    with pytest.raises(InvalidProtocol, match=r"other-name\.toml: id: must match the file name"):
        load_file(path)


def test_the_registry_logs_and_skips_an_invalid_file(tmp_path, caplog):
    write(tmp_path, minimal("good"), "good")
    write(tmp_path, minimal("bad").replace('after = "cleanse"', 'after = "nothing"'), "bad")
    with caplog.at_level(logging.ERROR, logger="server.plans.registry"):
        registry = Registry(tmp_path)
    assert [p.protocol.id for p in registry] == ["good"]
    assert registry.get("bad") is None
    assert "bad.toml: tasks[1].after: no task 'nothing'" in caplog.text


def test_the_bundle_version_follows_content_not_formatting(tmp_path):
    first = load_file(write(tmp_path, minimal())).bundle_version
    reformatted = "# a comment the clinic added\n" + minimal().replace(
        'title = "Test protocol"', 'title   =   "Test protocol"'
    )
    assert load_file(write(tmp_path, reformatted)).bundle_version == first
    changed = minimal().replace("Keep it dry.", "Keep it completely dry.")
    assert load_file(write(tmp_path, changed)).bundle_version != first


def test_the_bundle_carries_everything_the_app_shows():
    bundle = load_file(SHIPPED / "scalp-nation.toml").bundle
    assert bundle["format"] == 1 and re.fullmatch(r"[0-9a-f]{16}", bundle["bundle_version"])
    tasks = {task["id"]: task for task in bundle["tasks"]}
    assert tasks["balm"]["product"] == "Micro Balm 5.5 SMP"
    assert tasks["balm"]["after"] == "cleanse"


def schema_fields(schema: type[Schema], seen=None) -> set[str]:
    seen = seen if seen is not None else set()
    names = set()
    for name, field in schema._declared_fields.items():
        names.add(name)
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and inner.nested not in seen:
            seen.add(inner.nested)
            names |= schema_fields(inner.nested, seen)
    return names


def test_the_format_readme_documents_every_field():
    readme = (SHIPPED / "README.md").read_text()
    documented = set(re.findall(r"`([a-z_]+)`", readme))
    missing = schema_fields(protocol_file.ProtocolSchema) - documented
    assert not missing, f"protocols/README.md does not mention: {sorted(missing)}"
