"""The clinic's client list: one listing for the dashboard, the API and the CSV export.

Read from the stored lines (summaries.py), refreshed first, so a page costs the same whatever
the clinic's size: the first entries of an index in the list's order, and a count beside it.
Everyone sees the same search (name or contact), the same order (who needs a call first)
and the same flags (domain/flags.py), computed by the same SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, case, exists, func, or_, select

from ..domain import search
from ..domain.flags import FLAGS, REASONS, TO_CALL
from ..extensions import db
from ..models import Client, ClientSummary, Concern
from . import audit
from .concerns import expired_unhandled
from .paging import Page
from .scope import current_clinician
from .summaries import refresh


@dataclass(frozen=True)
class Filters:
    """What the clinician narrowed the list to: part of a name or contact, and one flag."""

    q: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class ClientLine:
    client: Client
    summary: ClientSummary
    flags: tuple[str, ...]  # the FLAGS this client matches, in FLAGS' order


LIST_AUDIT_WINDOW = timedelta(minutes=30)  # a spell at the desk: the idle sign-out's default


def view_page(filters: Filters, number: int, per_page: int, now: datetime) -> Page:
    """One page of the signed-in clinician's clinic's list, audited (the view commits)."""
    result = page(current_clinician().clinic_id, now, number, per_page, filters)
    # An auditor asks who looked for whom, and when: a search (its words and flag) says so.
    # Its later pages, and coming back to the list after each client, said nothing more and
    # buried it (152 entries in 20 minutes of desk work). So each search is logged the first
    # time a clinician runs it within LIST_AUDIT_WINDOW, whatever the page; every client
    # opened (client.view) and every export is still logged each time.
    detail = {"q": filters.q, "flag": filters.flag}
    audit.record_once("clients.list", detail, within=LIST_AUDIT_WINDOW, now=now)
    return result


def page(
    clinic_id: int, now: datetime, number: int = 1, per_page: int = 25, filters: Filters = Filters()
) -> Page:
    """One page of a clinic's clients, most in need first, and how many there are in all.

    Needs no request or signed-in clinician (a benchmark can call it); the caller audits and
    commits (the refresh writes).
    """
    refresh(clinic_id, now)
    rows = db.session.execute(
        listing(clinic_id, filters, now).limit(per_page).offset((number - 1) * per_page)
    ).all()
    if 0 < len(rows) < per_page:  # the last page: the total is known without counting
        total = (number - 1) * per_page + len(rows)
    else:
        total = _count(clinic_id, filters, now)
    return Page([_line(row) for row in rows], total, number, per_page)


def lines(
    clinic_id: int, now: datetime, filters: Filters = Filters(), batch: int = 500
) -> tuple[int, Iterator[ClientLine]]:
    """How many lines the (filtered) list has, and the lines in its order, read `batch` at a
    time as they are used (first read after the caller has committed): for the CSV."""
    refresh(clinic_id, now)

    def read() -> Iterator[ClientLine]:
        query = listing(clinic_id, filters, now).execution_options(yield_per=batch)
        yield from map(_line, db.session.execute(query))

    return _count(clinic_id, filters, now), read()


def listing(clinic_id: int, filters: Filters, now: datetime) -> Select:
    """The clinic's stored lines with their flags, filtered, most in need first (fresh only
    after `refresh`)."""
    return (
        select(Client, ClientSummary, *(flagged(name, now=now).label(name) for name in FLAGS))
        .select_from(ClientSummary)
        .join(Client, Client.id == ClientSummary.client_id)
        .where(*_conditions(clinic_id, filters, now))
        .order_by(*by_need(ClientSummary))
        # A refresh writes in SQL: a line the session already holds is read again.
        .execution_options(populate_existing=True)
    )


def by_need(lines) -> tuple:
    """The list's order on summary columns (the table's, or a subquery's): who needs a call,
    red flags first (the client was told to call now), then most missed, least adherent, then
    by name. The table has an index in this order."""
    return (
        lines.needs_call.desc(),
        lines.red_flags.desc(),
        lines.critical_missed.desc(),
        lines.nothing_due,  # adherence is NULL exactly then: those go last
        lines.adherence,
        lines.sort_name,
        lines.client_id,
    )


def matching(q: str):
    """Clients whose name or contact holds `q` whatever its accents, case or phone formatting
    (domain/search.py), taken literally (no LIKE wildcards)."""
    found = Client.search_text.like(_contains(search.folded(q)), escape="\\")
    digits = search.searched_digits(q)
    if digits:
        found = or_(found, Client.search_phone.like(_contains(digits), escape="\\"))
    return found


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def flagged(flag: str, lines=ClientSummary, now: datetime | None = None):
    """The SQL condition for one of FLAGS, on summary columns (the table's, or a subquery's)
    and the client's own row. "expired" reads the kept concerns as of `now`."""
    if flag == "needs_call":
        return lines.needs_call.is_(True)
    if flag == "missed_critical":
        return lines.critical_missed > 0
    if flag == "missed_before_session":
        return lines.before_session_missed > 0
    if flag == "no_sync":
        return lines.no_sync.is_(True)
    if flag == "spacing":
        return lines.spacing_too_short.is_(True)
    if flag == "silent":
        return lines.silent.is_(True)
    if flag == "expired":
        return exists().where(Concern.client_id == lines.client_id, expired_unhandled(now))
    if flag == "deletion_requested":
        return Client.deletion_requested_at.is_not(None)
    raise ValueError(f"unknown flag {flag!r}")


def reason_counts(clinic_id: int) -> dict[str, int]:
    """How many of the clinic's clients are to call today, and for each reason (a client
    may have several). Counted by the database over the stored lines (fresh after `refresh`)."""
    to_call = ClientSummary.needs_call.is_(True)
    columns = [func.count().label(TO_CALL)] + [
        func.count(case((flagged(name), 1))).label(name) for name in REASONS
    ]
    row = db.session.execute(
        select(*columns).where(ClientSummary.clinic_id == clinic_id, to_call)
    ).one()
    return row._asdict()


def _line(row) -> ClientLine:
    return ClientLine(
        row.Client, row.ClientSummary, tuple(name for name in FLAGS if getattr(row, name))
    )


def _count(clinic_id: int, filters: Filters, now: datetime) -> int:
    counted = select(func.count()).select_from(ClientSummary)
    if filters.q or filters.flag in ("deletion_requested", "expired"):  # these read more
        counted = counted.join(Client, Client.id == ClientSummary.client_id)
    return db.session.scalar(counted.where(*_conditions(clinic_id, filters, now)))


def _conditions(clinic_id: int, filters: Filters, now: datetime) -> list:
    conditions = [ClientSummary.clinic_id == clinic_id]
    if filters.q:
        conditions.append(matching(filters.q))
    if filters.flag in FLAGS:
        conditions.append(flagged(filters.flag, now=now))
    return conditions
