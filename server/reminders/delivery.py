"""Delivery: due reminders claimed before sending, so each is sent once.

Exactly once: a row is claimed (state "sending", committed) before its push goes out, and
marked "sent" right after; two workers never claim the same row (FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite runs one worker). A worker that dies mid-send leaves rows "sending"; after
the lease they are tried again (courier.py says why a repeat does not show twice).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import Reminder
from .courier import Courier

LEASE = timedelta(minutes=5)


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
