"""A client's language: their plan's texts come from their protocol's translation into it.

Revision ID: e3a5c7d9f1b2
Revises: d2f4a6b8c0e1
Create Date: 2026-12-10 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e3a5c7d9f1b2"
down_revision = "d2f4a6b8c0e1"
branch_labels = None
depends_on = None


def upgrade():
    # Null for everyone so far: their protocol's own language, as their plans are now.
    op.add_column("clients", sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    # Not a batch: SQLite (3.35 and later) drops the column in place.
    op.drop_column("clients", "language")
