"""CSV exports for the clinic: one client's every task, or the clinic's clients' summaries.

Each is streamed: rows are read from the database in batches and sent as they are written,
so a big clinic's list never sits whole in a worker's memory, and the first bytes leave at
once. The audit entry (with the row count, counted in SQL) is recorded before the stream;
the calling view commits it, then sends the text.

Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with a quote, so a client's name cannot become a formula in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select

from ..domain import occurrence
from ..extensions import db
from ..models import Client, PlanOccurrence, ProtocolBundle
from ..plans.bundles import task_titles
from . import audit
from .adherence import latest_events
from .client_list import Filters, lines
from .scope import client_or_404, current_clinician

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


BATCH = 500  # rows fetched at a time
CHUNK = 64 * 1024  # characters sent at a time


def csv_chunks(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text of `header` and `rows`, in chunks of about CHUNK characters."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        if out.tell() >= CHUNK:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def client_csv(client_id: int, now: datetime) -> tuple[str, Iterator[str]]:
    """(file name, CSV chunks) of every task occurrence of one client: due, done or missed,
    and when."""
    client = client_or_404(client_id)
    bundle = db.session.get(ProtocolBundle, client.plan.bundle_version)
    titles = task_titles(bundle.content)
    zone = ZoneInfo(client.timezone)
    active = (PlanOccurrence.client_id == client.id, PlanOccurrence.active.is_(True))
    rows = db.session.scalar(select(func.count()).select_from(PlanOccurrence).where(*active))
    audit.record("client.export", client.id, {"rows": rows}, now=now)
    name = f"client-{client.id}-tasks.csv"
    return name, csv_chunks(CLIENT_HEADER, _task_lines(client.id, titles, zone, now))


def _task_lines(client_id: int, titles: dict, zone: ZoneInfo, now: datetime) -> Iterator[tuple]:
    latest = latest_events(select(Client.id).where(Client.id == client_id))
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
        .where(PlanOccurrence.client_id == client_id, PlanOccurrence.active.is_(True))
        .order_by(PlanOccurrence.due_start, PlanOccurrence.task_id)
        .execution_options(yield_per=BATCH)
    )
    for task, action, received_at, device_at, offset in rows:
        state = occurrence.state(action == "done", task.optional, task.due_end, now)
        device_time = None
        if device_at is not None:
            device_time = device_at.astimezone(timezone(timedelta(minutes=offset))).isoformat()
        yield (
            task.local_date.isoformat(),
            task.slot,
            titles.get(task.task_id, task.task_id),
            "yes" if task.optional else "no",
            task.due_end.astimezone(zone).isoformat(),
            occurrence.LABELS[state],
            received_at.astimezone(zone).isoformat() if received_at else None,
            device_time,
        )


def clinic_csv(filters: Filters, now: datetime) -> tuple[str, Iterator[str]]:
    """(file name, CSV chunks) with one line per client of the (filtered) list: adherence and
    flags."""
    clinic_id = current_clinician().clinic_id
    count, listed = lines(clinic_id, now, filters, BATCH)
    audit.record(
        "clients.export", detail={"q": filters.q, "flag": filters.flag, "rows": count}, now=now
    )
    name = f"clinic-{clinic_id}-clients-{now.date().isoformat()}.csv"
    return name, csv_chunks(CLINIC_HEADER, _client_lines(listed))


def _client_lines(listed: Iterator) -> Iterator[tuple]:
    for line in listed:
        yield (
            line.client.id,
            line.client.name,
            line.client.contact,
            line.client.protocol_id,
            line.summary.due,
            line.summary.done,
            None if line.summary.adherence is None else f"{line.summary.adherence:.3f}",
            line.summary.critical_missed,
            _iso(line.summary.last_sync),
            _iso(line.summary.last_session),
            _iso(line.summary.next_session),
            _yes("no_sync" in line.flags),
            _yes("spacing" in line.flags),
            _yes("needs_call" in line.flags),
        )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _yes(flag) -> str:
    return "yes" if flag else "no"
