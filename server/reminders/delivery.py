"""Reminders: rows planned from each client's plan, claimed before sending, sent once.

Exactly once: a row is claimed (state "sending", committed) before its push goes out, and
marked "sent" right after; two workers never claim the same row (FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite runs one worker). A worker that dies mid-send leaves rows "sending"; after
the lease they are tried again, and their Topic and notification tag make a repeat replace
the first rather than show twice.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from sqlalchemy import delete, or_, select, update

from .domain import reminders as planning
from .domain.sync import Event, done
from .extensions import db
from .models import (
    AdherenceEvent,
    Client,
    Device,
    Plan,
    PlanOccurrence,
    ProtocolBundle,
    PushSubscription,
    Reminder,
)
from .push_endpoints import Policy
from .push_sender import Message, Outcome, Sender
from .vapid import signer

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
SNOOZE = timedelta(minutes=30)
MAX_SNOOZES = 3
MAX_ATTEMPTS = 8
DEFAULT_GRACE_MINUTES = 30


def grace() -> timedelta:
    minutes = current_app.config.get("REMINDER_GRACE_MINUTES") if has_app_context() else None
    return timedelta(minutes=minutes or DEFAULT_GRACE_MINUTES)


def schedule(client: Client, now: datetime) -> None:
    """Bring the client's pending reminders in line with their plan, zone and preferences."""
    subscriptions = list(
        db.session.scalars(
            select(PushSubscription)
            .join(Device)
            .where(Device.client_id == client.id, Device.revoked_at.is_(None))
        )
    )
    known = {
        (row.subscription_id, row.key): row
        for row in db.session.scalars(select(Reminder).where(Reminder.client_id == client.id))
    }
    slots = []
    if client.reminders_enabled and subscriptions:
        quiet = (
            (client.quiet_start, client.quiet_end)
            if client.quiet_start and client.quiet_end
            else None
        )
        slots = [
            slot
            for slot in planning.plan_slots(
                _dues(client, now), client.timezone, client.device_timezone, quiet, grace()
            )
            if slot.expires_at > now
        ]
    wanted = set()
    for subscription in subscriptions:
        for slot in slots:
            wanted.add((subscription.id, slot.key))
            row = known.get((subscription.id, slot.key))
            if row is None:
                db.session.add(_row(client.id, subscription.id, slot))
            elif row.state == "pending" and row.snoozes == 0:
                row.due_at, row.expires_at = slot.due_at, slot.expires_at
                row.occurrence_ids, row.task_ids = list(slot.occurrence_ids), list(slot.task_ids)
                row.slot = slot.slot
    stale = [row.id for key, row in known.items() if key not in wanted and row.state == "pending"]
    if stale:
        db.session.execute(delete(Reminder).where(Reminder.id.in_(stale)))


def store_subscription(
    device: Device, endpoint: str, keys: dict, now: datetime
) -> PushSubscription:
    """Keep a device's push subscription (a browser re-sends it at every start) and plan for it."""
    # Read before a new row is pending: after a rolled-back first try the device is expired,
    # and loading it again would flush the new row without its device.
    device_id, client_id = device.id, device.client_id
    row = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(endpoint=endpoint, created_at=now, device_id=device_id)
        db.session.add(row)
    elif row.device.client_id != client_id:
        # The browser changed hands: the previous client's reminders must not reach it.
        db.session.execute(delete(Reminder).where(Reminder.subscription_id == row.id))
    row.device_id, row.p256dh, row.auth = device_id, keys["p256dh"], keys["auth"]
    db.session.flush()
    schedule(device.client, now)
    return row


def _dues(client: Client, now: datetime) -> list[planning.Due]:
    # In the plan's order (a cleanse before its balm), which the planner keeps within a slot;
    # the database returns rows in any order it likes.
    content = client.plan.content["occurrences"] if client.plan else []
    position = {occurrence["id"]: index for index, occurrence in enumerate(content)}
    rows = db.session.scalars(
        select(PlanOccurrence).where(
            PlanOccurrence.client_id == client.id,
            PlanOccurrence.active.is_(True),
            PlanOccurrence.due_end > now,
        )
    )
    rows = sorted(rows, key=lambda r: position.get(r.occurrence_id, len(position)))
    return [
        planning.Due(
            r.occurrence_id, r.task_id, r.local_date, r.slot, r.due_start, r.due_end, r.follows
        )
        for r in rows
    ]


def _row(client_id: int, subscription_id: int, slot: planning.Slot) -> Reminder:
    return Reminder(
        client_id=client_id,
        subscription_id=subscription_id,
        key=slot.key,
        slot=slot.slot,
        occurrence_ids=list(slot.occurrence_ids),
        task_ids=list(slot.task_ids),
        due_at=slot.due_at,
        expires_at=slot.expires_at,
        state="pending",
        attempts=0,
        snoozes=0,
    )


def reclaim_and_drop(now: datetime) -> None:
    """Before a pass: free the claims of a worker that died mid-send (past the lease), and
    drop what is too late to send. Once per pass, not per batch: with `now` fixed nothing
    expires in between, and each run reads every due row."""
    db.session.execute(
        update(Reminder)
        .where(Reminder.state == "sending", Reminder.claimed_at < now - LEASE)
        .values(state="pending")
    )
    db.session.execute(
        update(Reminder)
        # Implied by expires_at <= now, but lets the (state, due_at) index skip the rows
        # planned days ahead.
        .where(Reminder.state == "pending", Reminder.due_at <= now, Reminder.expires_at <= now)
        .values(state="dropped", reason="too late to be useful")
    )


def claim(now: datetime, worker: str, limit: int) -> list[int]:
    """Take up to `limit` due reminders for this worker; the caller commits before sending."""
    query = (
        select(Reminder.id)
        .where(
            Reminder.state == "pending",
            Reminder.due_at <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids))
            .values(
                state="sending", claimed_at=now, claimed_by=worker, attempts=Reminder.attempts + 1
            )
        )
    return ids


class Courier:
    """Builds and sends the claimed reminders, and records what became of each.

    A batch costs a fixed handful of queries, whatever its size: its rows with their
    subscriptions and clients, the events of all its occurrences, and one UPDATE per distinct
    outcome (one for everything sent). The task ids are on the rows, written when planned.
    """

    def __init__(self, sender: Sender) -> None:
        self.sender = sender
        self.backoff: dict[str, datetime] = {}  # push-service origin -> do not send before
        self._titles: dict[str, dict[str, str]] = {}

    def deliver(self, ids: Iterable[int], now: datetime) -> dict[str, int]:
        rows = _claimed(list(ids))
        finished = _done(rows)
        counts: Counter[str] = Counter()
        changes = Changes()
        messages, by_key = [], {}
        for row in rows:
            left = [o for o in row.occurrence_ids if o not in finished[row.client_id]]
            reason = self._skip_reason(row, left, now)
            if reason == "backoff":
                until = self.backoff[row.origin]
                changes.add(row.id, state="pending", reason=reason, next_attempt_at=until)
            elif reason:
                changes.add(row.id, state="skipped", reason=reason)
            else:
                messages.append(self._message(row, left, now))
                by_key[str(row.id)] = row
                continue
            counts[reason] += 1
        gone = set()
        for outcome in self.sender.send_all(messages, now):
            row = by_key[outcome.key]
            counts[outcome.kind] += 1
            if outcome.kind == "sent":
                changes.add(row.id, state="sent", sent_at=now, reason=None)
            elif outcome.kind == "gone":
                gone.add(row.subscription_id)
            else:
                self._record_failure(changes, row, outcome, now)
        changes.write()
        if gone:
            # The browser dropped these subscriptions: forget them, and their reminders, for good.
            db.session.execute(delete(Reminder).where(Reminder.subscription_id.in_(gone)))
            db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
        return dict(counts)

    def _skip_reason(self, row: Row, left: list[str], now: datetime) -> str | None:
        if not row.reminders_enabled:
            return "turned off"
        if not left:
            return "already done"
        until = self.backoff.get(row.origin)
        return "backoff" if until and until > now else None

    def _message(self, row: Row, left: list[str], now: datetime) -> Message:
        title, body = planning.describe(
            [task for o, task in zip(row.occurrence_ids, row.task_ids, strict=True) if o in left],
            self._task_titles(row.bundle_version),
            row.slot,
            row.reminders_discreet,
        )
        payload = {
            "title": title,
            "body": body,
            "tag": row.key,
            "reminder": row.id,
            "occurrences": left,
            "url": "/",
            "snooze": row.snoozes < MAX_SNOOZES,
        }
        ttl = max(60, int((row.expires_at - now).total_seconds()))
        return Message(
            key=str(row.id),
            subscription={
                "endpoint": row.endpoint,
                "keys": {"p256dh": row.p256dh, "auth": row.auth},
            },
            payload=json.dumps(payload, separators=(",", ":")).encode(),
            ttl=ttl,
            urgency="high" if ttl <= 3600 else "normal",
            topic=planning.topic(row.client_id, row.key),
        )

    def _task_titles(self, version: str | None) -> dict[str, str]:
        version = version or ""
        if version not in self._titles:
            bundle = db.session.get(ProtocolBundle, version) if version else None
            tasks = bundle.content.get("tasks", []) if bundle else []
            self._titles[version] = {task["id"]: task["title"] for task in tasks}
        return self._titles[version]

    def _record_failure(self, changes: Changes, row: Row, outcome: Outcome, now: datetime) -> None:
        if outcome.kind == "retry" and row.attempts < MAX_ATTEMPTS:
            wait = timedelta(seconds=outcome.retry_after or min(2**row.attempts * 15, 3600))
            reason = f"retry after {outcome.status}"
            changes.add(row.id, state="pending", next_attempt_at=now + wait, reason=reason)
            self.backoff[outcome.origin] = now + wait
        else:
            reason = f"{outcome.kind} {outcome.status or ''} {outcome.detail}".strip()[:200]
            changes.add(row.id, state="failed", reason=reason)


class Changes:
    """Reminder updates gathered over a batch: one UPDATE per distinct set of new values."""

    def __init__(self) -> None:
        self._ids: dict[tuple, list[int]] = {}

    def add(self, reminder_id: int, **values: object) -> None:
        self._ids.setdefault(tuple(values.items()), []).append(reminder_id)

    def write(self) -> None:
        for values, ids in self._ids.items():
            db.session.execute(update(Reminder).where(Reminder.id.in_(ids)).values(dict(values)))


@dataclass(frozen=True, slots=True)
class Row:
    """What sending one claimed reminder needs, read in one query for the whole batch."""

    id: int
    client_id: int
    subscription_id: int
    key: str
    slot: str
    occurrence_ids: list[str]
    task_ids: list[str]
    expires_at: datetime
    attempts: int
    snoozes: int
    endpoint: str
    p256dh: str
    auth: str
    reminders_enabled: bool
    reminders_discreet: bool
    bundle_version: str | None

    @property
    def origin(self) -> str:
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.netloc}".lower()


def _claimed(ids: list[int]) -> list[Row]:
    query = (
        select(
            *(Reminder.id, Reminder.client_id, Reminder.subscription_id, Reminder.key),
            *(Reminder.slot, Reminder.occurrence_ids, Reminder.task_ids, Reminder.expires_at),
            *(Reminder.attempts, Reminder.snoozes),
            *(PushSubscription.endpoint, PushSubscription.p256dh, PushSubscription.auth),
            *(Client.reminders_enabled, Client.reminders_discreet, Plan.bundle_version),
        )
        .join(PushSubscription, Reminder.subscription_id == PushSubscription.id)
        .join(Client, Reminder.client_id == Client.id)
        .outerjoin(Plan, Plan.client_id == Client.id)
        .where(Reminder.id.in_(ids))
        .order_by(Reminder.due_at, Reminder.id)
    )
    return [Row(*values) for values in db.session.execute(query)]


def _done(rows: list[Row]) -> dict[int, set[str]]:
    """Per client, which of these reminders' occurrences are done (the documented fold)."""
    wanted = {(row.client_id, o) for row in rows for o in row.occurrence_ids}
    # Two IN lists, which both databases match against an index or hash; clients of one
    # protocol share occurrence ids (a hash of task, day and slot), so the pairs are picked
    # out here rather than with a row-value IN, which neither plans well.
    query = select(
        AdherenceEvent.client_id,
        AdherenceEvent.event_id,
        AdherenceEvent.occurrence_id,
        AdherenceEvent.action,
        AdherenceEvent.device_at,
    ).where(
        AdherenceEvent.client_id.in_({client_id for client_id, _ in wanted}),
        AdherenceEvent.occurrence_id.in_({occurrence for _, occurrence in wanted}),
    )
    events: dict[int, list[Event]] = {row.client_id: [] for row in rows}
    for client_id, *event in db.session.execute(query):
        if (client_id, event[1]) in wanted:
            events[client_id].append(Event(*event))
    return {client_id: done(client_events) for client_id, client_events in events.items()}


def send_due(courier: Courier, now: datetime, worker: str, batch: int = 200) -> dict[str, int]:
    """One pass: claim what is due (committed), send it, record the outcomes (committed)."""
    totals: dict[str, int] = {}
    reclaim_and_drop(now)
    while True:
        ids = claim(now, worker, batch)
        db.session.commit()
        if not ids:
            return totals
        for kind, count in courier.deliver(ids, now).items():
            totals[kind] = totals.get(kind, 0) + count
        db.session.commit()
        if len(ids) < batch:
            return totals


def snooze(reminder: Reminder, now: datetime) -> bool:
    """Send this reminder again in half an hour; False once it was snoozed enough."""
    if reminder.snoozes >= MAX_SNOOZES:
        return False
    reminder.snoozes += 1
    reminder.state, reminder.sent_at, reminder.next_attempt_at = "pending", None, None
    reminder.due_at = now + SNOOZE
    reminder.expires_at = reminder.due_at + grace()
    return True


def make_courier(config) -> Courier:
    """A courier for this app's VAPID identity and push-service allowlist."""
    policy = Policy(
        allowed_hosts=tuple(config["PUSH_ALLOWED_HOSTS"]),
        extra_origins=tuple(config.get("PUSH_TEST_ORIGINS", ())),
    )
    return Courier(Sender(signer(config["VAPID_PRIVATE_KEY"]), config["VAPID_SUBJECT"], policy))
