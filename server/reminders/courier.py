"""The courier: builds the claimed reminders' messages, sends them, records each outcome.

A repeat of a message already sent (a worker died between sending and recording) replaces the
first on the phone: it carries the same Topic and notification tag.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Config
from sqlalchemy import select, update

from ..domain.reminders import describe, topic
from ..domain.sync import Event, done
from ..extensions import db
from ..models import (
    AdherenceEvent,
    Client,
    Device,
    Plan,
    ProtocolBundle,
    PushServiceBackoff,
    PushSubscription,
    Reminder,
)
from ..models.upsert import insert
from ..plans.bundles import task_titles
from ..plans.translations import languages_of, localized
from .endpoints import Policy
from .schedule import MAX_SNOOZES
from .sender import Message, Outcome, Sender
from .subscriptions import remove
from .vapid import signer
from .wording import wording

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# However long a push service asks us to wait, the reminder is tried again within this.
LONGEST_WAIT = timedelta(hours=1)
# A reminder this close to the end of its window goes with Urgency "high", as does one the
# client snoozed; any other is "normal" (RFC 8030: delivered on battery, without Wi-Fi).
LAST_CALL = timedelta(minutes=15)
# A reminder put off because its push service asked everyone to wait: not an attempt.
NOT_AN_ATTEMPT = Reminder.attempts - 1


class Courier:
    """Builds and sends the claimed reminders, and records what became of each.

    A batch costs a fixed handful of queries, whatever its size: its rows with their
    subscriptions and clients, the events of all its occurrences, the push services' requests
    to wait, and one UPDATE per distinct outcome (one for everything sent). The task ids are
    on the rows, written when planned.

    Waiting is per subscription when one request failed (a 5xx, a timeout), and per push
    service only when the service says so for everyone (429, 503): that wait is kept in the
    database (PushServiceBackoff), so every worker and the next cron run honour it.
    """

    def __init__(self, sender: Sender) -> None:
        self.sender = sender
        # Per bundle version and client language: (the language served, its task titles).
        self._titles: dict[tuple[str, str | None], tuple[str, dict[str, str]]] = {}

    def deliver(self, ids: Iterable[int], clock: Callable[[], datetime]) -> dict[str, int]:
        now = clock()
        rows = _claimed(list(ids))
        finished = _done(rows)
        waits = _service_waits({row.origin for row in rows}, now)
        counts: Counter[str] = Counter()
        changes = Changes()
        messages, by_key = [], {}
        for row in rows:
            left = [o for o in row.occurrence_ids if o not in finished[row.client_id]]
            reason = _skip_reason(row, left)
            if reason:
                changes.add(row.id, state="skipped", reason=reason)
                counts[reason] += 1
            elif row.origin in waits:
                until, why = waits[row.origin]
                changes.add(
                    row.id,
                    state="pending",
                    next_attempt_at=until,
                    reason=f"push service asked to wait: {why}",
                    attempts=NOT_AN_ATTEMPT,
                )
                counts["backoff"] += 1
            else:
                messages.append(self._message(row, left, now))
                by_key[str(row.id)] = row
        outcomes = self.sender.send_all(messages)
        answered = clock()
        gone: set[int] = set()
        busy: dict[str, tuple[datetime, str]] = {}
        for outcome in outcomes:
            row = by_key[outcome.key]
            counts[outcome.kind] += 1
            if outcome.kind == "sent":
                changes.add(row.id, state="sent", sent_at=answered, reason=None)
                continue
            if outcome.kind == "gone":
                gone.add(row.subscription_id)
                reason = f"gone {outcome.status}: the browser dropped this subscription"
                changes.add(row.id, state="failed", reason=reason)
            elif outcome.kind in ("busy", "retry") and row.attempts < MAX_ATTEMPTS:
                until = answered + _wait(outcome, row.attempts)
                why = outcome.status or outcome.detail
                reason = f"{outcome.kind} {why}, again at {until:%Y-%m-%d %H:%M:%S}Z"
                changes.add(row.id, state="pending", next_attempt_at=until, reason=reason)
                if outcome.kind == "busy":
                    latest = busy.get(outcome.origin, (until, reason))
                    busy[outcome.origin] = max(latest, (until, reason))
            else:
                reason = _failure(outcome)
                changes.add(row.id, state="failed", reason=reason)
            # Our own mistake (misconfigured, refused) is an error; the services' moods are not.
            level = logging.WARNING if outcome.kind in ("gone", "busy", "retry") else logging.ERROR
            log.log(level, "reminder %s via %s: %s", row.id, row.origin or "?", reason)
        changes.write()
        _ask_to_wait(busy)
        if gone:
            # The browser dropped these subscriptions: forget them and what they had yet to
            # send; what was sent (and this failure) stays as the client's history.
            remove(select(PushSubscription.id).where(PushSubscription.id.in_(gone)))
        return dict(counts)

    def _message(self, row: Row, left: list[str], now: datetime) -> Message:
        language, titles = self._task_titles(row.bundle_version, row.language)
        title, body = describe(
            [task for o, task in zip(row.occurrence_ids, row.task_ids, strict=True) if o in left],
            titles,
            row.slot,
            row.reminders_discreet,
            wording(language),
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
        window = row.expires_at - now
        return Message(
            key=str(row.id),
            subscription={
                "endpoint": row.endpoint,
                "keys": {"p256dh": row.p256dh, "auth": row.auth},
            },
            payload=json.dumps(payload, separators=(",", ":")).encode(),
            ttl=max(60, int(window.total_seconds())),
            urgency="high" if window <= LAST_CALL or row.snoozes else "normal",
            topic=topic(row.client_id, row.key),
        )

    def _task_titles(self, version: str | None, language: str | None) -> tuple[str, dict]:
        """The language the client reads (theirs, else their protocol's own) and the task
        titles in it, as the app shows them (a title not translated stays in the first)."""
        key = (version or "", language)
        if key not in self._titles:
            bundle = db.session.get(ProtocolBundle, version) if version else None
            if bundle is None:
                self._titles[key] = (language or "en", {})
            else:
                served = localized(bundle.content, language)
                wanted = language or languages_of(bundle.content)[0]
                self._titles[key] = (wanted, task_titles(served))
        return self._titles[key]


def _skip_reason(row: Row, left: list[str]) -> str | None:
    if row.device_revoked:  # disconnected after this reminder was claimed
        return "device disconnected"
    if not row.reminders_enabled:
        return "turned off"
    if not left:
        return "already done"
    return None


def _wait(outcome: Outcome, attempts: int) -> timedelta:
    """As long as the push service asked (capped), or growing with each attempt."""
    seconds = outcome.retry_after if outcome.retry_after is not None else 2**attempts * 15
    return min(timedelta(seconds=seconds), LONGEST_WAIT)


def _failure(outcome: Outcome) -> str:
    words = (outcome.kind, str(outcome.status or ""), outcome.detail)
    return " ".join(word for word in words if word)[:200]


def _service_waits(origins: set[str], now: datetime) -> dict[str, tuple[datetime, str]]:
    """The push services among `origins` that asked everyone to wait past `now`."""
    query = select(
        PushServiceBackoff.origin, PushServiceBackoff.not_before, PushServiceBackoff.reason
    ).where(PushServiceBackoff.origin.in_(origins), PushServiceBackoff.not_before > now)
    return {origin: (until, reason) for origin, until, reason in db.session.execute(query)}


def _ask_to_wait(busy: dict[str, tuple[datetime, str]]) -> None:
    """Record the push services' requests to wait; a later `not_before` wins."""
    for origin, (until, reason) in busy.items():
        statement = insert(PushServiceBackoff).values(
            origin=origin, not_before=until, reason=reason[:200]
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[PushServiceBackoff.origin],
                set_={"not_before": statement.excluded.not_before, "reason": reason[:200]},
                where=PushServiceBackoff.not_before < statement.excluded.not_before,
            )
        )


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
    language: str | None
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
            *(Client.reminders_enabled, Client.reminders_discreet, Client.language),
            Plan.bundle_version,
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
    sender = Sender(
        signer(config["VAPID_PRIVATE_KEY"]),
        config["VAPID_SUBJECT"],
        Policy.of(config),
        clock=config.get("CLOCK"),  # a test's or a simulation's clock; else the real time
    )
    return Courier(sender)
