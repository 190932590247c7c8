"""Aftercue: aftercare plans, reminders and adherence tracking for SMP clinics.

Nothing is imported here at the top: importing the pure engine (server.domain) must not load
Flask and the rest of the app, so create_app imports its parts when it is called.
"""

import logging
import os


def create_app(test_config=None):
    """Create the app from the environment, then `test_config` on top."""
    from flask import Flask

    from . import (
        api,
        cli,
        compression,
        config,
        dashboard,
        errors,
        extensions,
        i18n,
        models,
        security,
    )
    from .clinic import auth, summaries
    from .phone import app_shell
    from .plans import registry

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_env(app.instance_path))
    if test_config is not None:
        app.config.from_mapping(test_config)
    # A no-op when the host (pytest, say) has already configured logging.
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    extensions.init_app(app)
    compression.init_app(app)
    i18n.init_app(app)
    models.init_app(app)
    summaries.init_app(app)
    auth.init_app(app)
    registry.init_app(app)
    errors.init_app(app)
    api.init_app(app)
    app.register_blueprint(app_shell.bp)
    dashboard.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app
