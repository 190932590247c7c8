"""A clinic's time zone, for its audit log and CSV exports.

Revision ID: b9d1e3f5a7c9
Revises: a8b2c4d6e8f0
Create Date: 2026-12-08 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b9d1e3f5a7c9"
down_revision = "a8b2c4d6e8f0"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "clinics", sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False)
    )
    # A clinic that already has clients most likely sits where most of them live: a better
    # first guess than UTC (an admin can change it in the dashboard's settings).
    op.execute(
        """
        UPDATE clinics SET timezone = (
            SELECT clients.timezone FROM clients WHERE clients.clinic_id = clinics.id
            GROUP BY clients.timezone ORDER BY count(*) DESC, clients.timezone LIMIT 1
        )
        WHERE EXISTS (SELECT 1 FROM clients WHERE clients.clinic_id = clinics.id)
        """
    )


def downgrade():
    # Not a batch: SQLite (3.35 and later) drops the column in place, where a batch would copy
    # and drop the clinics table, which every clinician and client row refers to.
    op.drop_column("clinics", "timezone")
