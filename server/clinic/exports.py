"""CSV exports for the clinic: one client's every task, or the clinic's clients' summaries.

Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with a quote, so a client's name cannot become a formula in Excel.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select

from . import adherence, audit
from .clinic_scope import client_or_404, current_clinician
from .extensions import db
from .models import Client, PlanOccurrence, ProtocolBundle

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CLIENT_HEADER = (
    "date",
    "slot",
    "task",
    "optional",
    "due",
    "status",
    "logged_at",
    "device_time",
)
CLINIC_HEADER = (
    "client_id",
    "name",
    "contact",
    "protocol",
    "due_so_far",
    "done",
    "adherence",
    "missed_days_1_to_4",
    "last_sync",
    "last_session",
    "next_session",
    "no_sync_48h",
    "session_too_soon",
    "needs_call",
)


def safe_cell(value) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def client_csv(client_id: int, now: datetime) -> tuple[str, str]:
    """(file name, CSV) of every task occurrence of one client: due, done or missed, and when."""
    client = client_or_404(client_id)
    bundle = db.session.get(ProtocolBundle, client.plan.bundle_version)
    titles = {task["id"]: task["title"] for task in bundle.content.get("tasks", [])}
    zone = ZoneInfo(client.timezone)
    latest = adherence.latest_events(select(Client.id).where(Client.id == client.id))
    rows = db.session.execute(
        select(PlanOccurrence, latest.c.action, latest.c.received_at, latest.c.device_at)
        .add_columns(latest.c.device_utc_offset_minutes)
        .outerjoin(
            latest,
            and_(
                latest.c.client_id == PlanOccurrence.client_id,
                latest.c.occurrence_id == PlanOccurrence.occurrence_id,
                latest.c.rank == 1,
            ),
        )
        .where(PlanOccurrence.client_id == client.id, PlanOccurrence.active.is_(True))
        .order_by(PlanOccurrence.due_start, PlanOccurrence.task_id)
    ).all()
    lines = []
    for occurrence, action, received_at, device_at, offset in rows:
        status = "done" if action == "done" else "missed" if occurrence.due_end <= now else "open"
        if occurrence.optional and status == "missed":
            status = "not done (optional)"
        device_time = None
        if device_at is not None:
            device_time = device_at.astimezone(timezone(timedelta(minutes=offset))).isoformat()
        lines.append(
            (
                occurrence.local_date.isoformat(),
                occurrence.slot,
                titles.get(occurrence.task_id, occurrence.task_id),
                "yes" if occurrence.optional else "no",
                occurrence.due_end.astimezone(zone).isoformat(),
                status,
                received_at.astimezone(zone).isoformat() if received_at else None,
                device_time,
            )
        )
    audit.record("client.export", client.id, {"rows": len(lines)}, now=now)
    return f"client-{client.id}-tasks.csv", to_csv(CLIENT_HEADER, lines)


def clinic_csv(filters: adherence.Filters, now: datetime) -> tuple[str, str]:
    """(file name, CSV) with one line per client of the clinic: adherence and flags."""
    clinic_id = current_clinician().clinic_id
    rows = db.session.execute(adherence.by_need(clinic_id, now, filters)).all()
    lines = [
        (
            row.Client.id,
            row.Client.name,
            row.Client.contact,
            row.Client.protocol_id,
            row.due,
            row.done,
            None if row.adherence is None else f"{row.adherence:.3f}",
            row.critical_missed,
            _iso(row.last_sync),
            _iso(row.last_session),
            _iso(row.next_session),
            _yes(row.no_sync),
            _yes(row.spacing_too_short),
            _yes(row.needs_call),
        )
        for row in rows
    ]
    detail = {"q": filters.q, "flag": filters.flag, "rows": len(lines)}
    audit.record("clients.export", detail=detail, now=now)
    return f"clinic-{clinic_id}-clients-{now.date().isoformat()}.csv", to_csv(CLINIC_HEADER, lines)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _yes(flag) -> str:
    return "yes" if flag else "no"
