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

from sqlalchemy import Select, func, or_, select

from ..domain.flags import FLAGS
from ..extensions import db
from ..models import Client, ClientSummary
from . import audit
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
        listing(clinic_id, filters).limit(per_page).offset((number - 1) * per_page)
    ).all()
    if 0 < len(rows) < per_page:  # the last page: the total is known without counting
        total = (number - 1) * per_page + len(rows)
    else:
        total = _count(clinic_id, filters)
    return Page([_line(row) for row in rows], total, number, per_page)


def lines(
    clinic_id: int, now: datetime, filters: Filters = Filters(), batch: int = 500
) -> tuple[int, Iterator[ClientLine]]:
    """How many lines the (filtered) list has, and the lines in its order, read `batch` at a
    time as they are used (first read after the caller has committed): for the CSV."""
    refresh(clinic_id, now)

    def read() -> Iterator[ClientLine]:
        query = listing(clinic_id, filters).execution_options(yield_per=batch)
        yield from map(_line, db.session.execute(query))

    return _count(clinic_id, filters), read()


def listing(clinic_id: int, filters: Filters) -> Select:
    """The clinic's stored lines with their flags, filtered, most in need first (fresh only
    after `refresh`)."""
    return (
        select(Client, ClientSummary, *(flagged(name).label(name) for name in FLAGS))
        .select_from(ClientSummary)
        .join(Client, Client.id == ClientSummary.client_id)
        .where(*_conditions(clinic_id, filters))
        .order_by(*by_need(ClientSummary))
        # A refresh writes in SQL: a line the session already holds is read again.
        .execution_options(populate_existing=True)
    )


def by_need(lines) -> tuple:
    """The list's order on summary columns (the table's, or a subquery's): who needs a call,
    then most missed, least adherent, then by name. The table has an index in this order."""
    return (
        lines.needs_call.desc(),
        lines.critical_missed.desc(),
        lines.nothing_due,  # adherence is NULL exactly then: those go last
        lines.adherence,
        lines.sort_name,
        lines.client_id,
    )


def matching(q: str):
    """Clients whose name or contact holds `q`, taken literally (no LIKE wildcards)."""
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(Client.name.ilike(pattern, escape="\\"), Client.contact.ilike(pattern, escape="\\"))


def flagged(flag: str, lines=ClientSummary):
    """The SQL condition for one of FLAGS, on summary columns (the table's, or a subquery's)
    and the client's own row."""
    if flag == "needs_call":
        return lines.needs_call.is_(True)
    if flag == "missed_critical":
        return lines.critical_missed > 0
    if flag == "no_sync":
        return lines.no_sync.is_(True)
    if flag == "spacing":
        return lines.spacing_too_short.is_(True)
    if flag == "deletion_requested":
        return Client.deletion_requested_at.is_not(None)
    raise ValueError(f"unknown flag {flag!r}")


def _line(row) -> ClientLine:
    return ClientLine(
        row.Client, row.ClientSummary, tuple(name for name in FLAGS if getattr(row, name))
    )


def _count(clinic_id: int, filters: Filters) -> int:
    counted = select(func.count()).select_from(ClientSummary)
    if filters.q or filters.flag == "deletion_requested":  # these read the clients' own rows
        counted = counted.join(Client, Client.id == ClientSummary.client_id)
    return db.session.scalar(counted.where(*_conditions(clinic_id, filters)))


def _conditions(clinic_id: int, filters: Filters) -> list:
    conditions = [ClientSummary.clinic_id == clinic_id]
    if filters.q:
        conditions.append(matching(filters.q))
    if filters.flag in FLAGS:
        conditions.append(flagged(filters.flag))
    return conditions
