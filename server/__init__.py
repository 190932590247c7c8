"""Aftercue: aftercare plans, reminders and adherence tracking for SMP clinics."""

import logging
import os

from flask import Flask

from . import api, cli, client_summaries, clinic, config, extensions, protocols, pwa, security


def create_app(test_config=None):
    """Create the app from the environment, then `test_config` on top."""
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
    client_summaries.init_app(app)
    protocols.init_app(app)
    api.init_app(app)
    app.register_blueprint(pwa.bp)
    clinic.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app
