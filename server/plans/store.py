"""The plan store: a client's plan built from the database and kept, with its occurrences.

A rebuild gives each occurrence the id stored for the same task, day after the same session
and slot (domain/identity.py), so logged ticks keep their meaning when a session moves;
occurrences a rebuild drops stay stored, marked inactive.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ..domain.errors import InvalidField
from ..domain.identity import Anchor, Identity, SessionDays, anchor, keep_ids
from ..domain.plan import Occurrence, Profile, build_plan
from ..domain.protocol import Protocol
from ..domain.slots import MIN_WAKING_HOURS, SHORT_DAY_MESSAGE, check_waking_day
from ..domain.spacing import schedule_key
from ..domain.timeline import Session
from ..extensions import db
from ..models import Client, Plan, PlanOccurrence, ProtocolBundle, TreatmentSession
from ..reminders.schedule import schedule
from ..schemas.phone import PlanSchema
from .bundles import pinned_bundle, protocol_for
from .registry import Registry
from .translations import localized, translation_warning

CONTENT = PlanSchema(exclude=("version",))


def rebuild(
    client: Client, registry: Registry, now: datetime, bundle: ProtocolBundle | None = None
) -> Plan:
    """Build the client's plan and store it, from `bundle` when given (a new version the clinic
    moves the client to), else the pinned one; ProtocolUnavailable without its protocol."""
    bundle = bundle or pinned_bundle(client, registry)
    plan = draft(client, registry, client.sessions, bundle)
    occurrences = identified(client, plan.occurrences, client.sessions)
    served = localized(bundle.content, client.language)
    untranslated = translation_warning(served)
    content = versioned(
        CONTENT.dump(
            {
                "protocol_id": plan.protocol_id,
                "bundle_version": plan.bundle_version,
                "timezone": plan.timezone,
                "wake": client.wake_time,
                "bed": client.bed_time,
                "answers": dict(plan.answers),
                "language": served["language"],
                "questions": questions(
                    protocol_for(bundle, client.language), client.answers or {}, plan.answers
                ),
                "sessions": numbered(client),
                "occurrences": [occurrence for occurrence, _ in occurrences],
                "restrictions": plan.restrictions,
                "milestones": plan.milestones,
                "cards": plan.cards,
                "warnings": [*plan.warnings, *([untranslated] if untranslated else [])],
            }
        )
    )
    if client.plan is None:
        client.plan = Plan(client_id=client.id, version="", bundle_version=bundle.version)
    client.plan.bundle_version = bundle.version
    client.plan.version = content["version"]
    client.plan.content = content
    client.plan.built_at = now
    client.plan.spacing_too_short = any(w.code == "spacing_too_short" for w in plan.warnings)
    client.plan.schedule_key = schedule_key(plan.warnings)
    _store_occurrences(client.id, occurrences, now)
    db.session.flush()
    schedule(client, now)  # reminders follow the new plan at once
    return client.plan


def draft(
    client: Client,
    registry: Registry,
    sessions: Iterable[TreatmentSession],
    bundle: ProtocolBundle | None = None,
):
    """The plan the client would have with these sessions, built but not stored: a rebuild
    stores it, a confirmation page shows what would change."""
    bundle = bundle or pinned_bundle(client, registry)
    profile = Profile(client.timezone, dict(client.answers), client.wake_time, client.bed_time)
    timed = [Session(str(s.id), s.starts_at, s.ends_at) for s in sessions]
    return build_plan(protocol_for(bundle, client.language), profile, timed, bundle.version)


def questions(protocol: Protocol, given: Mapping[str, str], planned: Mapping[str, str]):
    """Each of the protocol's questions with its options, the answer given (None: nobody has
    answered, so the app asks) and the answer the plan is drawn from meanwhile."""
    return [
        {
            "id": question.id,
            "label": question.label,
            "options": [{"value": o.value, "label": o.label} for o in question.options],
            "answer": given.get(question.id),
            "planned": planned[question.id],
        }
        for question in protocol.questions
    ]


def set_waking_day(client: Client, wake: time, bed: time, registry: Registry, now: datetime):
    """Move the client's day and rebuild; InvalidField when it is too short to hold the tasks."""
    check_day(wake, bed, "bed")
    client.wake_time, client.bed_time = wake, bed
    return rebuild(client, registry, now)


def check_day(wake: time, bed: time, field: str) -> None:
    """InvalidField on `field` when the waking day is too short (domain/slots.py says how)."""
    try:
        check_waking_day(wake, bed)
    except ValueError:
        raise InvalidField(field, SHORT_DAY_MESSAGE, count=MIN_WAKING_HOURS) from None


def numbered(client: Client) -> list[dict]:
    """The client's sessions in start order, numbered from 1, in the client's zone."""
    zone = ZoneInfo(client.timezone)
    sessions = list(client.sessions)
    return [
        {
            "id": session.id,
            "number": number,
            "start": session.starts_at.astimezone(zone),
            "end": session.ends_at.astimezone(zone),
            "final": number == len(sessions),
        }
        for number, session in enumerate(sessions, start=1)
    ]


def versioned(content: dict) -> dict:
    """The content with its version: a hash of everything in it, so any change shows."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return {**content, "version": hashlib.sha256(canonical.encode()).hexdigest()[:16]}


def identified(client: Client, occurrences: Iterable[Occurrence], sessions):
    """The plan's occurrences, each under the id stored for its task, anchor and slot (or a
    new one: domain/identity.py), with its anchor; `sessions` are those it was built from."""
    zone = ZoneInfo(client.timezone)
    days = [
        SessionDays(s.id, s.starts_at.astimezone(zone).date(), s.ends_at.astimezone(zone).date())
        for s in sorted(sessions, key=lambda s: (s.starts_at, s.id))
    ]
    anchored = [(o, anchor(o.date, days)) for o in occurrences]
    stored = db.session.execute(
        select(
            PlanOccurrence.occurrence_id,
            PlanOccurrence.task_id,
            PlanOccurrence.anchor_session_id,
            PlanOccurrence.anchor_day,
            PlanOccurrence.slot,
        ).where(PlanOccurrence.client_id == client.id)
    )
    ids = keep_ids(
        [Identity(o.id, o.task_id, at, o.slot) for o, at in anchored],
        [
            Identity(i, task, None if session is None else Anchor(session, day), slot)
            for i, task, session, day, slot in stored
        ],
    )
    return [
        (o._replace(id=ids[o.id], follows=o.follows and ids[o.follows]), at) for o, at in anchored
    ]


def _store_occurrences(client_id: int, occurrences, now: datetime) -> None:
    """Upsert this plan's occurrences; those it no longer has stay, marked inactive. One that
    is new, back, or moved while still to come waits for a phone to fetch it (delivered_at):
    until then it cannot be missed."""
    stored = {
        row.occurrence_id: row
        for row in db.session.scalars(
            select(PlanOccurrence).where(PlanOccurrence.client_id == client_id)
        )
    }
    for occurrence, at in occurrences:
        row = stored.pop(occurrence.id, None)
        if row is None:
            row = PlanOccurrence(client_id=client_id, occurrence_id=occurrence.id)
            db.session.add(row)
        moved = (row.due_start, row.due_end) != (occurrence.due_start, occurrence.due_end)
        if not row.active or (moved and (row.due_end is None or row.due_end > now)):
            row.delivered_at = None
        row.task_id = occurrence.task_id
        row.local_date = occurrence.date
        row.slot = occurrence.slot
        row.due_start = occurrence.due_start
        row.due_end = occurrence.due_end
        row.follows = occurrence.follows
        row.optional = occurrence.optional
        row.active = True
        row.anchor_session_id, row.anchor_day = at if at else (None, None)
    if stored:
        db.session.execute(
            update(PlanOccurrence)
            .where(PlanOccurrence.client_id == client_id)
            .where(PlanOccurrence.occurrence_id.in_(list(stored)))
            .values(active=False)
        )
