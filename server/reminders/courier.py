"""The courier: builds the claimed reminders' messages, sends them, records each outcome.

A repeat of a message already sent (a worker died between sending and recording) replaces the
first on the phone: it carries the same Topic and notification tag.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Config
from sqlalchemy import delete, select, update

from ..domain.reminders import describe, topic
from ..domain.sync import Event, done
from ..extensions import db
from ..models import (
    AdherenceEvent,
    Client,
    Device,
    Plan,
    ProtocolBundle,
    PushSubscription,
    Reminder,
)
from ..plans.bundles import task_titles
from .endpoints import Policy
from .schedule import MAX_SNOOZES
from .sender import Message, Outcome, Sender
from .vapid import signer

MAX_ATTEMPTS = 8


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
        if row.device_revoked:  # disconnected after this reminder was claimed
            return "device disconnected"
        if not row.reminders_enabled:
            return "turned off"
        if not left:
            return "already done"
        until = self.backoff.get(row.origin)
        return "backoff" if until and until > now else None

    def _message(self, row: Row, left: list[str], now: datetime) -> Message:
        title, body = describe(
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
            topic=topic(row.client_id, row.key),
        )

    def _task_titles(self, version: str | None) -> dict[str, str]:
        version = version or ""
        if version not in self._titles:
            bundle = db.session.get(ProtocolBundle, version) if version else None
            self._titles[version] = task_titles(bundle.content) if bundle else {}
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
    device_revoked: bool

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
            Device.revoked_at.is_not(None),
        )
        .join(PushSubscription, Reminder.subscription_id == PushSubscription.id)
        .join(Device, PushSubscription.device_id == Device.id)
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


def make_courier(config: Config) -> Courier:
    """A courier for this app's VAPID identity and push-service allow-list."""
    sender = Sender(signer(config["VAPID_PRIVATE_KEY"]), config["VAPID_SUBJECT"], Policy.of(config))
    return Courier(sender)
