"""The clinic's calls: the open concerns of clients in words, handling them with an outcome
and a note, and each client's timeline of notes and calls.

A clinician handles the concerns they were shown (their ids come back with the form), never
one raised since: a miss that arrives while they are on the phone stays on the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ..domain import concerns as words
from ..domain.checkins import in_words
from ..domain.errors import InvalidField
from ..domain.spacing import SCHEDULE_PROBLEMS, PlanWarning
from ..domain.wording import N_
from ..extensions import db
from ..models import (
    CheckinAnswer,
    Client,
    ClientNote,
    Concern,
    Device,
    Plan,
    PlanOccurrence,
    ProtocolBundle,
    TreatmentSession,
)
from ..plans.bundles import task_titles
from . import audit
from .concerns import counted_from, open_now
from .scope import client_or_404, current_clinician

NOTE_MAX = 2000


def open_concerns(client_ids: Iterable[int], now: datetime) -> dict[int, list[words.Concern]]:
    """Per client, their open concerns described, oldest day first (a few statements for
    any number of clients: a page of the list)."""
    ids = list(client_ids)
    if not ids:
        return {}
    described = _described(Concern.client_id.in_(ids), open_now(now))
    return {client_id: words.together(lines) for client_id, lines in described.items()}


def _described(*conditions) -> dict[int, list[words.Concern]]:
    """The concerns that meet `conditions`, described, per client."""
    rows = db.session.execute(
        select(Concern, Client, PlanOccurrence.task_id, PlanOccurrence.slot, Plan.bundle_version)
        .outerjoin(
            PlanOccurrence,
            (PlanOccurrence.client_id == Concern.client_id)
            & (PlanOccurrence.occurrence_id == Concern.occurrence_id),
        )
        .join(Plan, Plan.client_id == Concern.client_id)
        .join(Client, Client.id == Concern.client_id)
        .where(*conditions)
        # Day, then the moment in it: a cleanse and the balm after it sit side by side.
        .order_by(
            Concern.client_id,
            Concern.day,
            PlanOccurrence.due_start,
            PlanOccurrence.follows.is_not(None),  # the cleanse, then the balm after it
            Concern.id,
        )
    ).all()
    if not rows:
        return {}
    concerned = {row.Concern.client_id for row in rows}
    titles = _titles({row.bundle_version for row in rows})
    sessions = _sessions(concerned)
    phones = {
        client_id: (first, last)
        for client_id, first, last in db.session.execute(
            select(
                Device.client_id, db.func.min(Device.created_at), db.func.max(Device.last_seen_at)
            )
            .where(Device.client_id.in_(concerned))
            .group_by(Device.client_id)
        )
    }
    schedule = _schedule_words(
        {row.Concern.client_id for row in rows if row.Concern.kind == words.SCHEDULE}
    )
    flagged = _red_flag_words(
        [row for row in rows if row.Concern.kind == words.RED_FLAG and row.bundle_version]
    )
    found: dict[int, list[words.Concern]] = defaultdict(list)
    for row in rows:
        concern, client = row.Concern, row.Client
        zone = ZoneInfo(client.timezone)
        session = sessions.get(concern.session_id)
        number, start, end = session or (None, None, None)
        day_number = None
        if concern.kind == words.MISSED_CRITICAL and end is not None and concern.day:
            day_number = (concern.day - end.astimezone(zone).date()).days + 1
        day_number, flags, answers = flagged.get(concern.id, (day_number, (), None))
        connected, since = phones.get(client.id, (None, None))
        found[client.id].append(
            words.Concern(
                id=concern.id,
                kind=concern.kind,
                raised_at=concern.raised_at,
                expires_at=concern.expires_at,
                day=concern.day,
                task=titles.get(row.bundle_version, {}).get(row.task_id, row.task_id),
                slot=row.slot,
                day_number=day_number,
                session_number=number,
                session_start=start.astimezone(zone) if start else None,
                since=since.astimezone(zone) if since else None,
                added=client.created_at.astimezone(zone),
                connected=connected.astimezone(zone) if connected else None,
                schedule=schedule.get(client.id, ()),
                flags=flags,
                answers=answers,
            )
        )
    return dict(found)


def _red_flag_words(rows) -> dict[int, tuple[int, tuple[str, ...], str]]:
    """concern id -> (day after the session, the red flags' reasons, every answer in words),
    for red-flag concerns, in the words of the client's protocol version."""
    if not rows:
        return {}
    answers = {
        row.id: row
        for row in db.session.scalars(
            select(CheckinAnswer).where(
                CheckinAnswer.id.in_([int(row.Concern.subject) for row in rows])
            )
        )
    }
    checkins = {
        version: content.get("checkin", {})
        for version, content in db.session.execute(
            select(ProtocolBundle.version, ProtocolBundle.content).where(
                ProtocolBundle.version.in_({row.bundle_version for row in rows})
            )
        )
    }
    found = {}
    for row in rows:
        answer = answers.get(int(row.Concern.subject))
        if answer is None:
            continue
        checkin = checkins.get(row.bundle_version, {})
        reasons = {flag["id"]: flag["reason"] for flag in checkin.get("red_flags", [])}
        found[row.Concern.id] = (
            answer.day,
            tuple(reasons.get(flag, flag) for flag in answer.red_flags),
            in_words(checkin, answer.answers),
        )
    return found


def _titles(versions: set[str]) -> dict[str, dict[str, str]]:
    bundles = db.session.execute(
        select(ProtocolBundle.version, ProtocolBundle.content).where(
            ProtocolBundle.version.in_(versions)
        )
    ).all()
    return {version: task_titles(content) for version, content in bundles}


def _sessions(client_ids: set[int]) -> dict[int, tuple[int, datetime, datetime]]:
    """session id -> (its number in the client's course, start, end)."""
    numbered: dict[int, tuple[int, datetime, datetime]] = {}
    count: dict[int, int] = defaultdict(int)
    for session in db.session.scalars(
        select(TreatmentSession)
        .where(TreatmentSession.client_id.in_(client_ids))
        .order_by(TreatmentSession.client_id, TreatmentSession.starts_at, TreatmentSession.id)
    ):
        count[session.client_id] += 1
        numbered[session.id] = (count[session.client_id], session.starts_at, session.ends_at)
    return numbered


def _schedule_words(client_ids: set[int]) -> dict[int, tuple[PlanWarning, ...]]:
    """The plan's own warnings about its schedule problems, per client, once each."""
    if not client_ids:
        return {}
    said = {}
    for client_id, content in db.session.execute(
        select(Plan.client_id, Plan.content).where(Plan.client_id.in_(client_ids))
    ):
        found = [w for w in content["warnings"] if w["code"] in SCHEDULE_PROBLEMS]
        said[client_id] = tuple(dict.fromkeys(stored_warning(w) for w in found))
    return said


def stored_warning(stored: dict) -> PlanWarning:
    """A warning as the stored plan keeps it (schemas/phone.py), with its message id when
    the plan was built after warnings kept them."""
    said = stored.get("said") or {}
    values = tuple((said.get("values") or {}).items())
    return PlanWarning(
        stored["code"], stored["message"], None, None, said.get("id"), said.get("plural"), values
    )


@dataclass(frozen=True)
class Handled:
    note: ClientNote
    handled: int  # how many concerns it handled


def handle(
    client_id: int, outcome: str, text: str, concern_ids: Iterable[int], now: datetime
) -> Handled:
    """Record a call's outcome (or a plain note) for a client; an outcome handles the open
    concerns named, those the clinician saw. The view commits."""
    client = client_or_404(client_id)
    text = (text or "").strip()
    if outcome not in words.OUTCOMES and outcome != words.NOTE:
        raise InvalidField(
            "outcome",
            N_("Choose what happened: called, left a message, no answer or no call needed."),
        )
    if len(text) > NOTE_MAX:
        raise InvalidField("note", N_("Keep the note under %(most)d characters."), most=NOTE_MAX)
    if outcome == words.NOTE and not text:
        raise InvalidField("note", N_("Write the note first."))
    note = ClientNote(
        client_id=client.id,
        clinician_id=current_clinician().id,
        outcome=outcome,
        text=text,
        at=now,
    )
    db.session.add(note)
    db.session.flush()
    handled = 0
    ids = [int(i) for i in concern_ids]
    if outcome != words.NOTE and ids:
        handled = db.session.execute(
            update(Concern)
            .where(Concern.client_id == client.id, Concern.id.in_(ids), open_now(now))
            .values(handled_by_id=note.id)
            .execution_options(synchronize_session=False)
        ).rowcount
    # The note is an input of the client's line: its flush marked the line stale, so the
    # list reads the handled concerns afresh.
    audit.record(
        "client.call" if outcome != words.NOTE else "client.note",
        client.id,
        detail={"outcome": outcome, "handled": handled},
        now=now,
    )
    return Handled(note, handled)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # an outcome's name, or "note"
    outcome: str
    text: str
    by: str | None
    handled: tuple[words.Concern, ...]


def timeline(client_id: int, limit: int = 100) -> list[TimelineEntry]:
    """The client's notes and calls, newest first, each with the concerns it handled."""
    client = client_or_404(client_id)
    notes = db.session.scalars(
        select(ClientNote)
        .where(ClientNote.client_id == client.id)
        .order_by(ClientNote.at.desc(), ClientNote.id.desc())
        .limit(limit)
    ).all()
    if not notes:
        return []
    handled = _described(Concern.handled_by_id.in_([n.id for n in notes])).get(client.id, [])
    handlers = dict(
        db.session.execute(
            select(Concern.id, Concern.handled_by_id).where(Concern.id.in_([c.id for c in handled]))
        ).all()
    )
    by_note: dict[int, list[words.Concern]] = defaultdict(list)
    for concern in handled:
        by_note[handlers[concern.id]].append(concern)
    by_note = {note_id: words.together(lines) for note_id, lines in by_note.items()}
    return [
        TimelineEntry(
            at=note.at,
            kind=note.outcome,
            outcome=words.OUTCOMES.get(note.outcome, "Note"),
            text=note.text,
            by=note.clinician.name if note.clinician else None,
            handled=tuple(by_note.get(note.id, [])),
        )
        for note in notes
    ]


def counted_since(client_id: int) -> datetime | None:
    """Since when the client's adherence counts: their first phone's connection (None: no
    phone yet). The page says so."""
    start = counted_from(select(Client.id).where(Client.id == client_id))
    return db.session.scalar(select(start.c.since))
