"""A client's own data, from their phone: all of it as one document, and asking to be deleted.

The clinic is the controller of its clients' data: a client asks from the app, the request
shows on the dashboard, and one of the clinic's admins deletes the client within 30 days
(docs/privacy.md; clinic/deletion.py). The calling view commits.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select, update

from ..clinic.audit import record_by_client
from ..clinic.deletion import deletion_status
from ..extensions import db
from ..models import (
    AdherenceEvent,
    CheckinAnswer,
    Client,
    Device,
    EnrollmentCode,
    Photo,
    PlanOccurrence,
    PushSubscription,
    Reminder,
    TreatmentSession,
)
from ..photos.uploads import image_of

EXPORT_FORMAT = "aftercue-client-data/1"


def export(device: Device, now: datetime) -> dict:
    """Everything stored about the device's client, less secrets (token and code hashes, keys).

    The row lists are read lazily, a batch at a time, as the answer is sent (after the caller
    has committed the audit entry): schemas/streaming.py writes them out an item at a time.
    """
    client = device.client
    record_by_client("app.export", client, {"device_id": device.id}, now=now)
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
        "adherence_events": _rows(AdherenceEvent, client.id, AdherenceEvent.seq),
        "checkin_answers": _rows(CheckinAnswer, client.id, CheckinAnswer.id),
        "devices": _rows(Device, client.id, Device.id),
        "push_subscriptions": _read(
            select(PushSubscription)
            .join(Device, Device.id == PushSubscription.device_id)
            .where(Device.client_id == client.id)
            .order_by(PushSubscription.id)
        ),
        "reminders": _rows(Reminder, client.id, Reminder.due_at, Reminder.id),
        "enrollment_codes": _rows(EnrollmentCode, client.id, EnrollmentCode.created_at),
        "photos": _photos(client.id),
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
        record_by_client("app.deletion_request", client, {"device_id": device.id}, now=now)
    return deletion_status(client)


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


BATCH = 500


def _photos(client_id: int) -> Iterator[dict]:
    """Each photo with its image inline (base64), read one at a time as the answer is sent:
    the export is a file to keep, so it holds the photos themselves, not links that need this
    phone's token. A few hundred KB a photo as stored (1.2 MB at worst), one in memory at a
    time."""
    for photo in _rows(Photo, client_id, Photo.taken_at, Photo.id):
        data = image_of(photo) or b""
        yield {
            **{c.key: getattr(photo, c.key) for c in Photo.__table__.columns},
            "taken_time": photo.taken_time,
            "data_base64": base64.b64encode(data).decode(),
        }


def _rows(model, client_id: int, *order) -> Iterator:
    return _read(select(model).where(model.client_id == client_id).order_by(*order))


def _read(query) -> Iterator:
    """The query's rows, run only when first asked for and fetched BATCH at a time."""
    yield from db.session.scalars(query.execution_options(yield_per=BATCH))
