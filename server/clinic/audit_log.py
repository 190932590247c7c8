"""Reading the audit trail: an admin's clinic's entries with names and readable actions,
filtered by person, client, action and dates (in SQL, on the clinic-and-time index), for the
page and its CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import AuditEntry, Client, Clinician
from ..models.columns import MAX_ID
from .paging import Page
from .staff import require_admin

# Every code the trail holds, as an admin would say it. A code not listed (a newer one) is
# shown as it is; the CSV keeps the codes beside the words.
ACTIONS = {
    "clients.list": _l("Searched or opened the client list"),
    "clients.export": _l("Exported the client list (CSV)"),
    "client.view": _l("Opened a client's record"),
    "client.create": _l("Added a client"),
    "client.update": _l("Edited a client's profile"),
    "client.export": _l("Exported a client's tasks (CSV)"),
    "photo.view": _l("Looked at a client's photo"),
    "client.delete": _l("Deleted a client and their data"),
    "client.protocol_version": _l("Moved a client to a newer protocol version"),
    "session.add": _l("Added a session"),
    "session.reschedule": _l("Moved a session"),
    "session.remove": _l("Cancelled a session"),
    "session.make_final": _l("Made a session the final one"),
    "enrollment_code.issue": _l("Made an enrollment link"),
    "enrollment_code.email": _l("Emailed an enrollment link"),
    "enrollment_code.cancel": _l("Cancelled an enrollment link"),
    "device.revoke": _l("Disconnected a phone"),
    "clinician.sign_in": _l("Signed in"),
    "clinician.sign_in_failed": _l("Sign-in refused (wrong password or deactivated)"),
    "clinician.sign_out": _l("Signed out"),
    "clinician.password_change": _l("Changed their password"),
    "clinician.password_change_failed": _l("Password change refused"),
    "clinician.invite": _l("Invited a clinician"),
    "clinician.role": _l("Changed a clinician's role"),
    "clinician.deactivate": _l("Deactivated a clinician"),
    "clinician.reactivate": _l("Reactivated a clinician"),
    "clinic.settings": _l("Changed the clinic's settings"),
    "audit.export": _l("Exported the audit log (CSV)"),
    "app.export": _l("Downloaded their own data (from the app)"),
    "app.deletion_request": _l("Asked for their data to be deleted (from the app)"),
    "app.answers": _l("Answered the plan's questions (from the app)"),
    "app.language": _l("Chose the language of their plan (from the app)"),
}
FROM_THE_APP = "app"  # the person filter's value for what the client did from their phone


@dataclass(frozen=True)
class Filters:
    """What the admin narrowed the log to; dates are whole days in the clinic's zone."""

    person: str | None = None  # a clinician's id, or FROM_THE_APP
    client: str | None = None  # part of a client's name, or "#15" for one client's id
    action: str | None = None  # a code of ACTIONS
    since: date | None = None
    until: date | None = None  # inclusive

    def described(self) -> dict[str, str]:
        """The filters in use, as query arguments (and as the audit entry of an export)."""
        return {k: str(v) for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Line:
    """One entry as the page and the CSV show it."""

    at: datetime
    action: str
    label: str
    person: str
    person_id: int | None
    client: str
    client_id: int | None
    detail: dict[str, Any]

    @property
    def detail_json(self) -> str:
        return json.dumps(self.detail, sort_keys=True, ensure_ascii=False)


def page(filters: Filters, zone: ZoneInfo, number: int, per_page: int) -> Page:
    """One page of the admin's clinic's log as filtered, newest first, and the count."""
    query = _filtered(require_admin().clinic_id, filters, zone)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        _newest_first(query).limit(per_page).offset((number - 1) * per_page)
    ).all()
    return Page([_line(row) for row in rows], total, number, per_page)


def entries(filters: Filters, zone: ZoneInfo, batch: int) -> tuple[int, Iterator[Line]]:
    """How many entries match, and all of them newest first, read `batch` at a time."""
    query = _filtered(require_admin().clinic_id, filters, zone)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return total, _streamed(_newest_first(query), batch)


def _streamed(query: Select, batch: int) -> Iterator[Line]:
    # A generator: the (server-side, on PostgreSQL) cursor opens only once the CSV is read.
    for row in db.session.execute(query.execution_options(yield_per=batch)):
        yield _line(row)


def people() -> list[Clinician]:
    """Whom the log can be filtered by: the clinic's clinicians, active or not."""
    admin = require_admin()
    return list(
        db.session.scalars(
            select(Clinician)
            .where(Clinician.clinic_id == admin.clinic_id)
            .order_by(func.lower(Clinician.name), Clinician.id)
        )
    )


Colleague = aliased(Clinician)  # the clinician an admin's action was about (invite, role)


def _filtered(clinic_id: int, filters: Filters, zone: ZoneInfo) -> Select:
    about = AuditEntry.detail["clinician_id"].as_integer()
    query = (
        select(AuditEntry, Clinician.name, Client.name, Colleague.name)
        .outerjoin(Clinician, Clinician.id == AuditEntry.clinician_id)
        # A deleted client's entries stay; only the same clinic's client lends a name.
        .outerjoin(Client, and_(Client.id == AuditEntry.client_id, Client.clinic_id == clinic_id))
        .outerjoin(Colleague, and_(Colleague.id == about, Colleague.clinic_id == clinic_id))
        .where(AuditEntry.clinic_id == clinic_id)
    )
    if filters.person == FROM_THE_APP:
        query = query.where(AuditEntry.clinician_id.is_(None))
    elif filters.person is not None:
        query = query.where(AuditEntry.clinician_id == int(filters.person))
    if filters.client is not None:
        query = query.where(_client_matches(filters.client))
    if filters.action is not None:
        query = query.where(AuditEntry.action == filters.action)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= _midnight(filters.since, zone))
    if filters.until is not None:
        query = query.where(AuditEntry.at < _midnight(filters.until + timedelta(days=1), zone))
    return query


def _client_matches(typed: str):
    number = typed.removeprefix("#")
    if number.isdigit() and int(number) <= MAX_ID:
        return AuditEntry.client_id == int(number)
    return func.lower(Client.name).contains(typed.lower(), autoescape=True)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """When `day` began in `zone` (the first moment of it, even on a clock-change day)."""
    return datetime.combine(day, time(0), tzinfo=zone)


def _newest_first(query: Select) -> Select:
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _line(row) -> Line:
    entry, person, client, colleague = row
    if person is None:
        person = "The client, from the app" if entry.action.startswith("app.") else "—"
    if client is None and entry.client_id is not None:
        client = f"Client #{entry.client_id} (deleted)"
    detail = dict(entry.detail or {})
    if colleague is not None:
        detail["clinician"] = colleague
    return Line(
        at=entry.at,
        action=entry.action,
        label=str(ACTIONS.get(entry.action, entry.action)),
        person=person,
        person_id=entry.clinician_id,
        client=client or "",
        client_id=entry.client_id,
        detail=detail,
    )
