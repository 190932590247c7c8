"""`flask serve`: the app and its reminders from one command, as the README's run command."""

from __future__ import annotations

import signal
import socket
import urllib.request
from datetime import UTC, datetime, timedelta

from tests.support.push_service import PushService
from tests.support.subscribers import keep_only, reminder_rows, subscribe_many

from .conftest import MORNING, SESSION
from .test_crash import flask, move_due, wait_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_serve_answers_pages_and_sends_a_due_reminder_then_stops_on_ctrl_c(app, database_url, now):
    with PushService() as service:
        [subscription] = subscribe_many(app, service, now, SESSION, people=1, each=1)
        keep_only(app, MORNING)
        # The worker reads the wall clock: the reminder is due by it.
        [person] = {row["client_id"] for row in reminder_rows(app)}
        move_due(app, [person], datetime.now(UTC) - timedelta(minutes=1))
        port = free_port()
        process = flask(
            database_url, service.origin, "serve", "--port", str(port), "--interval", "0.2"
        )
        try:
            # Generous limits: the process has to start up, on a busy machine too.
            wait_for(lambda: answers(f"http://127.0.0.1:{port}/healthz"), "the web server", 60)
            sent = lambda: [row["state"] for row in reminder_rows(app)] == ["sent"]  # noqa: E731
            wait_for(sent, "the reminder sent", 60)
            assert [message.subscription_id for message in service.log] == [subscription.id]
            process.send_signal(signal.SIGINT)  # Ctrl-C
            out, err = process.communicate(timeout=30)
        finally:
            process.kill()
            process.communicate()
        assert process.returncode == 0, err.decode()
        assert out.decode().splitlines()[-1] == "stopped"
