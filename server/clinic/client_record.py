"""A client's record as the clinic sees it: profile, sessions, plan, adherence, devices, log."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select

from . import adherence
from .clinic_scope import clinic_clients
from .extensions import db
from .models import AdherenceEvent, Client, Device, PlanOccurrence, ProtocolBundle

EVENT_LOG_LIMIT = 500


def describe(client: Client, now: datetime) -> dict:
    """Profile, protocol, sessions, plan, adherence, devices and event log of one client."""
    db.session.flush()
    row = db.session.execute(
        adherence.with_summary(clinic_clients().where(Client.id == client.id), now)
    ).one()
    plan = client.plan
    bundle = db.session.get(ProtocolBundle, plan.bundle_version)
    events, more = _event_log(client.id)
    devices = db.session.scalars(
        select(Device).where(Device.client_id == client.id).order_by(Device.id)
    )
    return {
        "id": client.id,
        "name": client.name,
        "contact": client.contact,
        "timezone": client.timezone,
        "wake": client.wake_time,
        "bed": client.bed_time,
        "answers": dict(client.answers),
        "created_at": client.created_at,
        "deletion_requested_at": client.deletion_requested_at,
        # As the plan was built: a protocol file edited since does not change it.
        "protocol": {
            "id": client.protocol_id,
            "title": bundle.content["title"],
            "bundle_version": bundle.version,
        },
        "sessions": _sessions(client),
        "plan": {
            "version": plan.version,
            "built_at": plan.built_at,
            "warnings": plan.content["warnings"],
        },
        "summary": adherence.summary(row),
        "devices": [device_json(device) for device in devices],
        "events": events,
        "events_more": more,
    }


def _sessions(client: Client) -> list[dict]:
    zone = ZoneInfo(client.timezone)
    count = len(client.sessions)
    return [
        {
            "id": session.id,
            "number": number,
            "start": session.starts_at.astimezone(zone),
            "end": session.ends_at.astimezone(zone),
            "final": number == count,
        }
        for number, session in enumerate(client.sessions, start=1)
    ]


def device_json(device: Device) -> dict:
    return {
        "id": device.id,
        "label": device.label,
        "timezone": device.timezone,
        "created_at": device.created_at,
        "last_seen_at": device.last_seen_at,
        "revoked_at": device.revoked_at,
    }


def _event_log(client_id: int) -> tuple[list[dict], bool]:
    """The newest events first (in the order the server received them), capped."""
    rows = db.session.execute(
        select(AdherenceEvent, PlanOccurrence.task_id)
        .outerjoin(
            PlanOccurrence,
            and_(
                PlanOccurrence.client_id == AdherenceEvent.client_id,
                PlanOccurrence.occurrence_id == AdherenceEvent.occurrence_id,
            ),
        )
        .where(AdherenceEvent.client_id == client_id)
        .order_by(AdherenceEvent.seq.desc())
        .limit(EVENT_LOG_LIMIT + 1)
    ).all()
    events = [
        {
            "event_id": str(event.event_id),
            "occurrence_id": event.occurrence_id,
            "task_id": task_id,
            "action": event.action,
            # As the device said it, in its own UTC offset.
            "device_at": event.device_time,
            "received_at": event.received_at,
            "device_id": event.device_id,
        }
        for event, task_id in rows[:EVENT_LOG_LIMIT]
    ]
    return events, len(rows) > EVENT_LOG_LIMIT
