"""Occurrences keep the session and day they belong to, and when a phone first had them.

Revision ID: d2f4a6b8c0e1
Revises: c1e3a5b7d9f2
Create Date: 2026-12-09 09:00:00

"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "d2f4a6b8c0e1"
down_revision = "c1e3a5b7d9f2"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("plan_occurrences", sa.Column("anchor_session_id", sa.Integer(), nullable=True))
    op.add_column("plan_occurrences", sa.Column("anchor_day", sa.Integer(), nullable=True))
    op.add_column("plan_occurrences", sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    # Adherence counted from the client's first phone: as delivered then, figures stay the same.
    op.execute(
        """
        UPDATE plan_occurrences SET delivered_at = (
            SELECT min(devices.created_at) FROM devices
            WHERE devices.client_id = plan_occurrences.client_id
        )
        """
    )
    _backfill_anchors(op.get_bind())


def _backfill_anchors(connection) -> None:
    """The rule of server/domain/identity.py `anchor`, copied: a migration must not change
    when the code does. Rows of clients without sessions keep no anchor."""
    sessions: dict[int, list[tuple[int, date, date]]] = {}
    rows = connection.execute(
        sa.text(
            "SELECT s.client_id, s.id, s.starts_at, s.ends_at, c.timezone"
            " FROM treatment_sessions s JOIN clients c ON c.id = s.client_id"
            " ORDER BY s.client_id, s.starts_at, s.id"
        )
    )
    for client_id, session_id, starts_at, ends_at, timezone in rows:
        zone = ZoneInfo(timezone)
        sessions.setdefault(client_id, []).append(
            (session_id, _local(starts_at, zone), _local(ends_at, zone))
        )
    update = sa.text(
        "UPDATE plan_occurrences SET anchor_session_id = :session, anchor_day = :day"
        " WHERE client_id = :client AND occurrence_id = :occurrence"
    )
    occurrences = connection.execute(
        sa.text("SELECT client_id, occurrence_id, local_date FROM plan_occurrences")
    ).all()
    changes = []
    for client_id, occurrence_id, local_date in occurrences:
        own = sessions.get(client_id)
        if not own:
            continue
        day = local_date if isinstance(local_date, date) else date.fromisoformat(local_date)
        begun = [s for s in own if s[1] <= day]
        session_id, _, end = begun[-1] if begun else own[0]
        changes.append(
            {
                "session": session_id,
                "day": (day - end).days + 1,
                "client": client_id,
                "occurrence": occurrence_id,
            }
        )
    if changes:
        connection.execute(update, changes)


def _local(instant, zone) -> date:
    if isinstance(instant, str):  # SQLite's text
        instant = datetime.fromisoformat(instant)
    if instant.tzinfo is None:  # stored in UTC (server/models/columns.py)
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone).date()


def downgrade():
    with op.batch_alter_table("plan_occurrences") as batch:
        batch.drop_column("delivered_at")
        batch.drop_column("anchor_day")
        batch.drop_column("anchor_session_id")
