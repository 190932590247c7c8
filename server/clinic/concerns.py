"""Concerns found in SQL and kept in the concerns table, as the summaries are refreshed.

`find` asks the database which concerns hold now (domain/concerns.py says what each means);
`keep` records the new ones, clears those that no longer hold (a late tick arrived, the
schedule was fixed) and reopens any that hold again, for one batch of clients. summaries.py
calls it before it recomputes their lines, so the list's counts read the concerns as kept.
A handled concern is never touched again: the same miss does not come back, a new one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Select,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.orm import aliased

from ..domain.concerns import (
    BEFORE_SESSION,
    CRITICAL_DAYS,
    FOLLOW_UP,
    MISSED_BEFORE_SESSION,
    MISSED_CRITICAL,
    RED_FLAG,
    RED_FLAG_FOLLOW_UP,
    SCHEDULE,
    SILENT_AFTER,
    SILENT_PHONE,
)
from ..extensions import db
from ..models import (
    CheckinAnswer,
    Client,
    Device,
    Plan,
    PlanOccurrence,
    TreatmentSession,
    UTCDateTime,
)
from ..models.concern import Concern
from ..models.sql_dates import days_after, local_date, shifted
from ..models.upsert import insert


class Found(NamedTuple):
    client_id: int
    kind: str
    key: str  # what tells this concern from another of its kind (the subject)
    occurrence_id: str | None
    session_id: int | None
    day: object  # date | None
    expires_at: datetime | None


def counted_from(client_ids: Select):
    """Per client with a phone: `since`, the moment their adherence counts from (their first
    phone's connection), and `last_sync`, their phones' latest sync. A client without a phone
    has no row: nothing counts. Ticks are made in the app, so what fell due before it was
    connected, or before the client was added, is nobody's miss; a client without a phone is
    a concern of its own (`_silent`)."""
    return (
        select(
            Device.client_id,
            func.min(Device.created_at).label("since"),
            func.max(Device.last_seen_at).label("last_sync"),
        )
        .where(Device.client_id.in_(client_ids))
        .group_by(Device.client_id)
        .subquery("counted_from")
    )


def on_the_phone_in_time(occurrence=PlanOccurrence):
    """The client's phone had the occurrence, at its present times, when it fell due: a task
    a correction dated in the past, or the phone never fetched, is nobody's miss."""
    return occurrence.delivered_at <= occurrence.due_end


def _missed(client_ids: Select, now: datetime, done):
    """Required occurrences due (after the counting starts, on the phone in time) and not
    done, as far as the phone has told: one due after its last sync is not known to be missed
    (a silent phone is a concern of its own)."""
    start = counted_from(client_ids)
    return (
        select(PlanOccurrence)
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
            PlanOccurrence.due_end <= start.c.last_sync,
            on_the_phone_in_time(),
            done.c.occurrence_id.is_(None),
        )
        .subquery("missed")
    )


def _in_critical_days(occurrence, session) -> object:
    """The occurrence falls on days 1 to CRITICAL_DAYS after `session` (client's own dates)."""
    day_one = local_date(session.ends_at, Client.timezone)
    return and_(
        occurrence.local_date >= day_one,
        occurrence.local_date < days_after(day_one, CRITICAL_DAYS),
    )


def find(client_ids: Select, now: datetime, done) -> Select:
    """Every concern that holds at `now` for these clients, expired ones included:
    (client_id, kind, key, occurrence_id, session_id, day, expires_at).

    `done` is adherence's subquery of done occurrences for the same clients.
    """
    missed = _missed(client_ids, now, done)
    session = aliased(TreatmentSession)
    critical = (
        select(
            missed.c.client_id,
            literal(MISSED_CRITICAL).label("kind"),
            missed.c.occurrence_id.label("key"),
            missed.c.occurrence_id,
            func.min(session.id).label("session_id"),
            missed.c.local_date.label("day"),
            type_coerce(func.max(shifted(session.ends_at, FOLLOW_UP)), UTCDateTime).label(
                "expires_at"
            ),
        )
        .join(session, session.client_id == missed.c.client_id)
        .join(Client, Client.id == missed.c.client_id)
        .where(_in_critical_days(missed.c, session))
        .group_by(missed.c.client_id, missed.c.occurrence_id, missed.c.local_date)
    )

    upcoming = aliased(TreatmentSession)
    earlier = aliased(TreatmentSession)
    previous_end = (
        select(func.max(earlier.ends_at))
        .where(earlier.client_id == upcoming.client_id, earlier.ends_at <= upcoming.starts_at)
        .scalar_subquery()
    )
    in_any_critical_days = exists().where(
        session.client_id == missed.c.client_id, _in_critical_days(missed.c, session)
    )
    before_session = (
        select(
            missed.c.client_id,
            literal(MISSED_BEFORE_SESSION).label("kind"),
            missed.c.occurrence_id.label("key"),
            missed.c.occurrence_id,
            func.min(upcoming.id).label("session_id"),
            missed.c.local_date.label("day"),
            func.min(upcoming.starts_at).label("expires_at"),
        )
        .join(upcoming, upcoming.client_id == missed.c.client_id)
        .join(Client, Client.id == missed.c.client_id)
        .where(
            upcoming.starts_at > now,
            upcoming.starts_at <= now + BEFORE_SESSION,
            missed.c.due_end <= upcoming.starts_at,
            or_(previous_end.is_(None), missed.c.due_end > previous_end),
            ~in_any_critical_days,
        )
        .group_by(missed.c.client_id, missed.c.occurrence_id, missed.c.local_date)
    )

    schedule = select(
        Plan.client_id,
        literal(SCHEDULE).label("kind"),
        Plan.schedule_key.label("key"),
        null().label("occurrence_id"),
        null().label("session_id"),
        null().label("day"),
        null().label("expires_at"),
    ).where(Plan.client_id.in_(client_ids), Plan.schedule_key.is_not(None))

    return union_all(
        _red_flags(client_ids), critical, before_session, schedule, _silent(client_ids, now)
    )


def _red_flags(client_ids: Select) -> Select:
    """Each check-in answered with a red flag: one concern per check-in, keyed by its row."""
    return (
        select(
            CheckinAnswer.client_id,
            literal(RED_FLAG).label("kind"),
            cast(CheckinAnswer.id, String).label("key"),
            CheckinAnswer.occurrence_id,
            null().label("session_id"),
            PlanOccurrence.local_date.label("day"),
            type_coerce(shifted(CheckinAnswer.received_at, RED_FLAG_FOLLOW_UP), UTCDateTime).label(
                "expires_at"
            ),
        )
        .outerjoin(
            PlanOccurrence,
            (PlanOccurrence.client_id == CheckinAnswer.client_id)
            & (PlanOccurrence.occurrence_id == CheckinAnswer.occurrence_id),
        )
        .where(CheckinAnswer.client_id.in_(client_ids), CheckinAnswer.flagged.is_(True))
    )


def _silent(client_ids: Select, now: datetime) -> Select:
    """A phone silent for SILENT_AFTER (or never connected since the client was added) while
    required tasks fell due in that time. The key is when the silence began."""
    last_sync = counted_from(client_ids)
    since = func.coalesce(last_sync.c.last_sync, Client.created_at)
    fell_due = exists().where(
        PlanOccurrence.client_id == Client.id,
        PlanOccurrence.active.is_(True),
        PlanOccurrence.optional.is_(False),
        PlanOccurrence.due_end <= now,
        PlanOccurrence.due_end > now - SILENT_AFTER,
    )
    return (
        select(
            Client.id.label("client_id"),
            literal(SILENT_PHONE).label("kind"),
            # The key is text built by the database from the instant: the same on every read.
            func.coalesce(cast(last_sync.c.last_sync, String), "added").label("key"),
            null().label("occurrence_id"),
            null().label("session_id"),
            null().label("day"),
            null().label("expires_at"),
        )
        .outerjoin(last_sync, last_sync.c.client_id == Client.id)
        .where(Client.id.in_(client_ids), since < now - SILENT_AFTER, fell_due)
    )


def keep(client_ids: Sequence[int], now: datetime, done) -> None:
    """Bring the kept concerns of these clients in line with what `find` says holds now."""
    ids = select(Client.id).where(Client.id.in_(client_ids))
    found = {
        (row.client_id, row.kind, str(row.key)): row
        for row in db.session.execute(find(ids, now, done)).all()
    }
    kept = db.session.execute(
        select(
            Concern.id, Concern.client_id, Concern.kind, Concern.subject, Concern.cleared_at
        ).where(Concern.client_id.in_(client_ids), Concern.handled_by_id.is_(None))
    ).all()
    known = {(row.client_id, row.kind, row.subject) for row in kept}
    cleared = [row.id for row in kept if row.cleared_at is None and _key(row) not in found]
    reopened = [row.id for row in kept if row.cleared_at is not None and _key(row) in found]
    new = [
        {
            "client_id": row.client_id,
            "kind": row.kind,
            "subject": key[2],
            "occurrence_id": row.occurrence_id,
            "session_id": row.session_id,
            "day": row.day,
            "raised_at": now,
            "expires_at": row.expires_at,
        }
        for key, row in found.items()
        if key not in known and (row.expires_at is None or row.expires_at > now)
    ]
    if new:  # a handled concern with the same subject stays handled: nothing is inserted
        db.session.execute(
            insert(Concern).on_conflict_do_nothing(index_elements=["client_id", "kind", "subject"]),
            new,
        )
    if cleared:
        db.session.execute(update(Concern).where(Concern.id.in_(cleared)).values(cleared_at=now))
    if reopened:
        db.session.execute(update(Concern).where(Concern.id.in_(reopened)).values(cleared_at=None))


def _key(row) -> tuple:
    return (row.client_id, row.kind, row.subject)


def open_now(now: datetime):
    """The condition for a concern the clinic still has to act on."""
    return and_(
        Concern.handled_by_id.is_(None),
        Concern.cleared_at.is_(None),
        or_(Concern.expires_at.is_(None), Concern.expires_at > now),
    )


def expired_unhandled(now: datetime):
    """Concerns nobody handled before they expired (the list shows them when asked)."""
    return and_(
        Concern.handled_by_id.is_(None),
        Concern.cleared_at.is_(None),
        Concern.expires_at <= now,
    )
