"""How closely clients follow their plans, counted by the database.

An occurrence counts as done when its latest event says so, "latest" being the rule every
device applies (domain/sync.py): the greatest (device time, event id). A window function
finds that event for every occurrence at once, on SQLite and PostgreSQL alike.

`_summary` is one query for any set of clients: per client, adherence so far (counted from
when the client was added, or their phone connected), the last sync, sessions, and the open
concerns that say who needs a call and why (concerns.py, kept just before). Its result is
stored per client (`for_storage`, summaries.py), and every surface reads the stored line
(client_list.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Float, Select, and_, case, cast, func, or_, select

from ..domain.concerns import (
    BEFORE_SESSION,
    MISSED_BEFORE_SESSION,
    MISSED_CRITICAL,
    RED_FLAG,
    SCHEDULE,
    SILENT_AFTER,
    SILENT_PHONE,
)
from ..domain.sync import DONE
from ..extensions import db
from ..models import AdherenceEvent, Client, PlanOccurrence, TreatmentSession
from ..models.concern import Concern
from ..models.sql_dates import earliest, shifted
from .concerns import counted_from, on_the_phone_in_time, open_now

MICROSECOND = timedelta(microseconds=1)  # the finest step both databases store


def done_ids(client_id: int) -> set[str]:
    """The ids of one client's occurrences that are done, by the fold's rule."""
    done = done_occurrences(select(Client.id).where(Client.id == client_id))
    return set(db.session.scalars(select(done.c.occurrence_id)))


def occurrence_marks(client_id: int) -> dict[str, tuple[bool, bool]]:
    """Per occurrence id of one client: (done, on the phone in time), in one query."""
    done = done_occurrences(select(Client.id).where(Client.id == client_id))
    in_time = func.coalesce(on_the_phone_in_time(), False)
    rows = db.session.execute(
        select(PlanOccurrence.occurrence_id, done.c.occurrence_id.is_not(None), in_time)
        .outerjoin(
            done,
            and_(
                done.c.client_id == PlanOccurrence.client_id,
                done.c.occurrence_id == PlanOccurrence.occurrence_id,
            ),
        )
        .where(PlanOccurrence.client_id == client_id)
    )
    return {occurrence_id: (bool(d), bool(t)) for occurrence_id, d, t in rows}


def done_occurrences(client_ids: Select):
    """(client_id, occurrence_id) of every occurrence whose latest event is "done"."""
    latest = latest_events(client_ids)
    return (
        select(latest.c.client_id, latest.c.occurrence_id)
        .where(latest.c.rank == 1, latest.c.action == DONE)
        .subquery()
    )


def latest_events(client_ids: Select):
    """Every event of these clients, ranked per occurrence: rank 1 is the one that counts."""
    latest_first = func.row_number().over(
        partition_by=(AdherenceEvent.client_id, AdherenceEvent.occurrence_id),
        # Both orders match the rule's: UTC instants, and UUIDs compare as their hex text.
        order_by=(AdherenceEvent.device_at.desc(), AdherenceEvent.event_id.desc()),
    )
    return (
        select(
            AdherenceEvent.client_id,
            AdherenceEvent.occurrence_id,
            AdherenceEvent.action,
            AdherenceEvent.device_at,
            AdherenceEvent.device_utc_offset_minutes,
            AdherenceEvent.received_at,
            latest_first.label("rank"),
        )
        .where(AdherenceEvent.client_id.in_(client_ids))
        .subquery()
    )


def _session_times(client_ids: Select, now: datetime):
    """Per client: next and last session start."""
    started = TreatmentSession.starts_at <= now
    return (
        select(
            TreatmentSession.client_id,
            func.min(case((~started, TreatmentSession.starts_at))).label("next_session"),
            func.max(case((started, TreatmentSession.starts_at))).label("last_session"),
        )
        .where(TreatmentSession.client_id.in_(client_ids))
        .group_by(TreatmentSession.client_id)
        .subquery()
    )


def _counts(client_ids: Select, now: datetime):
    """Per client: required occurrences due so far (since their adherence counts), and done;
    one not done counts only if the phone had it in time (concerns.on_the_phone_in_time)."""
    done = done_occurrences(client_ids)
    start = counted_from(client_ids)
    return (
        select(
            PlanOccurrence.client_id,
            func.count().label("due"),
            func.count(done.c.occurrence_id).label("done"),
        )
        .join(start, start.c.client_id == PlanOccurrence.client_id)
        .outerjoin(
            done,
            and_(
                done.c.client_id == PlanOccurrence.client_id,
                done.c.occurrence_id == PlanOccurrence.occurrence_id,
            ),
        )
        .where(
            PlanOccurrence.client_id.in_(client_ids),
            PlanOccurrence.active.is_(True),
            PlanOccurrence.optional.is_(False),
            PlanOccurrence.due_end <= now,
            PlanOccurrence.due_end > start.c.since,
            or_(on_the_phone_in_time(), done.c.occurrence_id.is_not(None)),
        )
        .group_by(PlanOccurrence.client_id)
        .subquery()
    )


def _open_concerns(client_ids: Select, now: datetime):
    """Per client: the kept concerns still to act on, counted by kind (concerns.py)."""

    def of(kind: str):
        return func.count(case((Concern.kind == kind, 1)))

    return (
        select(
            Concern.client_id,
            func.count().label("open"),
            of(MISSED_CRITICAL).label("critical"),
            of(RED_FLAG).label("red_flags"),
            of(MISSED_BEFORE_SESSION).label("before_session"),
            of(SCHEDULE).label("schedule"),
            of(SILENT_PHONE).label("silent"),
            func.min(Concern.expires_at).label("next_expiry"),
        )
        .where(Concern.client_id.in_(client_ids), open_now(now))
        .group_by(Concern.client_id)
        .subquery()
    )


def _summary(clients: Select[tuple[Client]], now: datetime):
    """A subquery of every client in `clients` with its adherence summary and flags (read
    from the kept concerns: refresh them first, as summaries.py does)."""
    ids = clients.with_only_columns(Client.id)
    sessions = _session_times(ids, now)
    counts = _counts(ids, now)
    concerns = _open_concerns(ids, now)
    devices = counted_from(ids)  # the phones' last sync
    due = func.coalesce(counts.c.due, 0)
    done = func.coalesce(counts.c.done, 0)

    def some(kind) -> object:
        return func.coalesce(kind, 0) > 0

    # A client who never synced counts from the day they were added, not from the start of time.
    no_sync = func.coalesce(devices.c.last_sync, Client.created_at) < now - SILENT_AFTER
    return (
        select(
            Client.id.label("client_id"),
            due.label("due"),
            done.label("done"),
            case((due > 0, cast(done, Float) / due), else_=None).label("adherence"),
            func.coalesce(concerns.c.critical, 0).label("critical_missed"),
            func.coalesce(concerns.c.red_flags, 0).label("red_flags"),
            func.coalesce(concerns.c.before_session, 0).label("before_session_missed"),
            devices.c.last_sync,
            sessions.c.next_session,
            sessions.c.last_session,
            no_sync.label("no_sync"),
            some(concerns.c.schedule).label("spacing_too_short"),
            some(concerns.c.silent).label("silent"),
            some(concerns.c.open).label("needs_call"),
            concerns.c.next_expiry,
        )
        .outerjoin(counts, counts.c.client_id == Client.id)
        .outerjoin(sessions, sessions.c.client_id == Client.id)
        .outerjoin(devices, devices.c.client_id == Client.id)
        .outerjoin(concerns, concerns.c.client_id == Client.id)
        .where(Client.id.in_(ids))
        .subquery("summary")
    )


SUMMARY_COLUMNS = (
    "due",
    "done",
    "adherence",
    "critical_missed",
    "red_flags",
    "before_session_missed",
    "last_sync",
    "next_session",
    "last_session",
    "no_sync",
    "spacing_too_short",
    "silent",
    "needs_call",
)


def _clock_changes(client_ids: Select, now: datetime):
    """Per client: the next required due_end after now, and the first one after now - 48 h.

    The first changes "due so far" (and with it done, adherence, days 1-4) when the clock
    reaches it; 48 hours after the second, "tasks due while silent" changes.
    """
    required_due_end = PlanOccurrence.due_end
    return (
        select(
            PlanOccurrence.client_id,
            func.min(case((required_due_end > now, required_due_end))).label("next_due"),
            func.min(case((required_due_end > now - SILENT_AFTER, required_due_end))).label(
                "next_recent"
            ),
        )
        .where(
            PlanOccurrence.client_id.in_(client_ids),
            PlanOccurrence.active.is_(True),
            PlanOccurrence.optional.is_(False),
        )
        .group_by(PlanOccurrence.client_id)
        .subquery()
    )


def for_storage(client_ids: Select, now: datetime):
    """`_summary` of these clients, with what a stored copy needs: whose list it is in, the
    name to sort by, and `refresh_after`, the first moment any value may change with the
    clock alone (a task falls due, a session begins, 48 hours pass since a due task or a
    sync). Until then, and with no input changed, the values are what `_summary` would say.
    """
    summary = _summary(select(Client).where(Client.id.in_(client_ids)), now)
    changes = _clock_changes(client_ids, now)
    sync_base = func.coalesce(summary.c.last_sync, Client.created_at)
    # no_sync is `sync_base < now - 48 h`: it turns true one microsecond after the 48 hours.
    silence_flags = case((~summary.c.no_sync, shifted(sync_base, SILENT_AFTER + MICROSECOND)))
    # A missed task becomes a concern "before a session" once the session is this close.
    session_close = shifted(summary.c.next_session, -BEFORE_SESSION)
    refresh_after = earliest(
        earliest(
            earliest(changes.c.next_due, shifted(changes.c.next_recent, SILENT_AFTER)),
            earliest(summary.c.next_session, silence_flags),
        ),
        earliest(
            summary.c.next_expiry,  # an open concern expires
            case((session_close > now, session_close)),
        ),
    )
    return (
        select(
            summary,
            Client.clinic_id,
            func.lower(Client.name).label("sort_name"),
            (summary.c.due == 0).label("nothing_due"),
            refresh_after.label("refresh_after"),
        )
        .join(Client, Client.id == summary.c.client_id)
        .outerjoin(changes, changes.c.client_id == summary.c.client_id)
        .subquery("fresh")
    )


def daily(client_id: int, now: datetime) -> list[DayCount]:
    """Per local day of the client's plan: required tasks planned, due so far (since the
    client's adherence counts, done or on the phone in time) and done."""
    ids = select(Client.id).where(Client.id == client_id)
    done = done_occurrences(ids)
    start = counted_from(ids)
    counted = and_(
        PlanOccurrence.due_end <= now,
        PlanOccurrence.due_end > start.c.since,
        or_(on_the_phone_in_time(), done.c.occurrence_id.is_not(None)),
    )
    rows = db.session.execute(
        select(
            PlanOccurrence.local_date,
            func.count(),
            func.count(case((counted, 1))),
            func.count(done.c.occurrence_id),
        )
        # Every planned day is drawn; without a phone, none has anything counted yet.
        .outerjoin(start, start.c.client_id == PlanOccurrence.client_id)
        .outerjoin(
            done,
            and_(
                done.c.client_id == PlanOccurrence.client_id,
                done.c.occurrence_id == PlanOccurrence.occurrence_id,
            ),
        )
        .where(
            PlanOccurrence.client_id == client_id,
            PlanOccurrence.active.is_(True),
            PlanOccurrence.optional.is_(False),
        )
        .group_by(PlanOccurrence.local_date)
        .order_by(PlanOccurrence.local_date)
    ).all()
    return [DayCount(*row) for row in rows]


@dataclass(frozen=True)
class DayCount:
    day: date
    planned: int
    due: int
    done: int
