"""One-time links to choose a new password, and temporary passwords that must be replaced.

Revision ID: a8c0d2e4f6b8
Revises: a1c3e5f7b9d2
Create Date: 2026-12-07 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# server.models.UTCDateTime in the models: stored in UTC, read back as aware datetimes.
UTCDateTime = sa.DateTime(timezone=True)

revision = "a8c0d2e4f6b8"
down_revision = "a1c3e5f7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime, nullable=True),
        sa.Column("cancelled_at", UTCDateTime, nullable=True),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinicians.id"],
            name=op.f("fk_password_resets_clinician_id_clinicians"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["clinicians.id"],
            name=op.f("fk_password_resets_issued_by_id_clinicians"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_password_resets_clinician_id"), ["clinician_id"], unique=False
        )
    # Existing accounts keep their passwords: none is taken to be temporary.
    with op.batch_alter_table("clinicians", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("clinicians", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_clinician_id"))
    op.drop_table("password_resets")
