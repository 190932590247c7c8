"""Concerns (reasons to call a client, kept until handled) and the clinic's notes and calls.

Every stored summary is made stale, so each line is recomputed with the new rules on its next
read; each plan's schedule key is filled in from the warnings it already holds.

Revision ID: a1c3e5f7b9d2
Revises: f7a9b1c3d5e7
Create Date: 2026-12-06 07:30:00

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "a1c3e5f7b9d2"
down_revision = "f7a9b1c3d5e7"
branch_labels = None
depends_on = None

SCHEDULE_PROBLEMS = ("sessions_overlap", "spacing_too_short")


def upgrade():
    op.create_table(
        "client_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_notes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinicians.id"],
            name=op.f("fk_client_notes_clinician_id_clinicians"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_notes")),
    )
    with op.batch_alter_table("client_notes", schema=None) as batch_op:
        batch_op.create_index("ix_client_notes_client", ["client_id", "at"], unique=False)

    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("occurrence_id", sa.String(length=32), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_concerns_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["client_notes.id"],
            name=op.f("fk_concerns_handled_by_id_client_notes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
        sa.UniqueConstraint("client_id", "kind", "subject", name="uq_concerns_subject"),
    )
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_concerns_open", ["client_id", "handled_by_id", "cleared_at"], unique=False
        )

    with op.batch_alter_table("client_summaries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("before_session_missed", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("silent", sa.Boolean(), server_default="0", nullable=False))

    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_key", sa.String(length=400), nullable=True))

    _fill_schedule_keys()
    op.execute("UPDATE client_summaries SET computed_at = NULL")


def _fill_schedule_keys():
    """The key plans/store.py now writes, from the warnings each plan already holds."""
    plans = sa.table(
        "plans", sa.column("client_id", sa.Integer), sa.column("content", sa.JSON),
        sa.column("schedule_key", sa.String),
    )
    connection = op.get_bind()
    for client_id, content in connection.execute(sa.select(plans.c.client_id, plans.c.content)):
        if isinstance(content, str):
            content = json.loads(content)
        problems = [
            f"{w['code']}@{w.get('date') or ''}"
            for w in (content or {}).get("warnings", [])
            if w["code"] in SCHEDULE_PROBLEMS
        ]
        if problems:
            connection.execute(
                plans.update()
                .where(plans.c.client_id == client_id)
                .values(schedule_key=";".join(problems)[:400])
            )


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("schedule_key")

    with op.batch_alter_table("client_summaries", schema=None) as batch_op:
        batch_op.drop_column("silent")
        batch_op.drop_column("before_session_missed")

    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_index("ix_concerns_open")
    op.drop_table("concerns")

    with op.batch_alter_table("client_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_client_notes_client")
    op.drop_table("client_notes")
