"""Clinics, clinicians, clients, sessions, enrollment codes.

Revision ID: 9edcdce1e284
Revises:
Create Date: 2026-11-23 16:51:55.948110

"""

import sqlalchemy as sa
from alembic import op

revision = "9edcdce1e284"
down_revision = None
branch_labels = None
depends_on = None

# server.models.UTCDateTime in the models: stored in UTC, read back as aware datetimes.
UTCDateTime = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "clinics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinics")),
    )

    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clinicians_clinic_id_clinics")
        ),
        sa.UniqueConstraint("email", name=op.f("uq_clinicians_email")),
        sa.CheckConstraint("role IN ('admin', 'clinician')", name=op.f("ck_clinicians_role")),
    )
    op.create_index(op.f("ix_clinicians_clinic_id"), "clinicians", ["clinic_id"])

    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("protocol_id", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("wake_time", sa.Time(), nullable=False),
        sa.Column("bed_time", sa.Time(), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clients_clinic_id_clinics")
        ),
    )
    op.create_index(op.f("ix_clients_clinic_id"), "clients", ["clinic_id"])

    op.create_table(
        "treatment_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime, nullable=False),
        sa.Column("ends_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_sessions")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_treatment_sessions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_treatment_sessions_ends_after_start")
        ),
    )
    op.create_index(op.f("ix_treatment_sessions_client_id"), "treatment_sessions", ["client_id"])

    op.create_table(
        "enrollment_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_codes")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_enrollment_codes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("code_hash", name=op.f("uq_enrollment_codes_code_hash")),
    )
    op.create_index(op.f("ix_enrollment_codes_client_id"), "enrollment_codes", ["client_id"])


def downgrade():
    # Dropping a table drops its indexes too.
    op.drop_table("enrollment_codes")
    op.drop_table("treatment_sessions")
    op.drop_table("clients")
    op.drop_table("clinicians")
    op.drop_table("clinics")
