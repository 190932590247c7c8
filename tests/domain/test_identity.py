"""Which stored occurrence a rebuilt one is (domain/identity.py): the day-2 morning cleanse
after a session stays that tick's occurrence when the session's date is corrected."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from server.domain.identity import (
    Anchor,
    Identity,
    SessionDays,
    anchor,
    derived_id,
    keep_ids,
)
from server.domain.plan import occurrence_id

SESSION = SessionDays(7, date(2026, 3, 17), date(2026, 3, 17))


def test_day_one_is_the_day_the_session_ends_and_pre_care_counts_back():
    assert anchor(date(2026, 3, 18), [SESSION]) == Anchor(7, 2)
    assert anchor(date(2026, 3, 15), [SESSION]) == Anchor(7, -1)
    second = SessionDays(9, date(2026, 4, 1), date(2026, 4, 2))  # past midnight
    assert anchor(date(2026, 3, 31), [SESSION, second]) == Anchor(7, 15)
    assert anchor(date(2026, 4, 1), [SESSION, second]) == Anchor(9, 0)
    assert anchor(date(2026, 4, 3), [SESSION, second]) == Anchor(9, 2)
    assert anchor(date(2026, 4, 3), []) is None


def plan_on(session_day: date, days=(2, 3, 4), slots=("morning", "evening")):
    """Cleanse identities on `days` after a session on `session_day`, hash ids by date."""
    found = []
    for day in days:
        on = session_day + timedelta(days=day - 1)
        for slot in slots:
            found.append(
                Identity(occurrence_id("p", "cleanse", on, slot), "cleanse", Anchor(7, day), slot)
            )
    return found


def test_a_session_moved_a_day_earlier_keeps_every_id_by_day_and_slot():
    stored = plan_on(date(2026, 3, 17))
    fresh = plan_on(date(2026, 3, 16))
    ids = keep_ids(fresh, stored)
    assert [ids[f.id] for f in fresh] == [s.id for s in stored]


def test_an_id_that_means_another_day_is_never_taken_over():
    stored = plan_on(date(2026, 3, 17), days=(2,))  # day 2 on the 18th
    # The session moved a day earlier: day 3 falls on the 18th, under day 2's hash ids.
    fresh = plan_on(date(2026, 3, 16), days=(3,))
    assert {f.id for f in fresh} == {s.id for s in stored}
    ids = keep_ids(fresh, stored)
    assert not set(ids.values()) & {s.id for s in stored}
    assert set(ids.values()) == {derived_id(f.id, 1) for f in fresh}


def test_rows_kept_before_anchors_are_matched_by_their_date_as_before():
    legacy = [s._replace(anchor=None) for s in plan_on(date(2026, 3, 17))]
    fresh = plan_on(date(2026, 3, 17))
    assert keep_ids(fresh, legacy) == {f.id: f.id for f in fresh}


identities = st.builds(
    Identity,
    id=st.sampled_from([f"id{n}" for n in range(8)]),
    task=st.sampled_from(["cleanse", "balm"]),
    anchor=st.one_of(st.none(), st.builds(Anchor, st.sampled_from([1, 2]), st.integers(-2, 5))),
    slot=st.sampled_from(["morning", "evening"]),
)


def unique(items, key):
    seen, kept = set(), []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def fresh_plans():
    """A plan: unique hash ids, unique meanings, every one anchored."""
    anchored = identities.filter(lambda i: i.anchor is not None)
    return st.lists(anchored, max_size=10).map(
        lambda items: unique(unique(items, lambda i: i.id), lambda i: (i.task, i.anchor, i.slot))
    )


@given(fresh_plans(), st.lists(identities, max_size=10).map(lambda s: unique(s, lambda i: i.id)))
def test_one_to_one_and_never_another_meaning(fresh, stored):
    ids = keep_ids(fresh, stored)
    assert len(set(ids.values())) == len(fresh)
    by_id = {row.id: row for row in stored}
    for occurrence in fresh:
        row = by_id.get(ids[occurrence.id])
        if row is not None and row.anchor is not None:
            assert (row.task, row.anchor, row.slot) == (
                occurrence.task,
                occurrence.anchor,
                occurrence.slot,
            )


@given(fresh_plans(), st.lists(identities, max_size=10).map(lambda s: unique(s, lambda i: i.id)))
def test_a_rebuild_with_nothing_changed_keeps_every_id(fresh, stored):
    first = keep_ids(fresh, stored)
    kept = [f._replace(id=first[f.id]) for f in fresh]
    others = [row for row in stored if row.id not in set(first.values())]
    again = keep_ids(fresh, [*kept, *others])
    assert again == first
