"""What cancelling sessions would change, worked out without changing anything.

The dashboard asks before it cancels a session or makes one the final session (one that has
begun too: removing it corrects the record, as moving it does): the question
says which sessions go, which are renumbered, which of the client's tasks go away or come and
which "you can ... again" dates move, from the plan the change would build (plans/store.py
`draft`) against the stored one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain.errors import NotFound
from ..domain.wording import N_
from ..extensions import db
from ..models import ProtocolBundle, TreatmentSession
from ..plans.bundles import task_titles
from ..plans.registry import registry
from ..plans.store import draft, identified, numbered
from .scope import client_or_404


@dataclass(frozen=True)
class Preview:
    """A session change spelled out: sessions as `numbered` gives them, dates in the client's
    zone; `begun` numbers the sessions going that have begun (a correction of the record)."""

    session: dict
    removed: list[dict]
    renumbered: list[tuple[int, int]]  # (number now, number after)
    tasks_gone: int = 0
    tasks_new: int = 0
    days_gone: tuple[date, date] | None = None  # the first and last day losing a task
    titles_gone: list[str] = field(default_factory=list)
    # Each "you can ... again" whose dates change: (text, dates it loses, dates it gains).
    moved: list[tuple[str, list[date], list[date]]] = field(default_factory=list)
    begun: list[int] = field(default_factory=list)


def cancel(client_id: int, session_id: int, now: datetime) -> Preview:
    """What cancelling one session (not started yet) would change."""
    client = client_or_404(client_id)
    target = _session(client, session_id)
    return _preview(client, target, [target], now)


def make_final(client_id: int, session_id: int, now: datetime) -> Preview:
    """What making a session the final one (cancelling every later one) would change."""
    client = client_or_404(client_id)
    target = _session(client, session_id)
    later = [s for s in client.sessions if (s.starts_at, s.id) > (target.starts_at, target.id)]
    return _preview(client, target, later, now)


def _preview(client, target, removing: list, now: datetime) -> Preview:
    before = numbered(client)
    by_id = {s["id"]: s for s in before}
    kept = [s for s in client.sessions if s not in removing]
    after = {s.id: number for number, s in enumerate(kept, start=1)}
    renumbered = [(by_id[i]["number"], n) for i, n in after.items() if by_id[i]["number"] != n]
    plan = draft(client, registry(), kept)
    stored = client.plan.content
    occurrences = stored["occurrences"]
    future = {o["id"]: o for o in occurrences if datetime.fromisoformat(o["due_end"]) > now}
    drafted = [o for o, _ in identified(client, plan.occurrences, kept)]  # the ids it would keep
    coming = {o.id for o in drafted if o.due_end > now}
    gone = [o for key, o in future.items() if key not in coming]
    days = sorted(date.fromisoformat(o["date"]) for o in gone)
    titles = task_titles(db.session.get(ProtocolBundle, client.plan.bundle_version).content)
    return Preview(
        session=by_id[target.id],
        removed=[by_id[s.id] for s in removing],
        renumbered=renumbered,
        tasks_gone=len(gone),
        tasks_new=len(coming - future.keys()),
        days_gone=(days[0], days[-1]) if days else None,
        titles_gone=sorted({titles.get(o["task"], o["task"]) for o in gone}),
        moved=_moved(stored["milestones"], plan.milestones, now),
        begun=[by_id[s.id]["number"] for s in removing if s.starts_at <= now],
    )


def _moved(stored: list[dict], drafted, now: datetime) -> list[tuple[str, list, list]]:
    was: dict[str, list[date]] = defaultdict(list)
    will: dict[str, list[date]] = defaultdict(list)
    for milestone in stored:
        if datetime.fromisoformat(milestone["at"]) > now:
            was[milestone["text"]].append(date.fromisoformat(milestone["date"]))
    for milestone in drafted:
        if milestone.at > now:
            will[milestone.text].append(milestone.date)
    texts = sorted(was.keys() | will.keys(), key=lambda t: (min(was[t] or will[t]), t))
    return [
        (t, sorted(set(was[t]) - set(will[t])), sorted(set(will[t]) - set(was[t])))
        for t in texts
        if sorted(was[t]) != sorted(will[t])
    ]


def _session(client, session_id: int) -> TreatmentSession:
    for session in client.sessions:
        if session.id == session_id:
            return session
    raise NotFound(N_("No such session."))
