"""An index for the call list's counts per reason: read from the index alone.

Revision ID: c1e3a5b7d9f2
Revises: b9d1e3f5a7c9
Create Date: 2026-12-08 10:00:00

"""

from alembic import op

revision = "c1e3a5b7d9f2"
down_revision = "b9d1e3f5a7c9"
branch_labels = None
depends_on = None

COLUMNS = [
    "clinic_id",
    "needs_call",
    "critical_missed",
    "before_session_missed",
    "spacing_too_short",
    "silent",
]


def upgrade():
    with op.batch_alter_table("client_summaries", schema=None) as batch_op:
        batch_op.create_index("ix_client_summaries_reasons", COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("client_summaries", schema=None) as batch_op:
        batch_op.drop_index("ix_client_summaries_reasons")
