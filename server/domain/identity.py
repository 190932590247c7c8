"""Which stored occurrence a rebuilt one is, so ticks keep their meaning across corrections.

An occurrence's hash id names its task, local date and slot (plan.py). When a clinic corrects
a session's date, every day after it moves: by date alone, a ticked day-2 cleanse would turn
into a day-3 task and the new day 2 would stand unticked. What the client ticked is "the
cleanse on day 2 after that session, in the morning", so a rebuilt occurrence takes over the
stored id with the same task, session, day number and slot. The others keep their hash id,
or one derived from it when that id already means something else: one id, one meaning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from typing import NamedTuple


class Anchor(NamedTuple):
    session: Hashable  # the session's id
    day: int  # day 1 is the local day that session ends, as the app's "Day 3 after session 2"


class SessionDays(NamedTuple):
    session: Hashable
    start: date  # the client's local dates
    end: date


class Identity(NamedTuple):
    id: str
    task: str
    anchor: Anchor | None  # None: stored before anchors were kept, and not computable
    slot: str


def anchor(day: date, sessions: Sequence[SessionDays]) -> Anchor | None:
    """The session a day belongs to (the latest one begun by then, else the first: pre-care
    counts back from it) and the day's number after it. `sessions` in start order."""
    if not sessions:
        return None
    begun = [s for s in sessions if s.start <= day]
    session = begun[-1] if begun else sessions[0]
    return Anchor(session.session, (day - session.end).days + 1)


def keep_ids(fresh: Sequence[Identity], stored: Sequence[Identity]) -> Mapping[str, str]:
    """Each fresh occurrence's id (keyed by its hash id): the stored id of the same task,
    anchor and slot if there is one, else its own, else a derived one; never one id twice,
    never the id of a stored occurrence that means something else."""
    by_meaning: dict[tuple, list[str]] = {}
    for row in stored:
        if row.anchor is not None:
            by_meaning.setdefault(_meaning(row), []).append(row.id)
    ids: dict[str, str] = {}
    claimed: set[str] = set()
    for occurrence in fresh:
        same = [i for i in by_meaning.get(_meaning(occurrence), ()) if i not in claimed]
        if occurrence.anchor is not None and same:
            ids[occurrence.id] = occurrence.id if occurrence.id in same else min(same)
            claimed.add(ids[occurrence.id])
    known = {row.id: row for row in stored}
    for occurrence in fresh:
        if occurrence.id in ids:
            continue
        candidate, attempt = occurrence.id, 0
        while candidate in claimed or not _free(known.get(candidate), occurrence):
            attempt += 1
            candidate = derived_id(occurrence.id, attempt)
        ids[occurrence.id] = candidate
        claimed.add(candidate)
    return ids


def derived_id(hash_id: str, attempt: int) -> str:
    """Another id for an occurrence whose own is taken: the same one on every rebuild."""
    return hashlib.sha256(f"{hash_id}|{attempt}".encode()).hexdigest()[:20]


def _meaning(identity: Identity) -> tuple:
    return (identity.task, identity.anchor, identity.slot)


def _free(row: Identity | None, occurrence: Identity) -> bool:
    """A stored id may be taken by an occurrence it cannot be told apart from: none is stored
    under it, or the stored one has no anchor and the same task (kept by date, as before)."""
    return row is None or (row.anchor is None and row.task == occurrence.task)
