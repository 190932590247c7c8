"""Enrollment links say who issued them, and when the clinic cancelled one unused.

Revision ID: d5e7f9a1b2c4
Revises: c4d2e6f8a1b3
Create Date: 2026-12-06 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d5e7f9a1b2c4"
down_revision = "c4d2e6f8a1b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollment_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_enrollment_codes_issued_by_id_clinicians"),
            "clinicians",
            ["issued_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("enrollment_codes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_enrollment_codes_issued_by_id_clinicians"), type_="foreignkey"
        )
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("issued_by_id")
