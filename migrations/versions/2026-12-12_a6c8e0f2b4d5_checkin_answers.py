"""Check-in answers from phones, the clinic's phone number for red flags, and the client
list's count of open red flags (it sorts first among those to call).

Revision ID: a6c8e0f2b4d5
Revises: f4b6d8e0a2c3
Create Date: 2026-12-11 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# server.models.UTCDateTime in the models: stored in UTC, read back as aware datetimes.
UTCDateTime = sa.DateTime(timezone=True)

revision = "a6c8e0f2b4d5"
down_revision = "f4b6d8e0a2c3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "checkin_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Uuid(), nullable=False),
        sa.Column("occurrence_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("device_at", UTCDateTime, nullable=False),
        sa.Column("device_utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_checkin_answers_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_checkin_answers_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_answers")),
        sa.UniqueConstraint("client_id", "checkin_id", name="uq_checkin_answers_client_checkin"),
    )
    op.create_index("ix_checkin_answers_flagged", "checkin_answers", ["flagged", "device_at"])
    op.add_column("clinics", sa.Column("phone", sa.String(length=40), nullable=True))
    op.add_column(
        "client_summaries",
        sa.Column("red_flags", sa.Integer(), server_default="0", nullable=False),
    )
    _by_need(["clinic_id", sa.column("needs_call").desc(), sa.column("red_flags").desc()])


def _by_need(first: list) -> None:
    """The list's order index, led by `first` (red flags after needs_call, or not)."""
    op.drop_index("ix_client_summaries_by_need", table_name="client_summaries")
    op.create_index(
        "ix_client_summaries_by_need",
        "client_summaries",
        [
            *first,
            sa.column("critical_missed").desc(),
            "nothing_due",
            "adherence",
            "sort_name",
            "client_id",
        ],
    )


def downgrade():
    _by_need(["clinic_id", sa.column("needs_call").desc()])
    # Not a batch: SQLite drops a column in place, where a batch would copy the table.
    op.drop_column("client_summaries", "red_flags")
    op.drop_column("clinics", "phone")
    op.drop_index("ix_checkin_answers_flagged", table_name="checkin_answers")
    op.drop_table("checkin_answers")
