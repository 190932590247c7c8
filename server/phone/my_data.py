"""A client's own data: all of it as one document, their request to be deleted, and deletion.

The clinic is the controller of its clients' data: a client asks from the app, the request
shows on the dashboard, and one of the clinic's admins deletes the client within
DELETION_DEADLINE (docs/privacy.md). The calling view commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from . import audit
from .clinic_scope import client_or_404, clinic_clients
from .clinicians import require_admin
from .extensions import db
from .models import (
    AdherenceEvent,
    AuditEntry,
    Client,
    Device,
    EnrollmentCode,
    PlanOccurrence,
    PushSubscription,
    Reminder,
    TreatmentSession,
)

EXPORT_FORMAT = "aftercue-client-data/1"
DELETION_DEADLINE = timedelta(days=30)


def export(device: Device, now: datetime) -> dict:
    """Everything stored about the device's client, less secrets (token and code hashes, keys)."""
    client = device.client
    audit.record_by_client("app.export", client, {"device_id": device.id}, now=now)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now,
        "clinic": {"name": client.clinic.name},
        "client": _profile(client),
        "treatment_sessions": _rows(TreatmentSession, client.id, TreatmentSession.starts_at),
        "plan": _plan(client),
        "task_occurrences": _rows(
            PlanOccurrence, client.id, PlanOccurrence.due_start, PlanOccurrence.occurrence_id
        ),
        "adherence_events": [
            _event(e) for e in _rows(AdherenceEvent, client.id, AdherenceEvent.seq)
        ],
        "devices": _rows(Device, client.id, Device.id),
        "push_subscriptions": db.session.scalars(
            select(PushSubscription)
            .join(Device, Device.id == PushSubscription.device_id)
            .where(Device.client_id == client.id)
            .order_by(PushSubscription.id)
        ).all(),
        "reminders": _rows(Reminder, client.id, Reminder.due_at, Reminder.id),
        "enrollment_codes": _rows(EnrollmentCode, client.id, EnrollmentCode.created_at),
    }


def request_deletion(device: Device, now: datetime) -> dict:
    """Ask the clinic to delete the client's data; asking again keeps the first date."""
    client = device.client
    # A conditional update, so two requests at once leave one date and one audit entry.
    first = db.session.execute(
        update(Client)
        .where(Client.id == client.id, Client.deletion_requested_at.is_(None))
        .values(deletion_requested_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(client, ["deletion_requested_at"])
    if first:
        audit.record_by_client("app.deletion_request", client, {"device_id": device.id}, now=now)
    return deletion_status(client)


def deletion_status(client: Client) -> dict:
    """When the client asked to be deleted and the date the clinic must do it by."""
    requested = client.deletion_requested_at
    return {"requested_at": requested, "delete_by": requested and requested + DELETION_DEADLINE}


def open_requests() -> int:
    """How many of the clinic's clients are waiting to be deleted."""
    waiting = clinic_clients().where(Client.deletion_requested_at.is_not(None))
    return db.session.scalar(waiting.with_only_columns(func.count(Client.id)))


def delete_client(client_id: int, now: datetime) -> None:
    """Delete one of the admin's clients and every row about them; leave one audit line.

    Every table that refers to a client, directly or through a device or push subscription,
    does so with ON DELETE CASCADE (on SQLite too: foreign keys are switched on), so deleting
    the client's row deletes the rest in the same transaction. A table added without it
    would make this fail rather than leave rows behind. The trail of who saw or changed the
    record stays, with its details (session times, changed fields) wiped.
    """
    admin = require_admin()
    client = client_or_404(client_id)
    requested = client.deletion_requested_at
    db.session.expunge(client)  # its loaded relationships must not be flushed back
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.clinic_id == admin.clinic_id, AuditEntry.client_id == client_id)
        .values(detail={})
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(Client)
        .where(Client.id == client_id, Client.clinic_id == admin.clinic_id)
        .execution_options(synchronize_session=False)
    )
    detail = {"deletion_requested_at": requested and requested.isoformat()}
    audit.record("client.delete", client_id, detail, now=now, by=admin)


def _profile(client: Client) -> dict:
    return {
        "id": client.id,
        "name": client.name,
        "contact": client.contact,
        "timezone": client.timezone,
        "device_timezone": client.device_timezone,
        "device_timezone_at": client.device_timezone_at,
        "protocol_id": client.protocol_id,
        "answers": dict(client.answers),
        "wake": client.wake_time,
        "bed": client.bed_time,
        "reminders": {
            "enabled": client.reminders_enabled,
            "discreet": client.reminders_discreet,
            "quiet_start": client.quiet_start,
            "quiet_end": client.quiet_end,
        },
        "created_at": client.created_at,
        "deletion_requested_at": client.deletion_requested_at,
    }


def _plan(client: Client) -> dict | None:
    plan = client.plan
    if plan is None:
        return None
    return {
        "version": plan.version,
        "bundle_version": plan.bundle_version,
        "built_at": plan.built_at,
        "content": plan.content,
    }


def _event(event: AdherenceEvent) -> dict:
    return {
        "event_id": event.event_id,
        "seq": event.seq,
        "occurrence_id": event.occurrence_id,
        "action": event.action,
        # As the phone said it, in its own UTC offset, beside when the server received it.
        "device_at": event.device_time,
        "received_at": event.received_at,
        "device_id": event.device_id,
    }


def _rows(model, client_id: int, *order) -> list:
    return db.session.scalars(
        select(model).where(model.client_id == client_id).order_by(*order)
    ).all()
