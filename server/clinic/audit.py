"""The audit trail: who saw or changed which client's record, and when."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, insert, literal, select

from ..extensions import db
from ..models import AuditEntry, Client, Clinician
from .scope import current_clinician


def record(
    action: str,
    client_id: int | None = None,
    detail: dict[str, Any] | None = None,
    *,
    now: datetime,
    by: Clinician | None = None,
) -> AuditEntry:
    """Add an entry by `by` (default: the signed-in clinician); never put secrets in `detail`."""
    clinician = by or current_clinician()
    entry = AuditEntry(
        clinic_id=clinician.clinic_id,
        clinician_id=clinician.id,
        client_id=client_id,
        action=action,
        detail=detail or {},
        at=now,
    )
    db.session.add(entry)
    return entry


def record_by_client(
    action: str, client: Client, detail: dict[str, Any] | None = None, *, now: datetime
) -> AuditEntry:
    """Add an entry for something the client did from the app: no clinician, an `app.` action."""
    entry = AuditEntry(
        clinic_id=client.clinic_id, client_id=client.id, action=action, detail=detail or {}, at=now
    )
    db.session.add(entry)
    return entry


def record_once(action: str, detail: dict[str, str | None], *, within: timedelta, now: datetime):
    """Add an entry by the signed-in clinician unless they have one with this action and
    detail since `now - within`: one INSERT … SELECT … WHERE NOT EXISTS, added or not."""
    clinician = current_clinician()
    same = [
        AuditEntry.clinic_id == clinician.clinic_id,
        AuditEntry.at > now - within,
        AuditEntry.clinician_id == clinician.id,
        AuditEntry.action == action,
        *(
            AuditEntry.detail[key].as_string().is_not_distinct_from(value)
            for key, value in detail.items()
        ),
    ]
    columns = {
        AuditEntry.clinic_id: clinician.clinic_id,
        AuditEntry.clinician_id: clinician.id,
        AuditEntry.action: action,
        AuditEntry.detail: detail,
        AuditEntry.at: now,
    }
    row = select(*(literal(value, column.type) for column, value in columns.items()))
    db.session.execute(
        insert(AuditEntry).from_select(
            [column.key for column in columns], row.where(~exists().where(and_(*same)))
        )
    )
