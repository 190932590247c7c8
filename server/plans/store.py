"""Building a client's plan from the database and keeping it, and its occurrences, stored."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from . import reminders
from .domain.plan import Plan as DomainPlan
from .domain.plan import Profile, build_plan
from .domain.protocol import Protocol
from .domain.timeline import Session
from .extensions import db
from .models import Client, Plan, PlanOccurrence, ProtocolBundle
from .protocols import Registry, to_domain


class UnknownProtocol(LookupError):
    pass


@lru_cache(maxsize=64)
def _protocol(version: str, content_json: str) -> Protocol:
    return to_domain(json.loads(content_json))


def protocol_for(bundle: ProtocolBundle) -> Protocol:
    return _protocol(bundle.version, json.dumps(bundle.content, sort_keys=True))


def pinned_bundle(client: Client, registry: Registry) -> ProtocolBundle:
    """The bundle the client's plan is built from: the one it was, unless the protocol changed.

    A clinic editing a protocol file must not silently rewrite a client's plan; a new client,
    or a client switched to another protocol, gets the current version.
    """
    if client.plan is not None:
        bundle = db.session.get(ProtocolBundle, client.plan.bundle_version)
        if bundle is not None and bundle.protocol_id == client.protocol_id:
            return bundle
    loaded = registry.get(client.protocol_id)
    if loaded is None:
        raise UnknownProtocol(client.protocol_id)
    bundle = db.session.get(ProtocolBundle, loaded.bundle_version)
    if bundle is None:
        # Two plans may be built at once from a protocol version nobody used yet: the first
        # insert wins, the other finds the row instead of failing on the key.
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(
            dialect.insert(ProtocolBundle)
            .values(
                version=loaded.bundle_version,
                protocol_id=loaded.protocol.id,
                content=dict(loaded.bundle),
            )
            .on_conflict_do_nothing(index_elements=["version"])
        )
        bundle = db.session.get(ProtocolBundle, loaded.bundle_version)
    return bundle


def rebuild(client: Client, registry: Registry, now: datetime) -> Plan:
    """Build the client's plan and store it; logged events stay attached by occurrence id."""
    bundle = pinned_bundle(client, registry)
    sessions = [Session(str(s.id), s.starts_at, s.ends_at) for s in client.sessions]
    profile = Profile(client.timezone, dict(client.answers), client.wake_time, client.bed_time)
    plan = build_plan(protocol_for(bundle), profile, sessions, bundle.version)
    content = plan_content(plan, client)
    if client.plan is None:
        client.plan = Plan(client_id=client.id, version="", bundle_version=bundle.version)
    client.plan.bundle_version = bundle.version
    client.plan.version = content["version"]
    client.plan.content = content
    client.plan.built_at = now
    client.plan.spacing_too_short = any(w.code == "spacing_too_short" for w in plan.warnings)
    _store_occurrences(client.id, plan)
    db.session.flush()
    reminders.schedule(client, now)  # reminders follow the new plan at once
    return client.plan


def set_waking_day(client: Client, wake: str, bed: str, registry: Registry, now: datetime) -> Plan:
    """Move the client's day (HH:MM) and rebuild; raises ValueError if it is too short."""
    client.wake_time, client.bed_time = time.fromisoformat(wake), time.fromisoformat(bed)
    return rebuild(client, registry, now)


def _store_occurrences(client_id: int, plan: DomainPlan) -> None:
    """Upsert this plan's occurrences; those it no longer has stay, marked inactive."""
    stored = {
        row.occurrence_id: row
        for row in db.session.scalars(
            select(PlanOccurrence).where(PlanOccurrence.client_id == client_id)
        )
    }
    for occurrence in plan.occurrences:
        row = stored.pop(occurrence.id, None)
        if row is None:
            row = PlanOccurrence(client_id=client_id, occurrence_id=occurrence.id)
            db.session.add(row)
        row.task_id = occurrence.task_id
        row.local_date = occurrence.date
        row.slot = occurrence.slot
        row.due_start = occurrence.due_start
        row.due_end = occurrence.due_end
        row.follows = occurrence.follows
        row.optional = occurrence.optional
        row.active = True
    if stored:
        db.session.execute(
            update(PlanOccurrence)
            .where(PlanOccurrence.client_id == client_id)
            .where(PlanOccurrence.occurrence_id.in_(list(stored)))
            .values(active=False)
        )


def plan_content(plan: DomainPlan, client: Client) -> dict:
    """The plan as the app receives it, with a version that is a hash of everything in it."""
    sessions = list(client.sessions)
    tz = ZoneInfo(plan.timezone)
    content = {
        "protocol_id": plan.protocol_id,
        "bundle_version": plan.bundle_version,
        "timezone": plan.timezone,
        "wake": client.wake_time.strftime("%H:%M"),
        "bed": client.bed_time.strftime("%H:%M"),
        "answers": dict(plan.answers),
        "sessions": [
            {
                "id": str(s.id),
                "number": number,
                "start": s.starts_at.astimezone(tz).isoformat(),
                "end": s.ends_at.astimezone(tz).isoformat(),
                "final": number == len(sessions),
            }
            for number, s in enumerate(sessions, start=1)
        ],
        "occurrences": [
            {
                "id": o.id,
                "task": o.task_id,
                "date": o.date.isoformat(),
                "slot": o.slot,
                "at": o.at.isoformat(),
                "due_end": o.due_end.isoformat(),
                "follows": o.follows,
                "optional": o.optional,
            }
            for o in plan.occurrences
        ],
        "restrictions": [
            {"id": r.restriction_id, "start": r.start.isoformat(), "end": _maybe(r.end)}
            for r in plan.restrictions
        ],
        "milestones": [
            {
                "restriction": m.restriction_id,
                "at": m.at.isoformat(),
                "date": m.date.isoformat(),
                "text": m.text,
            }
            for m in plan.milestones
        ],
        "cards": [
            {"id": c.card_id, "start": _maybe(c.start), "end": _maybe(c.end)} for c in plan.cards
        ],
        "warnings": [
            {"code": w.code, "message": w.message, "date": w.date.isoformat() if w.date else None}
            for w in plan.warnings
        ],
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    content["version"] = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return content


def _maybe(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
