"""Which day of healing a photo shows: counted as the plan counts, in the client's zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.healing import Session, healing_day

LONDON, AUCKLAND = ZoneInfo("Europe/London"), ZoneInfo("Pacific/Auckland")
FIRST = Session(1, datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 2, 14, tzinfo=UTC))
SECOND = Session(2, datetime(2026, 3, 20, 10, tzinfo=UTC), datetime(2026, 3, 20, 14, tzinfo=UTC))


def test_day_1_is_the_day_the_session_ends():
    assert healing_day(datetime(2026, 3, 2, 20, tzinfo=UTC), [FIRST], LONDON) == (1, 1)
    assert healing_day(datetime(2026, 3, 5, 8, tzinfo=UTC), [FIRST], LONDON) == (1, 4)


def test_the_latest_session_begun_before_the_photo():
    sessions = [SECOND, FIRST]  # in any order
    assert healing_day(SECOND.starts_at - timedelta(minutes=1), sessions, LONDON) == (1, 19)
    assert healing_day(SECOND.starts_at, sessions, LONDON) == (2, 1)


def test_before_any_session_there_is_no_day():
    assert healing_day(FIRST.starts_at - timedelta(days=1), [FIRST], LONDON) == (None, None)


def test_days_turn_at_the_client_s_midnight():
    # 2 March 14:00 UTC is 3 March 03:00 in Auckland: the session ends on its 3 March.
    evening = datetime(2026, 3, 3, 10, 59, tzinfo=UTC)  # 23:59 on 3 March there
    assert healing_day(evening, [FIRST], AUCKLAND) == (1, 1)
    assert healing_day(evening + timedelta(minutes=1), [FIRST], AUCKLAND) == (1, 2)
