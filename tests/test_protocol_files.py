"""Protocol files: the shipped ones are valid; broken ones are named by file, field and reason."""

import logging
import re
from pathlib import Path

import pytest
from marshmallow import Schema, fields

from server.domain.categories import CATEGORIES
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
    ('placement = "spread"', 'placment = "spread"', "tasks[0] (cleanse).placment", "Unknown field"),
    ('after = "cleanse"', 'after = "scrub"', "tasks[1] (balm).after", "no task 'scrub'"),
    (
        'blocked_by = ["no-water"]',
        'blocked_by = ["no-sun"]',
        "tasks[0] (cleanse).blocked_by",
        "no restriction 'no-sun'",
    ),
    (
        "per_day = { min = 2, target = 3 }",
        "per_day = { min = 3, target = 2 }",
        "tasks[0] (cleanse).per_day.min",
        "above target",
    ),
    (
        "per_day = { min = 2, target = 3 }",
        "per_day = { min = 2, target = 5 }",
        "tasks[0] (cleanse).per_day.target",
        "use 1 to 3: the times a day the task is offered",
    ),
    (
        "per_day = { min = 2, target = 3 }\n",
        "",
        "tasks[0] (cleanse).per_day",
        "required for placement 'spread'",
    ),
    (
        'placement = "spread"\nper_day = { min = 2, target = 3 }',
        'placement = "morning"\nper_day = { min = 1, target = 2 }',
        "tasks[0] (cleanse).per_day",
        "once a day",
    ),
    (
        'placement = "spread"',
        'placement = "hourly"',
        "tasks[0] (cleanse).placement",
        "Must be one of",
    ),
    (
        'after = "cleanse"',
        'after = "cleanse"\nplacement = "morning"',
        "tasks[1] (balm).placement",
        "takes its slots",
    ),
    (
        'start = { day = 2 }, end = { day = 4 } }]\n\n[[tasks]]\nid = "balm"',
        'start = { day = 2 } }]\n\n[[tasks]]\nid = "balm"',
        "tasks[0] (cleanse).windows",
        "needs an end",
    ),
    (
        'start = { at = "end" }',
        'start = { at = "end", day = 1 }',
        "restrictions[0] (no-water).windows[0].start",
        "exactly one",
    ),
    (
        "end = { day = 4 } }]\n\n[[tasks]]",
        "end = { day = 0 } }]\n\n[[tasks]]",
        "restrictions[0] (no-water).windows[0].end.day",
        "greater than or equal to 1",
    ),
    (
        'anchor = "each_session", start = { at = "end" }',
        'anchor = "every_session", start = { at = "end" }',
        "restrictions[0] (no-water).windows[0].anchor",
        "Must be one of",
    ),
    ('lifted = "Water is fine"\n', "", "restrictions[0] (no-water).lifted", "may do again"),
    (
        'default = "short"',
        'default = "long"',
        "questions[0] (hair_length).default",
        "one of the options",
    ),
    ('id = "cleanse"', 'id = "Cleanse Now"', "tasks[0] (Cleanse Now).id", "lower-case"),
    ('id = "balm"', 'id = "cleanse"', "tasks[1] (cleanse).id", "duplicate id 'cleanse'"),
    (
        'after = "cleanse"',
        'after = "cleanse"\nwhen = { hair_colour = ["red"] }',
        "tasks[1] (balm).when.hair_colour",
        "no such question",
    ),
    (
        'after = "cleanse"',
        'after = "cleanse"\nwhen = { hair_length = ["long"] }',
        "tasks[1] (balm).when.hair_length",
        "not one of",
    ),
    # Refusals that say what to write instead (issue 16).
    (
        "per_day = { min = 2, target = 3 }",
        "per_day = { min = 4, target = 3 }",
        "tasks[0] (cleanse).per_day.min",
        "use 0 to 3: the times a day the client must do it (0: optional)",
    ),
    (
        "per_day = { min = 2, target = 3 }",
        "per_day = { min = 0, target = 0 }",
        "tasks[0] (cleanse).per_day.target",
        "use 1 to 3",
    ),
    # What used to pass silently and then vanish from every plan.
    (
        'category = "water"',
        'category = "wet"',
        "restrictions[0] (no-water).category",
        "unknown category 'wet': use one of water, touch,",
    ),
    (
        'lifted = "Water is fine"',
        'lifted = "Water is fine from today"',
        "restrictions[0] (no-water).lifted",
        "leave out 'today' at the end",
    ),
    (
        'lifted = "Water is fine"',
        'lifted = "Water is fine again today."',
        "restrictions[0] (no-water).lifted",
        "leave out 'today' at the end",
    ),
    (
        'start = { at = "end" }, end = { day = 4 }',
        "start = { day = 5 }, end = { day = 4 }",
        "restrictions[0] (no-water).windows[0]",
        "starts after it ends",
    ),
    (
        'start = { day = 2 }, end = { day = 4 } }]\n\n[[tasks]]\nid = "balm"',
        'start = { day = 2 }, end = { hours_before = 2 } }]\n\n[[tasks]]\nid = "balm"',
        "tasks[0] (cleanse).windows[0]",
        "starts after it ends",
    ),
    (
        # Open for a session ending at 10:00 (from 22:00 on day 2); never for one at 13:00.
        'start = { at = "end" }, end = { day = 4 }',
        "start = { hours = 36 }, end = { day = 2 }",
        "restrictions[0] (no-water).windows[0]",
        "for a session ending at 13:00 it would never apply",
    ),
    (
        'per_day = { min = 2, target = 3 }\nblocked_by = ["no-water"]',
        'per_day = { min = 2, target = 3 }\nwhen = { hair_length = ["shaved"] }',
        "tasks[1] (balm).when",
        "applies when 'cleanse' does not (hair_length = short)",
    ),
    (
        'after = "cleanse"\nwindows = [{ anchor = "each_session", '
        "start = { day = 2 }, end = { day = 4 }",
        'after = "cleanse"\nwindows = [{ anchor = "each_session", '
        "start = { day = 5 }, end = { day = 8 }",
        "tasks[1] (balm).windows",
        "never overlap the windows of 'cleanse'",
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


def test_a_follower_narrower_than_its_leader_is_fine(tmp_path):
    text = minimal().replace(
        'after = "cleanse"', 'after = "cleanse"\nwhen = { hair_length = ["short"] }'
    )
    assert load_file(write(tmp_path, text)).protocol.tasks[1].when == {
        "hair_length": frozenset({"short"})
    }


def test_a_follower_of_a_leader_for_every_answer_it_names_is_fine(tmp_path):
    text = minimal().replace(
        'blocked_by = ["no-water"]', 'blocked_by = ["no-water"]\nwhen = { hair_length = ["short"] }'
    )
    text = text.replace(
        'after = "cleanse"', 'after = "cleanse"\nwhen = { hair_length = ["short"] }'
    )
    load_file(write(tmp_path, text))


@pytest.mark.parametrize(
    ("placement", "per_day"),
    [("spread", "{ min = 0, target = 2 }"), ("morning", "{ min = 0, target = 1 }")],
)
def test_a_task_the_client_may_skip_is_written_with_min_0(tmp_path, placement, per_day):
    text = minimal().replace(
        'placement = "spread"\nper_day = { min = 2, target = 3 }',
        f'placement = "{placement}"\nper_day = {per_day}',
    )
    task = load_file(write(tmp_path, text)).protocol.tasks[0]
    assert task.per_day.min == 0


@pytest.mark.parametrize("placement", ["spread", "morning", "evening", "night", "moment"])
def test_any_placement_may_be_optional(tmp_path, placement):
    per_day = "per_day = { min = 2, target = 3 }\n" if placement == "spread" else ""
    text = minimal().replace(
        'placement = "spread"\nper_day = { min = 2, target = 3 }\n',
        f'placement = "{placement}"\n{per_day}optional = true\n',
    )
    assert load_file(write(tmp_path, text)).protocol.tasks[0].optional


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


def test_every_category_in_use_is_known():
    protocols, _ = load_directory(SHIPPED)
    used = {r.category for loaded in protocols.values() for r in loaded.protocol.restrictions}
    assert used <= set(CATEGORIES)


def test_the_format_readme_lists_the_categories_the_schema_allows():
    readme = (SHIPPED / "README.md").read_text()
    line = next(line for line in readme.splitlines() if line.startswith("| `category` |"))
    assert re.findall(r"`([a-z]+)`", line)[1:] == list(CATEGORIES)


def test_the_registry_logs_and_skips_an_invalid_file(tmp_path, caplog):
    write(tmp_path, minimal("good"), "good")
    write(tmp_path, minimal("bad").replace('after = "cleanse"', 'after = "nothing"'), "bad")
    with caplog.at_level(logging.ERROR, logger="server.plans.registry"):
        registry = Registry(tmp_path)
    assert [p.protocol.id for p in registry] == ["good"]
    assert registry.get("bad") is None
    assert "bad.toml: tasks[1] (balm).after: no task 'nothing'" in caplog.text


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
