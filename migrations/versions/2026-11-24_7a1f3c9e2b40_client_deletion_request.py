"""Clients can ask, from the app, for their data to be deleted.

Revision ID: 7a1f3c9e2b40
Revises: 5d1c0e7a9b42
Create Date: 2026-11-24 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7a1f3c9e2b40"
down_revision = "5d1c0e7a9b42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deletion_requested_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("deletion_requested_at")
