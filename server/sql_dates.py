"""Calendar dates in SQL, written once for SQLite and PostgreSQL.

PostgreSQL knows time zones; SQLite does not, so it gets a Python function of the same
meaning, registered on each connection (extensions.set_sqlite_pragmas).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_LOCAL_DATE = "aftercue_local_date"


class local_date(FunctionElement):
    """local_date(instant, zone name): the calendar date of a UTC instant in that zone."""

    type = Date()
    name = "local_date"
    inherit_cache = True


class days_after(FunctionElement):
    """days_after(date, n): the date n days later."""

    type = Date()
    name = "days_after"
    inherit_cache = True


@compiles(local_date, "postgresql")
def _local_date_postgresql(element, compiler, **kw) -> str:
    instant, zone = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(timezone({zone}, {instant}) AS DATE)"


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw) -> str:
    return f"{SQLITE_LOCAL_DATE}({compiler.process(element.clauses, **kw)})"


@compiles(days_after, "postgresql")
def _days_after_postgresql(element, compiler, **kw) -> str:
    day, count = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({day} AS DATE) + CAST({count} AS INTEGER))"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw) -> str:
    day, count = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, '+' || CAST({count} AS INTEGER) || ' days')"


def sqlite_local_date(stored: str | None, zone: str | None) -> str | None:
    """SQLite's local_date: a stored UTC wall time (models.UTCDateTime) -> 'YYYY-MM-DD'."""
    if stored is None or zone is None:
        return None
    instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone)).date().isoformat()
