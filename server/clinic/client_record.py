"""A client's record as the clinic sees it: the API's record, and the dashboard's page of it.

The page is the record plus what the page draws (the plan day by day, the calendar, push),
each read once: the client, their bundle and their summary line are shared, not looked up
again (a test counts the statements).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from ..domain import occurrence
from ..extensions import db
from ..models import AdherenceEvent, Client, Device, ProtocolBundle, PushSubscription, Reminder
from ..phone.enrollment import outstanding
from ..plans.bundles import pinned_bundle, task_titles
from ..plans.registry import registry
from ..plans.store import numbered
from ..plans.translations import languages_of
from . import audit
from .adherence import daily, occurrence_marks
from .deletion import deletion_status
from .scope import client_or_404
from .summaries import current

EVENT_LOG_LIMIT = 500


def view(client_id: int, now: datetime) -> dict:
    """A client's whole record, audited as a view (the calling view commits)."""
    client = client_or_404(client_id)
    audit.record("client.view", client.id, now=now)
    return describe(client, now)


def describe(client: Client, now: datetime) -> dict:
    """Profile, protocol, sessions, plan, summary, devices and event log of one client.

    The values are what ClientSchema dumps; `bundle` (the plan's protocol bundle) rides along
    for the page.
    """
    summary = current(client.id, now)
    plan = client.plan
    bundle = db.session.get(ProtocolBundle, plan.bundle_version)
    events = db.session.scalars(
        select(AdherenceEvent)
        .options(undefer(AdherenceEvent.task_id))
        .where(AdherenceEvent.client_id == client.id)
        .order_by(AdherenceEvent.seq.desc())  # newest first, as the server received them
        .limit(EVENT_LOG_LIMIT + 1)
    ).all()
    return {
        "id": client.id,
        "name": client.name,
        "contact": client.contact,
        "timezone": client.timezone,
        "language": client.language,
        "wake": client.wake_time,
        "bed": client.bed_time,
        "answers": dict(client.answers),
        "created_at": client.created_at,
        "deletion_requested_at": client.deletion_requested_at,
        # As the plan was built: a protocol file edited since does not change it.
        "protocol": {
            "id": client.protocol_id,
            "title": bundle.content["title"],
            "bundle_version": bundle.version,
            "languages": languages_of(bundle.content),
        },
        "bundle": bundle.content,
        "sessions": numbered(client),
        "unanswered": [
            question["id"]
            for question in bundle.content.get("questions", [])
            if question["id"] not in client.answers
        ],
        "plan": {
            "version": plan.version,
            "built_at": plan.built_at,
            "answers": plan.content["answers"],
            "warnings": plan.content["warnings"],
        },
        "summary": summary,
        "devices": db.session.scalars(
            select(Device).where(Device.client_id == client.id).order_by(Device.id)
        ).all(),
        "events": events[:EVENT_LOG_LIMIT],
        "events_more": len(events) > EVENT_LOG_LIMIT,
        "enrollment_links": outstanding(client.id, now),
    }


@dataclass(frozen=True)
class PlannedTask:
    occurrence_id: str
    slot: str
    title: str
    at: datetime
    optional: bool
    state: str  # domain/occurrence.py


def page(client_id: int, now: datetime) -> dict:
    """The record (audited as a view) with everything the dashboard's page draws."""
    record = view(client_id, now)
    client = client_or_404(client_id)  # the same object: no statement
    titles = task_titles(record["bundle"])
    return {
        **record,
        "days": daily(client.id, now),
        "plan_days": plan_days(client, titles, now),
        "questions": _answered_questions(
            record["bundle"], record["answers"], record["plan"]["answers"]
        ),
        "titles": titles,
        "version": version_status(client, record["protocol"]["bundle_version"], record["bundle"]),
        "push": push_status(client.id),
        "today": now.astimezone(ZoneInfo(client.timezone)).date(),
        "deletion": deletion_status(client),
    }


def version_status(client: Client, bundle_version: str, bundle: dict) -> dict:
    """The protocol version the plan follows, and the newest one if the plan is behind it
    (clinic/versions.py moves clients on); the newest is read from memory, not the database."""
    loaded = registry().get(client.protocol_id)
    behind = loaded is not None and loaded.bundle_version != bundle_version
    label, newer = bundle.get("version"), loaded.bundle["version"] if behind else None
    if newer is not None and newer == label:  # the file was edited without a new `version`
        newer = f"{newer} (edited {loaded.bundle_version})"
        label = f"{label} ({bundle_version})"
    return {"label": label, "newer": newer}


def profile_choices(client_id: int) -> tuple[list[dict], list[str]]:
    """The questions and languages of the protocol the client's plan is built from, for the
    profile form (not audited as a view)."""
    content = pinned_bundle(client_or_404(client_id), registry()).content
    return content.get("questions", []), languages_of(content)


def plan_days(client: Client, titles: dict[str, str], now: datetime) -> list[tuple[date, list]]:
    """The plan's tasks grouped by the client's day, each in its state."""
    marks = occurrence_marks(client.id)
    zone = ZoneInfo(client.timezone)
    days: dict[date, list[PlannedTask]] = defaultdict(list)
    for item in client.plan.content["occurrences"]:
        due_end = datetime.fromisoformat(item["due_end"])
        days[date.fromisoformat(item["date"])].append(
            PlannedTask(
                item["id"],
                item["slot"],
                titles.get(item["task"], item["task"]),
                datetime.fromisoformat(item["at"]).astimezone(zone),
                item["optional"],
                _state(marks.get(item["id"], (False, False)), item["optional"], due_end, now),
            )
        )
    return sorted(days.items())


def push_status(client_id: int) -> dict:
    """Subscribed devices, and reminders by state (sent, failed...), counted by the database."""
    subscribed = db.session.execute(
        select(Device.id, func.count(PushSubscription.id))
        .outerjoin(PushSubscription, PushSubscription.device_id == Device.id)
        .where(Device.client_id == client_id)
        .group_by(Device.id)
    ).all()
    states = db.session.execute(
        select(Reminder.state, func.count())
        .where(Reminder.client_id == client_id)
        .group_by(Reminder.state)
    ).all()
    return {
        "subscriptions": {device_id: count for device_id, count in subscribed},
        "reminders": {state: count for state, count in states},
    }


def _answered_questions(bundle: dict, given: dict, planned: dict) -> list[tuple[str, str]]:
    """(question, answer) in the protocol's words; one nobody answered says so, and what the
    plan is drawn from meanwhile."""
    shown = []
    for question in bundle.get("questions", []):
        labels = {option["value"]: option["label"] for option in question.get("options", [])}
        if question["id"] in given:
            value = given[question["id"]]
            shown.append((question["label"], labels.get(value, value)))
        else:
            value = planned.get(question["id"], question["default"])
            said = f"Not answered yet (planned as {labels.get(value, value)})"
            shown.append((question["label"], said))
    return shown


def _state(mark: tuple[bool, bool], optional: bool, due_end: datetime, now: datetime) -> str:
    done, in_time = mark
    return occurrence.as_the_clinic_counts(occurrence.state(done, optional, due_end, now), in_time)
