"""What a page costs in SQL statements, pinned: a new query on a hot page is a decision.

The counts are every statement the request sends (the signed-in clinician, the client or the
list, the refresh of stale summary lines with their concerns, the audit entry, the clinic's
name for the header, the unused enrollment link; the list's counts per reason and the words
of each line's concerns: their rows, clients, protocol titles, sessions and phones, one
statement each; on a client's page the same for theirs, the timeline and since when their
adherence counts).
Each is also checked not to grow with the clinic's size or the client's history.
"""

from contextlib import contextmanager
from uuid import uuid4

import pytest
from sqlalchemy import event, select

from server.extensions import db
from server.models import PlanOccurrence
from tests.support.clinics import add_client, add_events

# Statements per page, the same on SQLite and PostgreSQL.
CLIENT_PAGE = 26  # healing photos, check-ins, and the check-ins' photos (two statements)
LIST_PAGE = 12


@contextmanager
def counted(app):
    """Collect the SQL statements sent while the block runs (the list is filled on exit)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def tick_all_but_one(app, client_id, now):
    """Tick every task due but the first: the history grows, one concern stays open (a page
    with none to describe sends fewer statements)."""
    with app.app_context():
        due = db.session.scalars(
            select(PlanOccurrence)
            .where(
                PlanOccurrence.client_id == client_id,
                PlanOccurrence.due_end <= now,
                PlanOccurrence.optional.is_(False),  # a check-in left unanswered raises nothing
            )
            .order_by(PlanOccurrence.due_end)
        ).all()
    ticks = [(o.occurrence_id, "done", o.due_start, uuid4()) for o in due[1:]]
    add_events(app, client_id, ticks, now)


def page_statements(app, browser, path: str) -> list[str]:
    browser.get(path)  # once first, so both reads find the summaries computed
    with counted(app) as seen:
        assert browser.get(path).status_code == 200
    return seen


def test_the_client_page_costs_a_fixed_number_of_statements(app, world, now, clinician_a):
    path = f"/clinic/clients/{world.a.client_id}"
    before = page_statements(app, clinician_a, path)
    tick_all_but_one(app, world.a.client_id, now)
    after = page_statements(app, clinician_a, path)
    assert len(after) == len(before) == CLIENT_PAGE, "\n\n".join(after)


def test_the_list_page_costs_a_fixed_number_of_statements(app, world, now, clinician_a):
    # More than a page (25) each time: a last page is counted without a statement of its own.
    for number in range(30):
        add_client(app, now, world.a.clinic_id, f"Extra {number}")
    before = page_statements(app, clinician_a, "/clinic/")
    for number in range(30, 60):
        add_client(app, now, world.a.clinic_id, f"Extra {number}")
    after = page_statements(app, clinician_a, "/clinic/")
    assert len(after) == len(before) == LIST_PAGE, "\n\n".join(after)


@pytest.mark.parametrize("path", ["/api/v1/clinic/clients", "/api/v1/clinic/clients/{id}"])
def test_the_api_reads_do_not_grow_with_the_clinic_or_the_history(app, world, now, clinician, path):
    path = path.format(id=world.a.client_id)
    for number in range(30):
        add_client(app, now, world.a.clinic_id, f"Extra {number}")
    before = page_statements(app, clinician, path)
    for number in range(30, 60):
        add_client(app, now, world.a.clinic_id, f"Extra {number}")
    tick_all_but_one(app, world.a.client_id, now)
    assert len(page_statements(app, clinician, path)) == len(before)
