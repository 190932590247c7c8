"""The dashboard's language: each clinic's default and each clinician's own choice.

Revision ID: e3a5c7e9f1b2
Revises: e3a5c7d9f1b2
Create Date: 2026-12-10 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e3a5c7e9f1b2"
down_revision = "e3a5c7d9f1b2"
branch_labels = None
depends_on = None


def upgrade():
    # English, as every page was until now: nobody's dashboard changes until someone chooses.
    op.add_column(
        "clinics", sa.Column("language", sa.String(length=16), server_default="en", nullable=False)
    )
    op.add_column("clinicians", sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    # Not a batch: SQLite drops a column in place, where a batch would copy the referenced table.
    op.drop_column("clinicians", "language")
    op.drop_column("clinics", "language")
