"""Column types every model shares: instants stored in UTC and read back aware; row ids."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (a default only; callers pass `now`)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A point in time: stored in UTC, always read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware one, e.g. in UTC")
        value = value.astimezone(UTC)
        # SQLite has no time zones; store the UTC wall time and put the zone back on read.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Ids beyond this are not in any table; refusing them early keeps PostgreSQL's integer
# columns from raising an out-of-range error on a hand-typed URL.
MAX_ID = 2**31 - 1


def valid_id(value: int) -> bool:
    """Whether `value` can be a row id at all."""
    return 0 < value <= MAX_ID
