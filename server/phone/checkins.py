"""Check-in answers from a phone: checked against the client's plan, stored once each.

Like ticks, a check-in carries an id made on the phone, so a resend after a lost answer is
stored once; the same id with different content is a conflict. A batch is checked whole
before anything is stored: one bad answer refuses the batch and stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from ..domain.checkins import CHECKIN_TASK, raised
from ..domain.errors import Conflict, InvalidField
from ..extensions import db
from ..models import CheckinAnswer, Device, PlanOccurrence
from ..plans.bundles import pinned_bundle, protocol_for
from ..plans.registry import Registry
from .sync import lock_client


@dataclass(frozen=True, slots=True)
class SentCheckin:
    id: UUID
    occurrence: str
    answers: Mapping[str, object]
    at: datetime  # aware, as the phone said, to the millisecond


def record(device: Device, sent: list[SentCheckin], registry: Registry, now: datetime):
    """Store the new check-ins of `sent` and return every one of them as stored; InvalidField
    (nothing stored) for an unknown occurrence or answers the check-in does not take,
    Conflict for an id already stored with other content."""
    client = lock_client(device.client_id)
    checkin = protocol_for(pinned_bundle(client, registry)).checkin
    days = _checkin_days(client.id, [item.occurrence for item in sent])
    stored = _stored(client.id, [item.id for item in sent])
    rows, new = [], []
    for index, item in enumerate(sent):
        where = f"checkins.{index}"
        before = stored.get(item.id)
        if before is not None:
            if not _same(before, item):
                raise Conflict(
                    "checkin_conflict",
                    "A check-in with this id was already stored with different answers.",
                    f"{where}.id",
                )
            rows.append(before)
            continue
        if item.occurrence not in days or checkin is None:
            raise InvalidField(f"{where}.occurrence", "Not a check-in of this client's plan.")
        try:
            answers = checkin.check_answers(item.answers)
        except ValueError as error:
            raise InvalidField(f"{where}.answers", str(error)) from None
        flags = raised(checkin.red_flags, answers, days[item.occurrence])
        row = CheckinAnswer(
            client_id=client.id,
            checkin_id=item.id,
            occurrence_id=item.occurrence,
            day=days[item.occurrence],
            answers=answers,
            red_flags=flags,
            flagged=bool(flags),
            device_at=item.at,
            device_utc_offset_minutes=int(item.at.utcoffset().total_seconds() // 60),
            received_at=now,
            device_id=device.id,
        )
        stored[item.id] = row
        rows.append(row)
        new.append(row)
    db.session.add_all(new)
    device.last_seen_at = now
    db.session.flush()
    return rows


def _checkin_days(client_id: int, occurrences: list[str]) -> dict[str, int]:
    """occurrence id -> its day after its session, for the client's check-in occurrences."""
    rows = db.session.execute(
        select(PlanOccurrence.occurrence_id, PlanOccurrence.anchor_day).where(
            PlanOccurrence.client_id == client_id,
            PlanOccurrence.task_id == CHECKIN_TASK,
            PlanOccurrence.occurrence_id.in_(set(occurrences)),
        )
    )
    return {occurrence: day or 1 for occurrence, day in rows}


def _stored(client_id: int, ids: list[UUID]) -> dict[UUID, CheckinAnswer]:
    rows = db.session.scalars(
        select(CheckinAnswer).where(
            CheckinAnswer.client_id == client_id, CheckinAnswer.checkin_id.in_(set(ids))
        )
    )
    return {row.checkin_id: row for row in rows}


def _same(row: CheckinAnswer, item: SentCheckin) -> bool:
    return (
        row.occurrence_id == item.occurrence
        and dict(row.answers) == dict(item.answers)
        and row.device_time == item.at
        and row.device_time.utcoffset() == item.at.utcoffset()
    )
