"""The database of bench/push.py: clients with real plans, subscriptions, due reminders.

One client per protocol is built the real way (sessions, `plans.rebuild`); its plan and plan
occurrences are then copied to every bench client with bulk INSERTs, which is quick enough
for tens of thousands of clients and leaves the courier the rows it reads in production.
"""

from __future__ import annotations

import math
import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from server.domain.reminders import Due, plan_slots
from server.extensions import db
from server.models import (
    Client,
    Clinic,
    Device,
    Plan,
    PlanOccurrence,
    PushSubscription,
    Reminder,
    TreatmentSession,
)
from server.plans.store import rebuild

SESSION_DAYS = (-10, -2, 12)  # as the demo client: healing under way, one session to come
CLIENT_COLUMNS = ("clinic_id", "timezone", "protocol_id", "answers", "created_at")
OCCURRENCE_COLUMNS = (
    *("occurrence_id", "task_id", "local_date", "slot", "due_start", "due_end", "follows"),
    *("optional", "active"),
)
CHUNK = 5_000  # rows per INSERT


def seed(registry, subscriptions: list[dict], count: int, now: datetime, rng: random.Random):
    """One client per subscription, each with a real plan; `count` reminders due at `now`."""
    per_client = math.ceil(count / len(subscriptions))
    clinic = Clinic(name="Bench clinic", created_at=now)
    db.session.add(clinic)
    db.session.flush()
    templates = [template(clinic, loaded, registry, now, per_client) for loaded in registry]
    templates = [t for t in templates if t is not None]
    if not templates:
        raise SystemExit(f"no protocol has {per_client} reminder slots ahead: add --clients")
    picks = [templates[i % len(templates)] for i in range(len(subscriptions))]
    clients = bulk(
        Client, [{**t["client"], "name": f"Bench client {i}"} for i, t in enumerate(picks)]
    )
    pairs = list(zip(clients, picks, strict=True))
    bulk(Plan, ({**t["plan"], "client_id": c} for c, t in pairs), returning=False)
    occurrences = ({**row, "client_id": c} for c, t in pairs for row in t["rows"])
    bulk(PlanOccurrence, occurrences, returning=False)
    devices = bulk(
        Device,
        ({"client_id": c, "token_hash": secrets.token_hex(32), "created_at": now} for c in clients),
    )
    owners = zip(devices, subscriptions, strict=True)
    subs = bulk(
        PushSubscription,
        (
            {"device_id": d, "endpoint": s["endpoint"], **s["keys"], "created_at": now}
            for d, s in owners
        ),
    )
    rows = [
        reminder(client, subscription, slot, now, rng)
        for client, subscription, t in zip(clients, subs, picks, strict=True)
        for slot in t["slots"]
    ]
    rng.shuffle(rows)  # ids interleave the clients, as when many plans share one morning
    bulk(Reminder, rows[:count], returning=False)
    db.session.commit()


def template(clinic, loaded, registry, now: datetime, per_client: int) -> dict | None:
    """A client of this protocol built the real way: the rows to copy and its next slots."""
    protocol = loaded.protocol
    client = Client(
        clinic=clinic,
        name=f"Template {protocol.id}",
        timezone="Europe/London",
        protocol_id=protocol.id,
        answers={question.id: question.default for question in protocol.questions},
        created_at=now,
    )
    for offset in SESSION_DAYS:
        start = now.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=offset)
        ends = start + timedelta(hours=4)
        client.sessions.append(TreatmentSession(starts_at=start, ends_at=ends))
    db.session.add(client)
    db.session.flush()
    plan = rebuild(client, registry, now)
    query = select(PlanOccurrence).where(PlanOccurrence.client_id == client.id)
    rows = list(db.session.scalars(query))
    dues = [
        Due(r.occurrence_id, r.task_id, r.local_date, r.slot, r.due_start, r.due_end, r.follows)
        for r in rows
        if r.active
    ]
    slots = plan_slots(dues, client.timezone, None, None, timedelta(minutes=30))
    slots = [slot for slot in slots if slot.expires_at > now][:per_client]
    if len(slots) < per_client:
        return None
    return {
        "client": {name: getattr(client, name) for name in CLIENT_COLUMNS},
        "plan": {
            "version": plan.version,
            "bundle_version": plan.bundle_version,
            "built_at": now,
            "content": plan.content,
        },
        "rows": [{name: getattr(row, name) for name in OCCURRENCE_COLUMNS} for row in rows],
        "slots": slots,
    }


def reminder(client_id: int, subscription_id: int, slot, now: datetime, rng) -> dict:
    """A pending row for one of the plan's real slots, made due within the last ten minutes."""
    return {
        "client_id": client_id,
        "subscription_id": subscription_id,
        "key": slot.key,
        "slot": slot.slot,
        "occurrence_ids": list(slot.occurrence_ids),
        "task_ids": list(slot.task_ids),
        "due_at": now - timedelta(seconds=rng.randrange(600)),
        "expires_at": now + timedelta(minutes=20),
        "state": "pending",
        "attempts": 0,
        "snoozes": 0,
    }


def bulk(model, rows, returning: bool = True) -> list[int]:
    """INSERT the rows in chunks; return the new ids in the order of `rows`."""
    statement = insert(model)
    if returning:
        statement = statement.returning(model.id, sort_by_parameter_order=True)
    ids, chunk = [], []
    for row in [*rows, None]:
        if row is not None:
            chunk.append(row)
        if chunk and (row is None or len(chunk) == CHUNK):
            if returning:
                ids += db.session.scalars(statement, chunk).all()
            else:
                db.session.execute(statement, chunk)
            chunk = []
    return ids
