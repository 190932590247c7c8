"""Everything the database holds, to show that a refused request stored nothing."""

from sqlalchemy import select

from server.extensions import db


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean nothing was written."""
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables
        }
