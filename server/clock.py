"""The one place views read the time; tests and simulations set app.config["CLOCK"]."""

from datetime import UTC, datetime

from flask import current_app


def now() -> datetime:
    """The current time, aware, in UTC."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock is not None else datetime.now(UTC)
