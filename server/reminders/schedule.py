"""The reminder schedule: one row per slot of a client's day and subscription, kept in line
with the plan, the phone's zone and the client's preferences; and snoozes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import delete, select

from ..domain.errors import Conflict, NotFound
from ..domain.reminders import Due, Slot, plan_slots
from ..extensions import db
from ..models import Client, Device, PlanOccurrence, PushSubscription, Reminder
from ..models.columns import valid_id

SNOOZE = timedelta(minutes=30)
MAX_SNOOZES = 3
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
            for slot in plan_slots(
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


def _dues(client: Client, now: datetime) -> list[Due]:
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
        Due(r.occurrence_id, r.task_id, r.local_date, r.slot, r.due_start, r.due_end, r.follows)
        for r in rows
    ]


def _row(client_id: int, subscription_id: int, slot: Slot) -> Reminder:
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


def snooze(client_id: int, reminder_id: int, now: datetime) -> Reminder:
    """Send one of the client's reminders again in half an hour, a few times at most."""
    reminder = None
    if valid_id(reminder_id):
        reminder = db.session.scalar(
            select(Reminder).where(Reminder.id == reminder_id, Reminder.client_id == client_id)
        )
    if reminder is None:
        raise NotFound("No such reminder.")
    if reminder.snoozes >= MAX_SNOOZES:
        raise Conflict("snooze_limit", "This reminder was snoozed as often as it can be.")
    reminder.snoozes += 1
    reminder.state, reminder.sent_at, reminder.next_attempt_at = "pending", None, None
    reminder.due_at = now + SNOOZE
    reminder.expires_at = reminder.due_at + grace()
    return reminder
