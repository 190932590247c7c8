"""A clinician's email is unique within a clinic only.

Revision ID: f7a9b1c3d5e7
Revises: e6f8a2b3c4d5
Create Date: 2026-12-06 05:00:00

"""

from alembic import op

revision = "f7a9b1c3d5e7"
down_revision = "e6f8a2b3c4d5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clinicians", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_clinicians_email"), type_="unique")
        batch_op.create_unique_constraint("uq_clinicians_clinic_id_email", ["clinic_id", "email"])
        batch_op.create_index(batch_op.f("ix_clinicians_email"), ["email"], unique=False)


def downgrade():
    # Fails, as it should, once two clinics have an account with the same email.
    with op.batch_alter_table("clinicians", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinicians_email"))
        batch_op.drop_constraint("uq_clinicians_clinic_id_email", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_clinicians_email"), ["email"])
