"""The conflict check: representative courses for every answer, and what it reports."""

from dataclasses import replace

import pytest

from server.domain.conflicts import allowed_gaps, answer_combinations, conflicts

from .plan_fixtures import PROTOCOL_IDS, loaded


def without(protocol_id: str, **changes):
    """The shipped protocol with some items' overlap keys taken away: {item id: key}."""
    source = loaded(protocol_id).protocol
    restrictions = tuple(
        replace(r, **{changes[r.id]: ()}) if r.id in changes else r for r in source.restrictions
    )
    tasks = tuple(replace(t, **{changes[t.id]: ()}) if t.id in changes else t for t in source.tasks)
    return replace(source, restrictions=restrictions, tasks=tasks)


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_every_shipped_protocol_passes_for_every_answer(protocol_id):
    assert [str(c) for c in conflicts(loaded(protocol_id).protocol)] == []


def test_every_answer_combination_is_tried():
    combinations = answer_combinations(loaded("seven-derma").protocol)
    assert len(combinations) == 6
    assert {"hair_length": "long", "gender": "woman"} in combinations


@pytest.mark.parametrize(
    ("protocol_id", "answers", "gaps"),
    [
        ("seven-derma", {"gender": "man"}, [7, 14, 21]),
        ("seven-derma", {"gender": "woman"}, [14, 21]),
        ("smp-faq", {}, [5, 7]),
        ("smp-layering", {}, [14, 21]),
    ],
)
def test_courses_keep_to_the_spacing_the_protocol_allows(protocol_id, answers, gaps):
    assert allowed_gaps(loaded(protocol_id).protocol, answers) == gaps


def test_the_gentle_week_beside_the_next_dry_days_is_reported():
    (found,) = conflicts(without("smp-faq", **{"no-water": "supersedes"}))
    assert (found.first, found.second, found.task) == ("no-water", "gentle-showers", False)
    assert "sessions 5 days apart" in found.course


def test_a_warm_shower_during_the_hot_shower_ban_must_be_meant():
    (found,) = conflicts(without("smp-layering", **{"prep-shower": "during"}))
    assert (found.first, found.second, found.task) == ("prep-shower", "no-hot-showers", True)
    assert f"{found.at:%H:%M}" == "07:00"


def test_oil_in_the_shampoo_week_must_be_meant():
    found = conflicts(without("seven-derma", oil="during"))
    assert {(c.first, c.second) for c in found} == {
        ("oil", "no-shampoo"),
        ("oil", "no-scalp-products"),
    }
