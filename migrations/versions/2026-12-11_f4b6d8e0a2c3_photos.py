"""Clients' photos of the treated area, and their bytes (the database storage).

Revision ID: f4b6d8e0a2c3
Revises: e3a5c7e9f1b2
Create Date: 2026-12-11 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f4b6d8e0a2c3"
down_revision = "e3a5c7e9f1b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.String(length=36), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("day_after_session", sa.Integer(), nullable=True),
        sa.Column("upload_sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_photos_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_photos_session_id_treatment_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("photo_id", name=op.f("uq_photos_photo_id")),
    )
    op.create_index(op.f("ix_photos_client_id"), "photos", ["client_id"], unique=False)
    op.create_table(
        "photo_blobs",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_photo_blobs")),
    )


def downgrade():
    op.drop_table("photo_blobs")
    op.drop_index(op.f("ix_photos_client_id"), table_name="photos")
    op.drop_table("photos")
