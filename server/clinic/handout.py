"""A client's aftercare on one printed page: the handout clinics give out with the first session.

Read from the client's stored plan, so it says what their phone says: the sessions, what to
do day by day (days with the same tasks run together as one line) and what to avoid from when
until when, all in the client's own zone, from today on, and in the client's language: the
protocol's texts from its translation, and `language` for the page's own words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain.checkins import CHECKIN_TASK
from ..extensions import db
from ..models import ProtocolBundle
from ..plans.bundles import task_titles
from ..plans.store import numbered
from ..plans.translations import languages_of, localized
from . import audit
from .scope import client_or_404, current_clinician


@dataclass(frozen=True)
class Task:
    title: str
    times: int  # how many a day the client must do
    extra: int  # how many more they may do


@dataclass(frozen=True)
class DayRange:
    first: date
    last: date
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Avoid:
    titles: tuple[str, ...]  # restrictions that hold on exactly the same days, as one line
    spans: tuple[tuple[date, date | None], ...]  # first and last day, None: from then on


def sheet(client_id: int, now: datetime) -> dict:
    """Everything the printed page shows, audited as the client's record being viewed."""
    client = client_or_404(client_id)
    zone = ZoneInfo(client.timezone)
    today = now.astimezone(zone).date()
    content = client.plan.content
    stored = db.session.get(ProtocolBundle, client.plan.bundle_version).content
    bundle = localized(stored, client.language)  # a text not translated: the first language
    audit.record("client.handout", client.id, now=now)
    return {
        "language": client.language or languages_of(stored)[0],
        "clinic": current_clinician().clinic.name,
        "name": client.name,
        "timezone": client.timezone,
        "protocol": bundle["title"],
        "summary": bundle.get("summary"),  # the protocol's own words, as atop the app's plan
        "sessions": numbered(client),
        "days": days(content["occurrences"], task_titles(bundle), today),
        "avoid": avoid(content["restrictions"], bundle.get("restrictions", []), zone, today),
        "call": next((c for c in bundle.get("cards", []) if c["kind"] == "call_clinic"), None),
        "today": today,
    }


def days(occurrences: list[dict], titles: dict[str, str], today: date) -> list[DayRange]:
    """The tasks from `today` on, one line per run of days that have the same tasks; not the
    check-ins, which are answered in the app, not on paper."""
    counts: dict[date, Counter] = {}
    for item in occurrences:
        day = date.fromisoformat(item["date"])
        if day >= today and item["task"] != CHECKIN_TASK:
            counts.setdefault(day, Counter())[(item["task"], item["optional"])] += 1
    ranges: list[DayRange] = []
    for day in sorted(counts):
        order = dict.fromkeys(task for task, _ in counts[day])  # as the plan lists them
        tasks = tuple(
            Task(titles.get(t, t), counts[day][(t, False)], counts[day][(t, True)]) for t in order
        )
        if ranges and ranges[-1].tasks == tasks and ranges[-1].last == day - timedelta(days=1):
            ranges[-1] = DayRange(ranges[-1].first, day, tasks)
        else:
            ranges.append(DayRange(day, day, tasks))
    return ranges


def avoid(windows: list[dict], rules: list[dict], zone: ZoneInfo, today: date) -> list[Avoid]:
    """Each restriction not yet over, with the days it holds (overlapping windows joined);
    those holding on the same days share a line, so the page stays one page."""
    titles = {rule["id"]: rule["title"] for rule in rules}
    spans: dict[str, list[list]] = {}
    for window in sorted(windows, key=lambda w: w["start"]):
        first = datetime.fromisoformat(window["start"]).astimezone(zone).date()
        last = None
        if window["end"] is not None:
            # A window ends at a moment: its last day is the one before that moment.
            end = datetime.fromisoformat(window["end"]) - timedelta(microseconds=1)
            last = end.astimezone(zone).date()
            if last < today:
                continue
        held = spans.setdefault(window["id"], [])
        if held and held[-1][1] is not None and first <= held[-1][1] + timedelta(days=1):
            held[-1][1] = None if last is None else max(last, held[-1][1])
        else:
            held.append([first, last])
    together: dict[tuple, list[str]] = {}
    for rid, held in spans.items():
        together.setdefault(tuple(map(tuple, held)), []).append(titles.get(rid, rid))
    found = [Avoid(tuple(sorted(names)), days) for days, names in together.items()]
    return sorted(found, key=lambda a: (a.spans[0][0], a.spans[-1][1] or date.max, a.titles))
