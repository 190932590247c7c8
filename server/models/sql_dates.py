"""Calendar dates and instants in SQL, written once for SQLite and PostgreSQL.

PostgreSQL knows time zones; SQLite does not, so it gets a Python function of the same
meaning, registered on each new connection (register_sqlite_functions).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import Date, DateTime, event, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db

SQLITE_LOCAL_DATE = "aftercue_local_date"
SQLITE_SHIFTED = "aftercue_shifted"
# How SQLAlchemy stores a datetime in SQLite: text that sorts as the instants do.
SQLITE_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


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


class shifted(FunctionElement):
    """shifted(instant, timedelta): the instant that much later, to the microsecond."""

    type = DateTime(timezone=True)
    name = "shifted"
    inherit_cache = True

    def __init__(self, instant, delta: timedelta) -> None:
        super().__init__(instant, literal(delta // timedelta(microseconds=1)))


class earliest(FunctionElement):
    """earliest(a, b): the earlier of two instants, ignoring a NULL (NULL if both are)."""

    type = DateTime(timezone=True)
    name = "earliest"
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
    """SQLite's local_date: a stored UTC wall time (columns.UTCDateTime) -> 'YYYY-MM-DD'."""
    if stored is None or zone is None:
        return None
    instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone)).date().isoformat()


@compiles(shifted, "postgresql")
def _shifted_postgresql(element, compiler, **kw) -> str:
    instant, microseconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({instant} + CAST({microseconds} AS BIGINT) * INTERVAL '1 microsecond')"


@compiles(shifted, "sqlite")
def _shifted_sqlite(element, compiler, **kw) -> str:
    return f"{SQLITE_SHIFTED}({compiler.process(element.clauses, **kw)})"


@compiles(earliest, "postgresql")
def _earliest_postgresql(element, compiler, **kw) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"  # LEAST skips NULLs


@compiles(earliest, "sqlite")
def _earliest_sqlite(element, compiler, **kw) -> str:
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    # SQLite's min() is NULL if either is: fall back to the other.
    return f"coalesce(min({first}, {second}), {first}, {second})"


def sqlite_shifted(stored: str | None, microseconds: int) -> str | None:
    """SQLite's shifted: a stored UTC wall time moved by `microseconds`, in the same format."""
    if stored is None:
        return None
    moved = datetime.fromisoformat(stored) + timedelta(microseconds=microseconds)
    return moved.strftime(SQLITE_DATETIME_FORMAT)


def register_sqlite_functions(app: Flask) -> None:
    """Give every new SQLite connection of `app` the Python halves of these functions."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _add_functions)


def _add_functions(dbapi_connection, _connection_record) -> None:
    dbapi_connection.create_function(SQLITE_LOCAL_DATE, 2, sqlite_local_date, deterministic=True)
    dbapi_connection.create_function(SQLITE_SHIFTED, 2, sqlite_shifted, deterministic=True)
