"""Delivery: due reminders claimed before sending, so each is sent once.

Exactly once: a row is claimed (state "sending", committed) before its push goes out, and
marked "sent" right after; the claim's UPDATE takes only rows still pending, so two workers
never both claim one (and PostgreSQL's FOR UPDATE SKIP LOCKED keeps them from even trying).
A worker that dies mid-send leaves rows "sending"; once the lease has passed since their
claim, they are tried again (courier.py says why a repeat does not show twice).

The lease is counted from the moment of each batch's claim, read from the clock then, not
from the start of the pass: a pass through a slow push service or a backlog may last far
longer than the lease, one batch may not (at most BATCH / the sender's concurrency rounds of
its request timeout, well under the lease).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..models import PushServiceBackoff, Reminder
from .courier import Courier

LEASE = timedelta(minutes=5)
BATCH = 200

Clock = Callable[[], datetime]


def reclaim_and_drop(now: datetime) -> None:
    """Before a pass: free the claims of a worker that died mid-send (past the lease), drop
    what is too late to send, and forget the push services' requests to wait that are over."""
    db.session.execute(delete(PushServiceBackoff).where(PushServiceBackoff.not_before <= now))
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


def _due(now: datetime):
    return (
        Reminder.state == "pending",
        Reminder.due_at <= now,
        or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
    )


def candidates(now: datetime, limit: int) -> list[int]:
    """Up to `limit` due reminders, oldest first; on PostgreSQL locked for this transaction,
    skipping the rows another worker is claiming."""
    query = (
        select(Reminder.id).where(*_due(now)).order_by(Reminder.due_at, Reminder.id).limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def take(ids: list[int], now: datetime, worker: str) -> list[int]:
    """Claim those of `ids` still due, stamped with `now`; the ids actually claimed."""
    if not ids:
        return []
    claimed = db.session.scalars(
        update(Reminder)
        .where(Reminder.id.in_(ids), *_due(now))
        .values(state="sending", claimed_at=now, claimed_by=worker, attempts=Reminder.attempts + 1)
        .returning(Reminder.id)
    )
    return sorted(claimed)


def claim(now: datetime, worker: str, limit: int) -> list[int]:
    """Take up to `limit` due reminders for this worker; the caller commits before sending."""
    return take(candidates(now, limit), now, worker)


def send_due(courier: Courier, clock: Clock, worker: str, batch: int = BATCH) -> dict[str, int]:
    """One pass: claim what is due (committed), send it, record the outcomes (committed);
    each batch claimed at the clock's time then."""
    totals: dict[str, int] = {}
    reclaim_and_drop(clock())
    while True:
        now = clock()
        found = candidates(now, batch)
        ids = take(found, now, worker)  # fewer when another worker was quicker to some
        db.session.commit()
        if ids:
            for kind, count in courier.deliver(ids, clock).items():
                totals[kind] = totals.get(kind, 0) + count
            db.session.commit()
        if len(found) < batch:
            return totals
