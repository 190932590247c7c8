"""A stricter restriction hides a milder one of its category while both hold."""

from datetime import UTC, datetime, timedelta

from server.domain.milestones import milestones
from server.domain.protocol import Anchor, Boundary, BoundaryKind, Restriction, WindowSpec
from server.domain.supersession import shown_windows

T0 = datetime(2026, 6, 1, tzinfo=UTC)
SPEC = (WindowSpec(Anchor.EACH_SESSION, Boundary(BoundaryKind.AT, "end"), None),)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def rule(rid: str, *supersedes: str, category: str = "water") -> Restriction:
    return Restriction(rid, rid, "", category, SPEC, f"{rid} lifted", supersedes=supersedes)


def test_the_milder_rule_is_hidden_only_while_the_stricter_holds():
    rules = [rule("dry", "gentle"), rule("gentle")]
    windows = {"dry": [(at(4), at(8))], "gentle": [(at(2), at(10))]}
    assert shown_windows(rules, windows) == {
        "dry": [(at(4), at(8))],
        "gentle": [(at(2), at(4)), (at(8), at(10))],
    }


def test_a_milder_rule_that_never_lifts_shows_again_after_the_stricter():
    rules = [rule("dry", "gentle"), rule("gentle")]
    windows = {"dry": [(at(0), at(4))], "gentle": [(at(1), None)]}
    assert shown_windows(rules, windows)["gentle"] == [(at(4), None)]


def test_without_supersedes_both_show():
    rules = [rule("dry"), rule("gentle")]
    windows = {"dry": [(at(4), at(8))], "gentle": [(at(2), at(10))]}
    assert shown_windows(rules, windows) == windows


def test_a_hidden_rule_s_lift_inside_the_stricter_one_is_not_announced():
    # The milder rule starts and lifts while the stricter holds: the client never saw it.
    windows = {"dry": [(at(0), at(8))], "gentle": [(at(2), at(6))]}
    found = milestones([rule("dry", "gentle"), rule("gentle")], windows, UTC)
    assert [m.restriction_id for m in found] == ["dry"]
    both = milestones([rule("dry"), rule("gentle")], windows, UTC)
    assert [m.restriction_id for m in both] == ["gentle", "dry"]
