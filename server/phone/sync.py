"""The sync use case: store a device's events once each, and hand back everything new.

Sequence numbers are per client and taken while holding the client's row lock, so they are
committed in the order they are given out: a reader that has seen number N can never later
find a smaller number appear. That is what makes the cursor safe (a global auto-increment is
not: a transaction can take id 7, commit after id 8, and a reader at 8 would skip it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ..domain.sync import Event, classify, encode_cursor
from ..domain.timeline import local_midnight
from ..extensions import db
from ..models import AdherenceEvent, Client, Device, Plan, PlanOccurrence
from ..reminders.schedule import schedule

PAGE = 1000
REASONS = {
    "conflict": "An event with this id was already stored with different content.",
    "unknown_occurrence": "This task occurrence is not in any plan given to this client.",
    "not_yet_due": "This task's day has not begun: it can be ticked from the day before it.",
}


class ClientGone(Exception):
    """The client was deleted between the device's sign-in check and its sync."""


@dataclass(frozen=True)
class SyncResult:
    accepted: list[str]
    rejected: list[dict]
    events: list[AdherenceEvent]  # pulled, in cursor order
    cursor: str
    more: bool
    plan_version: str | None


def lock_client(client_id: int) -> Client:
    """Take the client's row lock for this transaction; return the client as of that moment.

    A no-op UPDATE is the first statement: on PostgreSQL it locks the row, on SQLite it takes
    the database's write lock at once (see extensions.py), before anything is read. RETURNING
    loads the locked row in the same statement, over any copy read before the lock.
    """
    locked = update(Client).where(Client.id == client_id).values(event_seq=Client.event_seq)
    client = db.session.scalar(
        locked.returning(Client),
        execution_options={"synchronize_session": False, "populate_existing": True},
    )
    if client is None:
        raise ClientGone(client_id)
    return client


def sync(
    device: Device,
    incoming: list[Event],
    after: int,
    reported_timezone: str | None,
    now: datetime,
) -> SyncResult:
    """Store new events, report duplicates and rejections, and pull all events after `after`."""
    client_id = device.client_id
    # Locked (and loaded) before any event is added: a load with rows pending would flush them
    # early, and each flush runs the summaries' hook (clinic/summaries.py) again.
    client = lock_client(client_id)
    seq = client.event_seq
    known = _day_starts(client, incoming)
    verdicts = classify(incoming, _stored(client_id, incoming), known)
    accepted, rejected = [], []
    for verdict in verdicts:
        event = verdict.event
        if verdict.outcome in ("new", "duplicate"):
            accepted.append(str(event.id))
        else:
            rejected.append(
                {"id": str(event.id), "code": verdict.outcome, "reason": REASONS[verdict.outcome]}
            )
        if verdict.outcome == "new":
            seq += 1
            db.session.add(_row(client_id, device.id, seq, event, now))
    client.event_seq = seq
    device.last_seen_at = now
    if reported_timezone:
        device.timezone = reported_timezone
        if client.device_timezone != reported_timezone:
            client.device_timezone, client.device_timezone_at = reported_timezone, now
            schedule(client, now)  # a traveller's reminders move to their new clock
    db.session.flush()
    pulled = list(
        db.session.scalars(
            select(AdherenceEvent)
            .where(AdherenceEvent.client_id == client_id, AdherenceEvent.seq > after)
            .order_by(AdherenceEvent.seq)
            .limit(PAGE + 1)
        )
    )
    more = len(pulled) > PAGE
    pulled = pulled[:PAGE]
    return SyncResult(
        accepted=accepted,
        rejected=rejected,
        events=pulled,
        cursor=encode_cursor(pulled[-1].seq if pulled else max(after, 0)),
        more=more,
        # The version alone: loading the plan would decode its whole content on every sync.
        plan_version=db.session.scalar(select(Plan.version).where(Plan.client_id == client_id)),
    )


def _stored(client_id: int, incoming: list[Event]) -> dict[UUID, Event]:
    ids = list({event.id for event in incoming})
    if not ids:
        return {}
    rows = db.session.scalars(
        select(AdherenceEvent).where(
            AdherenceEvent.client_id == client_id, AdherenceEvent.event_id.in_(ids)
        )
    )
    return {row.event_id: as_event(row) for row in rows}


def _day_starts(client: Client, incoming: list[Event]) -> dict[str, datetime]:
    """For each occurrence of the batch the client was ever given: when its local day began."""
    occurrences = list({event.occurrence for event in incoming})
    if not occurrences:
        return {}
    zone = ZoneInfo(client.timezone)
    rows = db.session.execute(
        select(PlanOccurrence.occurrence_id, PlanOccurrence.local_date).where(
            PlanOccurrence.client_id == client.id,
            PlanOccurrence.occurrence_id.in_(occurrences),
        )
    )
    return {occurrence: local_midnight(day, zone) for occurrence, day in rows}


def _row(client_id: int, device_id: int, seq: int, event: Event, now: datetime):
    return AdherenceEvent(
        client_id=client_id,
        seq=seq,
        event_id=event.id,
        occurrence_id=event.occurrence,
        action=event.action,
        device_at=event.at,
        device_utc_offset_minutes=int(event.at.utcoffset().total_seconds() // 60),
        received_at=now,
        device_id=device_id,
    )


def as_event(row: AdherenceEvent) -> Event:
    return Event(row.event_id, row.occurrence_id, row.action, row.device_time)
