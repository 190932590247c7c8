"""No device token, enrollment code, password or health data in any log record."""

import logging
import runpy
import threading
import urllib.request
from datetime import timedelta
from types import SimpleNamespace

from gunicorn import glogging
from gunicorn.config import Config
from sqlalchemy import text
from werkzeug.serving import WSGIRequestHandler, make_server

from server import rate_limits
from server.config import REPO_DIR
from server.extensions import db
from tests.support.clinics import PASSWORD, SESSION_URL
from tests.support.phones import tick

ENROLL, SYNC = "/api/v1/enroll", "/api/v1/me/sync"
TYPED_INTO_EMAIL = "my-password-typed-in-the-wrong-box"


def everything_logged(caplog) -> str:
    """Messages, their arguments and tracebacks, as any handler could write them."""
    records = "\n".join(f"{r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records)
    return caplog.text + records


def test_enrolling_syncing_and_signing_in_log_no_secrets(client, world, browser, enrolled, caplog):
    caplog.set_level(logging.DEBUG)  # as LOG_LEVEL=DEBUG does: everything the app says
    answer = client.post(ENROLL, json={"code": enrolled.code})
    token = answer.get_json()["token"]
    phone = {"Authorization": f"Bearer {token}"}
    events = [tick(o) for o in enrolled.occurrences[:3]] + [tick("not-an-occurrence")]
    assert client.post(SYNC, json={"events": events}, headers=phone).status_code == 200
    assert client.post(ENROLL, json={"code": enrolled.code}).status_code == 400  # used: refused
    assert client.get("/api/v1/me", headers=enrolled.phone).status_code == 200

    assert browser().sign_in(world.a.clinician).status_code == 200
    # Someone types their password into the email box until the limit stops them, which logs
    # the limit's key.
    guesser = browser()
    guesser.refresh_token()
    body = {"email": TYPED_INTO_EMAIL, "password": "x"}
    guesses = rate_limits.allowance(rate_limits.SIGN_IN_PER_ACCOUNT_AND_ADDRESS) + 1
    statuses = {guesser.post(SESSION_URL, json=body).status_code for _ in range(guesses)}
    assert 429 in statuses
    assert "sign-in limit" in caplog.text  # the limit did log, so its key was put to the test

    logged = everything_logged(caplog)
    secrets = [enrolled.code, token, enrolled.phone["Authorization"].split()[1], PASSWORD]
    secrets += [TYPED_INTO_EMAIL, *enrolled.occurrences[:3], *(e["id"] for e in events)]
    for secret in secrets:
        assert secret not in logged


def test_a_failed_statement_logs_no_parameters(app, client, enrolled, caplog, monkeypatch):
    """A crash mid-sync is logged with its traceback, but not with the events it carried."""
    import server.api.me as me

    def crash(device, events, *args):
        payload = f"{events[0].id} {events[0].occurrence}"
        db.session.execute(
            text("INSERT INTO no_such_table VALUES (:payload)"), {"payload": payload}
        )

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(me, "sync", crash)
    caplog.set_level(logging.DEBUG)
    event = tick(enrolled.occurrences[0])
    response = client.post(SYNC, json={"events": [event]}, headers=enrolled.phone)
    assert response.status_code == 500
    logged = everything_logged(caplog)
    assert "no_such_table" in logged  # the failure itself is there, to be fixed
    assert event["id"] not in logged and enrolled.occurrences[0] not in logged


def test_gunicorn_logs_each_request_without_its_query_or_referer():
    settings = runpy.run_path(str(REPO_DIR / "gunicorn.conf.py"))
    config = Config()
    for name in ("accesslog", "access_log_format"):
        config.set(name, settings[name])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/clinic/clients?q=Sam+Secretname",
        "PATH_INFO": "/api/v1/clinic/clients",
        "QUERY_STRING": "q=Sam+Secretname",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": "https://aftercue.example/clinic/clients?q=Sam+Secretname",
        "HTTP_AUTHORIZATION": "Bearer device-token-secret",
    }
    request = SimpleNamespace(headers=[("AUTHORIZATION", "Bearer device-token-secret")])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    atoms = glogging.Logger(config).atoms(response, request, environ, timedelta(milliseconds=7))
    line = config.access_log_format % glogging.SafeAtoms(atoms)
    assert config.accesslog == "-"
    assert '"GET /api/v1/clinic/clients HTTP/1.1" 200 512 7ms' in line
    assert "Secretname" not in line and "device-token-secret" not in line


def test_the_development_server_logs_no_query_string(app, client, caplog):
    # werkzeug's own request handler, as `flask run` uses it, on a real socket.
    server = make_server("127.0.0.1", 0, app, request_handler=WSGIRequestHandler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        with urllib.request.urlopen(
            f"http://127.0.0.1:{server.server_port}/healthz?q=Sam+Secret", timeout=10
        ) as response:
            assert response.status == 200
        thread.join(timeout=10)
    server.server_close()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /healthz HTTP/1.1" in logged and "Secret" not in logged
