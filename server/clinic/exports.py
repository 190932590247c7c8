"""CSV exports for the clinic: one client's every task, the clinic's clients' summaries, and
the audit log.

Each is streamed: rows are read from the database in batches and sent as they are written,
so a big clinic's list never sits whole in a worker's memory, and the first bytes leave at
once. The audit entry (with the row count, counted in SQL) is recorded before the stream;
the calling view commits it, then sends the text.

Times are wall-clock times to the second, "2026-03-25 09:30:00", which every spreadsheet
reads as a date and time; the column's name says the zone (the clinic's, from its settings,
or the client's own for a task's times).

Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with a quote, so a client's name cannot become a formula in Excel.
A contact that starts with a phone number gets an invisible word joiner instead (see
`contact_cell`): shown as typed, kept as text, and still never run.
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
from ..plans.registry import registry
from . import audit, audit_log
from .adherence import latest_events
from .client_list import Filters, lines
from .scope import client_or_404, current_clinician

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# U+2060 WORD JOINER: zero width, never drawn, not whitespace (no spreadsheet trims it), and
# not a formula's first character. Before "+44 7700 900107" it keeps Excel, LibreOffice and
# Google Sheets from reading a formula (the + ) or a number (a lost leading 0, 4.4E+11), with
# nothing visible; a leading apostrophe is only hidden when typed into a cell, not in a CSV.
WORD_JOINER = "\u2060"
PHONE_STARTS = ("+", "(", *"0123456789")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def safe_cell(value) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def contact_cell(contact: str | None) -> str:
    """A contact a spreadsheet shows exactly as typed, as text: a leading phone number is
    neither a formula nor a number (nor a visible apostrophe)."""
    text = contact or ""
    return WORD_JOINER + text if text.startswith(PHONE_STARTS) else text


def local_time(moment: datetime | None, zone: ZoneInfo) -> str | None:
    """A moment as the wall clock in `zone` showed it, to the second."""
    return None if moment is None else moment.astimezone(zone).strftime(TIME_FORMAT)


def utc_offset(minutes: int) -> str:
    """A UTC offset as "UTC+01:00" or "UTC-05:30": a bare "-05:30" would start like a formula."""
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}"


def in_zone(column: str, zone: ZoneInfo) -> str:
    """A column's name saying which zone its times are in: "logged_at (Europe/London)"."""
    return f"{column} ({zone.key})"


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


def _clinic_zone() -> ZoneInfo:
    return ZoneInfo(current_clinician().clinic.timezone)


def client_csv(client_id: int, now: datetime) -> tuple[str, Iterator[str]]:
    """(file name, CSV chunks) of every task occurrence of one client: due, done or missed,
    and when."""
    client = client_or_404(client_id)
    bundle = db.session.get(ProtocolBundle, client.plan.bundle_version)
    titles = task_titles(bundle.content)
    zones = ZoneInfo(client.timezone), _clinic_zone()
    active = (PlanOccurrence.client_id == client.id, PlanOccurrence.active.is_(True))
    rows = db.session.scalar(select(func.count()).select_from(PlanOccurrence).where(*active))
    audit.record("client.export", client.id, {"rows": rows}, now=now)
    name = f"client-{client.id}-tasks.csv"
    header = client_header(*zones)
    who = (client.id, client.name, bundle.content.get("title", client.protocol_id))
    return name, csv_chunks(header, _task_lines(client.id, who, titles, zones, now))


def client_header(client_zone: ZoneInfo, clinic_zone: ZoneInfo) -> tuple[str, ...]:
    """The tasks CSV's columns: the task's times in the client's zone, the log's in the
    clinic's, the phone's own clock as it was."""
    return (
        "client_id",
        "client",
        "protocol",
        in_zone("date", client_zone),
        in_zone("time", client_zone),
        "slot",
        "task",
        "optional",
        in_zone("due_by", client_zone),
        "status",
        in_zone("logged_at", clinic_zone),
        "device_time (the phone's clock)",
        "device_utc_offset",
    )


def _task_lines(
    client_id: int, who: tuple, titles: dict, zones: tuple[ZoneInfo, ZoneInfo], now: datetime
) -> Iterator[tuple]:
    client_zone, clinic_zone = zones
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
        state = occurrence.as_the_clinic_counts(
            occurrence.state(action == "done", task.optional, task.due_end, now),
            task.delivered_at is not None and task.delivered_at <= task.due_end,
        )
        phone = None if device_at is None else timezone(timedelta(minutes=offset))
        yield (
            *who,
            task.local_date.isoformat(),
            task.due_start.astimezone(client_zone).strftime("%H:%M"),
            task.slot,
            titles.get(task.task_id, task.task_id),
            "yes" if task.optional else "no",
            local_time(task.due_end, client_zone),
            occurrence.LABELS[state],
            local_time(received_at, clinic_zone),
            None if phone is None else device_at.astimezone(phone).strftime(TIME_FORMAT),
            None if phone is None else utc_offset(offset),
        )


def clinic_header(zone: ZoneInfo) -> tuple[str, ...]:
    """The list CSV's columns, its times in the clinic's zone."""
    return (
        "client_id",
        "name",
        "contact",
        "protocol",
        "due_so_far",
        "done",
        "adherence",
        "missed_days_1_to_4",
        in_zone("last_sync", zone),
        in_zone("last_session", zone),
        in_zone("next_session", zone),
        "no_sync_48h",
        "session_too_soon",
        "needs_call",
    )


def clinic_csv(filters: Filters, now: datetime) -> tuple[str, Iterator[str]]:
    """(file name, CSV chunks) with one line per client of the (filtered) list: adherence and
    flags."""
    clinic_id = current_clinician().clinic_id
    zone = _clinic_zone()
    count, listed = lines(clinic_id, now, filters, BATCH)
    audit.record(
        "clients.export", detail={"q": filters.q, "flag": filters.flag, "rows": count}, now=now
    )
    name = f"clinic-{clinic_id}-clients-{now.astimezone(zone).date().isoformat()}.csv"
    return name, csv_chunks(clinic_header(zone), _client_lines(listed, zone))


def _client_lines(listed: Iterator, zone: ZoneInfo) -> Iterator[tuple]:
    protocols = registry()
    for line in listed:
        loaded = protocols.get(line.client.protocol_id)
        yield (
            line.client.id,
            line.client.name,
            contact_cell(line.client.contact),
            line.client.protocol_id if loaded is None else loaded.bundle["title"],
            line.summary.due,
            line.summary.done,
            None if line.summary.adherence is None else f"{line.summary.adherence:.3f}",
            line.summary.critical_missed,
            local_time(line.summary.last_sync, zone),
            local_time(line.summary.last_session, zone),
            local_time(line.summary.next_session, zone),
            _yes("no_sync" in line.flags),
            _yes("spacing" in line.flags),
            _yes("needs_call" in line.flags),
        )


def audit_header(zone: ZoneInfo) -> tuple[str, ...]:
    """The audit CSV's columns: names and readable actions, with the ids and codes beside."""
    return (
        in_zone("at", zone),
        "person",
        "person_id",
        "action",
        "action_code",
        "client",
        "client_id",
        "detail",
    )


def audit_csv(filters: audit_log.Filters, now: datetime) -> tuple[str, Iterator[str]]:
    """(file name, CSV chunks) of the admin's clinic's audit log as filtered, newest first;
    exporting it is itself audited, and in the file."""
    zone = _clinic_zone()
    # Recorded first, so the file (read after the commit) and its count both hold this entry
    # when the filters let it in.
    entry = audit.record("audit.export", detail=filters.described(), now=now)
    count, entries = audit_log.entries(filters, zone, BATCH)
    entry.detail = {**entry.detail, "rows": count}
    name = f"audit-log-{now.astimezone(zone).date().isoformat()}.csv"
    return name, csv_chunks(audit_header(zone), _audit_lines(entries, zone))


def _audit_lines(entries: Iterator, zone: ZoneInfo) -> Iterator[tuple]:
    for entry in entries:
        yield (
            local_time(entry.at, zone),
            entry.person,
            entry.person_id,
            entry.label,
            entry.action,
            entry.client,
            entry.client_id,
            entry.detail_json,
        )


def _yes(flag) -> str:
    return "yes" if flag else "no"
