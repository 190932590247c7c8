"""A partial index of the clients who asked to be deleted, for the dashboard's count of them.

Revision ID: c4d2e6f8a1b3
Revises: b3f1c2d4e5a6
Create Date: 2026-12-06 02:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c4d2e6f8a1b3"
down_revision = "b3f1c2d4e5a6"
branch_labels = None
depends_on = None

WHERE = sa.text("deletion_requested_at IS NOT NULL")


def upgrade():
    op.create_index(
        "ix_clients_deletion_requested",
        "clients",
        ["clinic_id"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade():
    op.drop_index("ix_clients_deletion_requested", table_name="clients")
