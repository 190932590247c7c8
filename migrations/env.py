"""Alembic environment: migrates the app's database, SQLite or PostgreSQL."""

import logging

from alembic import context
from flask import current_app

# No logging.config.fileConfig here: create_app has set up logging (LOG_LEVEL), and fileConfig
# would replace that setup, and pytest's, for the rest of the process.
logger = logging.getLogger("alembic.env")

config = context.config
db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def run_migrations_offline():
    """Emit the migrations as SQL (`flask db upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=db.metadata,
        literal_binds=True,
        render_as_batch=db.engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations against the app's database."""

    def skip_empty_revision(context, revision, directives):
        # `flask db migrate` with no model changes should not write an empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = {
        "process_revision_directives": skip_empty_revision,
        **current_app.extensions["migrate"].configure_args,
    }
    with db.engine.connect() as connection:
        # SQLite can alter little in place; batch mode copies the table instead.
        options["render_as_batch"] = connection.dialect.name == "sqlite"
        context.configure(connection=connection, target_metadata=db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
