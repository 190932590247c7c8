"""Stored client summaries: each client's line in the clinic's list, kept current.

Every client has a row in client_summaries holding what adherence computes for them. The row
goes stale in the transaction that changes one of its inputs (the flush hook below), or when
the clock reaches its refresh_after. Before the list (client_list.py) or a client's record
is read, their stale rows are recomputed together, by one UPDATE ... FROM adherence's own
query; the reminder worker does the same for every clinic after each pass.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain

from flask import Flask
from sqlalchemy import and_, bindparam, event, func, insert, inspect, or_, select, update

from ..extensions import db
from ..models import (
    AdherenceEvent,
    CheckinAnswer,
    Client,
    ClientSummary,
    Clinic,
    Device,
    Plan,
    PlanOccurrence,
    TreatmentSession,
)
from ..models.concern import ClientNote, Concern
from . import concerns
from .adherence import SUMMARY_COLUMNS, done_occurrences, for_storage

# Rows recomputed per statement: bounds the IN lists (SQLite allows 32,766 parameters).
REFRESH_BATCH = 1000
# Whatever a client's line is computed from, besides the client row itself.
INPUTS = (
    TreatmentSession,
    Plan,
    PlanOccurrence,
    AdherenceEvent,
    CheckinAnswer,
    Device,
    Concern,
    ClientNote,
)
CLIENT_INPUTS = ("name", "clinic_id", "created_at", "timezone")
# The stored columns a refresh writes, besides computed_at.
STORED = (*SUMMARY_COLUMNS, "clinic_id", "sort_name", "nothing_due", "refresh_after")


def stale(clinic_id: int, now: datetime):
    """The clinic's rows that may not hold at `now`: an input changed, the clock reached
    refresh_after, or they were computed for a later moment than `now`.

    Each branch names the clinic, so each can be a range of one index (SQLite and
    PostgreSQL both then read the union of three small ranges, not the clinic).
    """
    return _stale(ClientSummary.clinic_id == clinic_id, now)


def _stale(scope, now: datetime):
    return or_(
        and_(scope, ClientSummary.computed_at.is_(None)),
        and_(scope, ClientSummary.computed_at > now),
        and_(scope, ClientSummary.refresh_after <= now),
    )


def current(client_id: int, now: datetime) -> ClientSummary:
    """One client's line, recomputed first if it may not hold at `now`.

    Read afresh from the database: the flush hook marks rows stale in SQL, behind the back of
    any copy the session holds.
    """
    db.session.flush()  # pending changes mark the row stale before it is read
    _recompute(_locked(_stale(ClientSummary.client_id == client_id, now)), now)
    fresh = select(ClientSummary).where(ClientSummary.client_id == client_id)
    return db.session.scalars(fresh.execution_options(populate_existing=True)).one()


def refresh_all(now: datetime, batch: int = REFRESH_BATCH) -> int:
    """Recompute every clinic's stale rows, committing after each `batch` rows; return how many.

    The reminder worker calls it on every pass, so the clinic's list finds little to do even
    after hours nobody looked. Small transactions keep SQLite's write lock short: syncs wait
    at most one batch.
    """
    done = 0
    for clinic_id in db.session.scalars(select(Clinic.id).order_by(Clinic.id)).all():
        while (count := refresh(clinic_id, now, limit=batch)) > 0:
            db.session.commit()
            done += count
            if count < batch:
                break
    db.session.commit()
    return done


def refresh(clinic_id: int, now: datetime, limit: int | None = None) -> int:
    """Recompute the clinic's stale rows for `now` (at most `limit` of them), in SQL; return
    how many there were.

    The stale rows are locked first (in client id order, so two readers never deadlock); the
    UPDATE then runs as a new statement, which on PostgreSQL sees every change committed by
    the time the locks were granted, so a concurrent sync is never overwritten with older
    counts. SQLite has one writer at a time and needs no lock.
    """
    ids = _locked(stale(clinic_id, now), limit)
    _recompute(ids, now)
    return len(ids)


def _locked(condition, limit: int | None = None) -> list[int]:
    """Lock the rows that match, in client id order (so two readers never deadlock)."""
    return db.session.scalars(
        select(ClientSummary.client_id)
        .where(condition)
        .order_by(ClientSummary.client_id)
        .limit(limit)
        .with_for_update()
    ).all()


def _recompute(ids: list[int], now: datetime) -> None:
    for start in range(0, len(ids), REFRESH_BATCH):
        chosen = ids[start : start + REFRESH_BATCH]
        batch = select(Client.id).where(Client.id.in_(chosen))
        concerns.keep(chosen, now, done_occurrences(batch))  # the lines count open concerns
        fresh = for_storage(batch, now)
        db.session.execute(
            update(ClientSummary)
            .where(ClientSummary.client_id == fresh.c.client_id)
            .values({**{name: fresh.c[name] for name in STORED}, "computed_at": now})
            .execution_options(synchronize_session=False)
        )


def track_all_clients() -> int:
    """Give every client without a summary row a stale one; return how many.

    For clients inserted in bulk with SQL (the benchmark, imports); those added through the
    ORM get theirs from the flush hook.
    """
    missing = select(Client.id, Client.clinic_id, func.lower(Client.name)).where(
        ~select(ClientSummary.client_id).where(ClientSummary.client_id == Client.id).exists()
    )
    inserted = db.session.execute(
        insert(ClientSummary).from_select(["client_id", "clinic_id", "sort_name"], missing)
    )
    return inserted.rowcount


def init_app(app: Flask) -> None:
    """Keep summaries current in every transaction of the app's session."""
    if not event.contains(db.session, "after_flush", _note_changes):
        event.listen(db.session, "after_flush", _note_changes)


def _note_changes(session, _flush_context) -> None:
    """After a flush: a stale row for each new client, and mark stale every client whose
    inputs this flush changed, in the same transaction."""
    added = {obj.id for obj in session.new if isinstance(obj, Client)}
    touched = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, INPUTS):
            touched.add(inspect(obj).dict.get("client_id"))
        elif isinstance(obj, Client) and obj not in session.deleted and _changed(obj):
            touched.add(obj.id)
    touched -= added | {None}
    if added:
        session.connection().execute(_ADD_ROWS, {"client_ids": list(added)})
    if touched:
        session.connection().execute(_MARK_STALE, {"client_ids": list(touched)})


# The hook's two statements, built once: it runs in every flush, sync's included.
_CLIENTS = bindparam("client_ids", expanding=True)
_ADD_ROWS = insert(ClientSummary.__table__).from_select(
    ["client_id", "clinic_id", "sort_name"],
    select(Client.id, Client.clinic_id, func.lower(Client.name)).where(Client.id.in_(_CLIENTS)),
)
_CURRENT = select(Client).where(Client.id == ClientSummary.client_id)
_MARK_STALE = (
    update(ClientSummary.__table__)
    .where(ClientSummary.client_id.in_(_CLIENTS))
    .values(
        computed_at=None,
        clinic_id=_CURRENT.with_only_columns(Client.clinic_id).scalar_subquery(),
        sort_name=_CURRENT.with_only_columns(func.lower(Client.name)).scalar_subquery(),
    )
)


def _changed(client: Client) -> bool:
    state = inspect(client)
    return any(state.attrs[name].history.has_changes() for name in CLIENT_INPUTS)
