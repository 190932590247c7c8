"""What the clinic's dashboard shows: the list of clients by need, and one client's page.

Both work inside the signed-in clinician's clinic and leave an audit entry; the view commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from . import adherence, audit, client_summaries, clients, privacy
from .clinic_scope import client_or_404, current_clinician
from .extensions import db
from .models import Client, Device, ProtocolBundle, PushSubscription, Reminder


def client_list(filters: adherence.Filters, page: int, per_page: int, now: datetime):
    """One page of the clinic's clients, the ones who need a call first."""
    clinic_id = current_clinician().clinic_id
    result = client_summaries.client_page(clinic_id, now, page, per_page, filters)
    detail = {"q": filters.q, "flag": filters.flag, "page": page}
    audit.record("clients.list", detail=detail, now=now)
    return result


@dataclass(frozen=True)
class PlannedTask:
    occurrence_id: str
    slot: str
    title: str
    at: datetime
    optional: bool
    state: str  # done, missed, open (time not up yet)


def client_page(client_id: int, now: datetime) -> dict:
    """A client's record (audited as a view) with everything the page draws."""
    record = clients.view(client_id, now)
    client = client_or_404(client_id)
    bundle = db.session.get(ProtocolBundle, client.plan.bundle_version)
    return {
        **record,
        "days": adherence.daily(client.id, now),
        "plan_days": plan_days(client, bundle.content, now),
        "questions": _answered_questions(bundle.content, record["answers"]),
        "titles": {task["id"]: task["title"] for task in bundle.content.get("tasks", [])},
        "push": push_status(client.id),
        "today": now.astimezone(ZoneInfo(client.timezone)).date(),
        "flags": _flags(client, now),
        "deletion": privacy.deletion_status(client),
    }


def plan_days(client: Client, bundle: dict, now: datetime) -> list[tuple[date, list]]:
    """The plan's tasks grouped by the client's day, each done, missed or still open."""
    titles = {task["id"]: task["title"] for task in bundle.get("tasks", [])}
    latest = adherence.latest_events(select(Client.id).where(Client.id == client.id))
    done = set(
        db.session.scalars(
            select(latest.c.occurrence_id).where(latest.c.rank == 1, latest.c.action == "done")
        )
    )
    zone = ZoneInfo(client.timezone)
    days: dict[date, list[PlannedTask]] = defaultdict(list)
    for item in client.plan.content["occurrences"]:
        due_end = datetime.fromisoformat(item["due_end"])
        state = "done" if item["id"] in done else ("missed" if due_end <= now else "open")
        days[date.fromisoformat(item["date"])].append(
            PlannedTask(
                item["id"],
                item["slot"],
                titles.get(item["task"], item["task"]),
                datetime.fromisoformat(item["at"]).astimezone(zone),
                item["optional"],
                state,
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


def _answered_questions(bundle: dict, answers: dict) -> list[tuple[str, str]]:
    """(question, answer) in the protocol's words."""
    shown = []
    for question in bundle.get("questions", []):
        value = answers.get(question["id"])
        labels = {option["value"]: option["label"] for option in question.get("options", [])}
        shown.append((question["label"], labels.get(value, value or "—")))
    return shown


def _flags(client: Client, now: datetime):
    """The list's flags for this one client (the same rules, computed for it alone)."""
    return db.session.execute(
        adherence.with_summary(select(Client).where(Client.id == client.id), now)
    ).one()


def protocol_choices() -> list[dict]:
    """Every protocol a new client can follow, with its questions, for the new-client form."""
    registry = current_app.extensions["protocols"]
    return [
        {
            "id": loaded.protocol.id,
            "title": loaded.bundle["title"],
            "questions": loaded.bundle.get("questions", []),
        }
        for loaded in sorted(registry, key=lambda item: item.bundle["title"])
    ]
