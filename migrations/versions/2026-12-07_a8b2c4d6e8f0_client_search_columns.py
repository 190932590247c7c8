"""Folded search columns on clients: a search ignores accents, case and phone formatting.

Revision ID: a8b2c4d6e8f0
Revises: a8c0d2e4f6b8
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

from server.domain.search import name_text, phone_digits

revision = "a8b2c4d6e8f0"
down_revision = "a8c0d2e4f6b8"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    op.add_column("clients", sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "clients", sa.Column("search_phone", sa.Text(), server_default="", nullable=False)
    )
    # Existing clients are folded as the app folds them on every write (models/client.py).
    connection = op.get_bind()
    clients = sa.table(
        "clients",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("contact", sa.Text),
        sa.column("search_text", sa.Text),
        sa.column("search_phone", sa.Text),
    )
    fill = (
        sa.update(clients)
        .where(clients.c.id == sa.bindparam("client_id"))
        .values(search_text=sa.bindparam("text"), search_phone=sa.bindparam("phone"))
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(clients.c.id, clients.c.name, clients.c.contact)
            .where(clients.c.id > after)
            .order_by(clients.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            fill,
            [
                {
                    "client_id": row.id,
                    "text": name_text(row.name, row.contact),
                    "phone": phone_digits(row.contact),
                }
                for row in rows
            ],
        )
        after = rows[-1].id


def downgrade():
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("search_phone")
        batch.drop_column("search_text")
