"""Client summaries: each client's line in the clinic's list, stored and kept current.

Revision ID: a3f9c2d4e6b8
Revises: 7a1f3c9e2b40
Create Date: 2026-11-24 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a3f9c2d4e6b8"
down_revision = "7a1f3c9e2b40"
branch_labels = None
depends_on = None

# server.models.UTCDateTime in the models: stored in UTC, read back as aware datetimes.
UTCDateTime = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "client_summaries",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("sort_name", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Integer(), server_default="0", nullable=False),
        sa.Column("done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("adherence", sa.Float(), nullable=True),
        sa.Column("nothing_due", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("critical_missed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_sync", UTCDateTime, nullable=True),
        sa.Column("next_session", UTCDateTime, nullable=True),
        sa.Column("last_session", UTCDateTime, nullable=True),
        sa.Column("no_sync", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("spacing_too_short", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("needs_call", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("computed_at", UTCDateTime, nullable=True),
        sa.Column("refresh_after", UTCDateTime, nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_summaries_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_client_summaries_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_summaries")),
    )
    with op.batch_alter_table("client_summaries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_summaries_by_need",
            [
                "clinic_id",
                sa.column("needs_call").desc(),
                sa.column("critical_missed").desc(),
                "nothing_due",
                "adherence",
                "sort_name",
                "client_id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_client_summaries_refresh_after", ["clinic_id", "refresh_after"], unique=False
        )
        batch_op.create_index(
            "ix_client_summaries_computed_at", ["clinic_id", "computed_at"], unique=False
        )
    # One stale row per client: the first read of a clinic's list computes them
    # (client_list.refresh), with the same query that keeps them current afterwards.
    op.execute(
        "INSERT INTO client_summaries (client_id, clinic_id, sort_name) "
        "SELECT id, clinic_id, lower(name) FROM clients"
    )


def downgrade():
    with op.batch_alter_table("client_summaries", schema=None) as batch_op:
        batch_op.drop_index("ix_client_summaries_computed_at")
        batch_op.drop_index("ix_client_summaries_refresh_after")
        batch_op.drop_index("ix_client_summaries_by_need")
    op.drop_table("client_summaries")
