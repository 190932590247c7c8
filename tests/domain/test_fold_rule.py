"""The fold rule itself: the latest event by UTC time wins, and a tie goes to the higher id.

pwa/js/shared/fold.js must agree (tests/test_fold_parity.py); these pin the server's side on
its own, with the cases a wrong rule gets wrong: offsets that reverse the wall-clock order, and
one instant written in two zones.
"""

from datetime import UTC, datetime, timedelta, timezone
from itertools import permutations
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from server.domain.sync import Event, done, fold

PARIS = timezone(timedelta(hours=2))
NEW_YORK = timezone(timedelta(hours=-4))
LOW = UUID("00000000-0000-4000-8000-000000000001")
HIGH = UUID("ffffffff-ffff-4fff-bfff-ffffffffffff")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_later_instant_wins_even_when_its_wall_clock_reads_earlier():
    # 09:00 in Paris is 07:00 UTC; 08:00 in London (UTC) is an hour later.
    ticked = Event(LOW, "o1", "done", at("2026-06-01T09:00:00+02:00"))
    unticked = Event(HIGH, "o1", "undone", at("2026-06-01T08:00:00+00:00"))
    assert fold([ticked, unticked]) == fold([unticked, ticked]) == {"o1": "undone"}
    # ...and the other way round, across the date line of UTC too.
    late = Event(LOW, "o2", "done", at("2026-06-01T21:30:00-04:00"))  # 01:30 UTC on 2 June
    early = Event(HIGH, "o2", "undone", at("2026-06-02T01:00:00+00:00"))
    assert fold([late, early]) == fold([early, late]) == {"o2": "done"}


def test_one_instant_in_two_zones_is_a_tie_that_the_higher_id_wins():
    paris = Event(HIGH, "o1", "done", at("2026-06-01T10:00:00+02:00"))
    utc = Event(LOW, "o1", "undone", at("2026-06-01T08:00:00+00:00"))
    assert fold([paris, utc]) == fold([utc, paris]) == {"o1": "done"}
    paris_low = Event(LOW, "o1", "done", at("2026-06-01T10:00:00+02:00"))
    utc_high = Event(HIGH, "o1", "undone", at("2026-06-01T08:00:00+00:00"))
    assert fold([paris_low, utc_high]) == fold([utc_high, paris_low]) == {"o1": "undone"}


def test_ids_are_compared_as_lower_case_text_not_as_numbers():
    # As text "9..." sorts after "1...", as the phones compare them.
    nine = UUID("90000000-0000-4000-8000-000000000000")
    ten = UUID("10000000-0000-4000-8000-00000000000a")
    moment = at("2026-06-01T08:00:00+00:00")
    events = [Event(nine, "o1", "done", moment), Event(ten, "o1", "undone", moment)]
    assert fold(events) == fold(events[::-1]) == {"o1": "done"}


def test_each_occurrence_is_folded_on_its_own():
    events = [
        Event(LOW, "a", "done", at("2026-06-01T08:00:00+00:00")),
        Event(HIGH, "b", "done", at("2026-06-01T07:00:00+00:00")),
        Event(HIGH, "a", "undone", at("2026-06-01T07:59:59.999+00:00")),
    ]
    for order in permutations(events):
        assert fold(order) == {"a": "done", "b": "done"}
        assert done(order) == {"a", "b"}


zones = st.sampled_from([UTC, PARIS, NEW_YORK, timezone(timedelta(hours=13, minutes=45))])
moments = st.integers(0, 5).map(lambda minutes: datetime(2026, 6, 1, 8, minutes, tzinfo=UTC))
events = st.builds(
    lambda moment, zone, id_, action: Event(
        UUID(int=id_, version=4), "o1", action, moment.astimezone(zone)
    ),
    moments,
    zones,
    st.integers(0, 2**64),
    st.sampled_from(["done", "undone"]),
)


@given(st.lists(events, min_size=1, max_size=8, unique_by=lambda e: e.id))
def test_the_zone_an_event_was_written_in_never_changes_the_result(found):
    """Writing every event in UTC instead of its phone's zone folds the same, in any order."""
    in_utc = [Event(e.id, e.occurrence, e.action, e.at.astimezone(UTC)) for e in found]
    assert fold(found) == fold(in_utc) == fold(reversed(found))
