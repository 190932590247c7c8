"""INSERT ... ON CONFLICT, spelled for whichever database the session is on."""

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db


def insert(model):
    """An INSERT into `model` that offers on_conflict_do_nothing and on_conflict_do_update."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)
