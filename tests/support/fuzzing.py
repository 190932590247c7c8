"""Schemathesis against the app's own /api/openapi.json, in-process, as every kind of caller.

Beside the generated requests, a corpus of shapes that once caused 500s (ATTACK_SHAPE_LIST) is
put in every place of one valid body of each operation, and also mixed into generated ones.

Each operation is called with the credentials its role needs: the client's device token for
/api/v1/me, a signed-in clinician's (or admin's) cookie and CSRF token for /api/v1/clinic, and
nothing for the public routes. Path ids point at real rows half the time (the rest are made up,
so 404s are exercised too). Every response must be a non-5xx with a documented status code,
content type and body. Shared by tests/api/test_fuzz.py (a short, seeded run) and bench/fuzz.py.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from server.domain.sync import encode_cursor
from server.extensions import db, limiter
from server.models import TreatmentSession
from server.phone.devices import issue_device
from tests.support.bodies import bodies
from tests.support.clinics import PASSWORD, Browser, ClinicData, add_client
from tests.support.factories import sent_reminder

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Calls that end the credentials they were made with; the caller signs in again after them.
SIGNS_DEVICE_OUT = {"DELETE /api/v1/me/device", "POST /api/v1/clinic/clients/{}/devices/{}/revoke"}
SIGNS_CLINICIAN_OUT = {"DELETE /api/v1/clinic/session"}
# Values that pass the checks a schema cannot express (a protocol that exists, a real zone):
# half the positive cases get them, so the fuzzer gets past validation into the use cases.
KNOWN_VALUES = {
    "protocol_id": st.sampled_from(["scalp-nation", "seven-derma"]),
    "timezone": st.sampled_from(["Europe/London", "Asia/Kathmandu", "America/St_Johns", "UTC"]),
    "answers": st.sampled_from([{}, {"hair_length": "shaved"}, {"hair_length": "long"}]),
    "language": st.sampled_from([None, "en", "ar", "es"]),
}
# Shapes an attack run found answered with a 500 (issue 13), put into any field of a body
# the fuzzer made: whatever field one lands in, the answer must be a documented 4xx or a 2xx.
CENTURY = [
    {"start": "2000-01-03T10:00:00Z", "end": "2000-01-03T14:00:00Z"},
    {"start": "2099-12-01T10:00:00Z", "end": "2099-12-01T14:00:00Z"},
]
ATTACK_SHAPE_LIST = [
    # (A lone surrogate, "\ud800", cannot pass schemathesis's encoder: tests/api/test_bad_input.py)
    "0001-01-01T00:30:00+01:00",  # before year 1 in UTC
    "9999-12-31T23:30:00-01:00",  # after year 9999 in UTC
    "9999-12-31T23:59",
    encode_cursor(10**20),  # beyond any sequence number
    "https://a..push.apple.com/x",  # an empty label
    "https://" + "a" * 64 + ".push.apple.com/x",  # a label over 63 characters
    10**30,
    [[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]],
    CENTURY,  # a course from 2000 to 2099
]
ATTACK_SHAPES = st.sampled_from(ATTACK_SHAPE_LIST)
# The fuzzer's own failed sign-ins are counted against its address; ours come from another.
RENEWAL_ADDRESS = "192.0.2.1"


@dataclass
class Report:
    examples: int = 0
    statuses: dict[str, Counter] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


class Callers:
    """Valid credentials for each role, renewed when a fuzzed call signs them out."""

    def __init__(self, app, clinic: ClinicData, role: str, now: datetime) -> None:
        self.app, self.clinic, self.role, self.now = app, clinic, role, now
        self.renew_device()
        self.renew_clinician()

    def renew_device(self) -> None:
        with self.app.app_context():
            _, token = issue_device(self.clinic.client_id, "fuzz", self.now)
            db.session.commit()
        self.device = {"Authorization": f"Bearer {token}"}

    def renew_clinician(self) -> None:
        test_client = self.app.test_client()
        test_client.environ_base["REMOTE_ADDR"] = RENEWAL_ADDRESS
        browser = Browser(test_client)
        email = self.clinic.admin if self.role == "admin" else self.clinic.clinician
        response = browser.sign_in(email, PASSWORD)
        assert response.status_code == 200, response.get_json()
        self.cookies = {"session": test_client.get_cookie("session").value}
        self.csrf = {"X-CSRFToken": browser.csrf_token}

    def for_path(self, path: str) -> tuple[dict, dict | None]:
        """(headers, cookies) for a call to `path`."""
        if path.startswith("/api/v1/me"):
            return self.device, None
        if path.startswith("/api/v1/clinic"):
            return self.csrf, self.cookies
        return {}, None

    def after(self, case, status: int) -> None:
        if status >= 300:
            return
        label = f"{case.operation.method.upper()} {_generic(case.operation.path)}"
        if label in SIGNS_DEVICE_OUT:
            self.renew_device()
        if label in SIGNS_CLINICIAN_OUT:
            self.renew_clinician()


def session_times(now: datetime):
    """{start, end} of a session the clinic could book: up to a year away, up to 24 hours."""
    starts = st.integers(min_value=-365 * 24, max_value=365 * 24).map(
        lambda hours: now + timedelta(hours=hours)
    )
    lengths = st.integers(min_value=1, max_value=24 * 4).map(lambda q: timedelta(minutes=15 * q))
    return st.tuples(starts, lengths).map(
        lambda times: {"start": times[0].isoformat(), "end": (times[0] + times[1]).isoformat()}
    )


def _places(body: dict) -> list[tuple[dict, str]]:
    """Where a value can go in a body: its fields, and the fields of the objects in its lists
    (a sync's events, a new client's sessions)."""
    places = [(body, key) for key in sorted(body)]
    for value in body.values():
        if isinstance(value, list):
            places += [
                (item, key) for item in value if isinstance(item, dict) for key in sorted(item)
            ]
    return places


def _generic(path: str) -> str:
    import re

    return re.sub(r"\{[a-z_]+\}", "{}", path)


def real_ids(app, clinic: ClinicData, now: datetime) -> dict:
    """Path values naming new rows: a client of `clinic`, its future session and device, and a
    reminder for `clinic`'s own client.

    New for each operation, so what earlier calls did (sessions added, moved or cancelled,
    devices revoked) does not decide what later ones can reach.
    """
    client_id = add_client(app, now, clinic.clinic_id, "Fuzzed", session_days=(-3, 40))
    with app.app_context():
        session = db.session.scalars(
            select(TreatmentSession).where(
                TreatmentSession.client_id == client_id, TreatmentSession.starts_at > now
            )
        ).one()
        device, _ = issue_device(client_id, "spare", now)
        # The reminder is the signed-in phone's client's, so that phone may snooze it.
        phone, _ = issue_device(clinic.client_id, "spare", now)
        db.session.flush()
        reminder = sent_reminder(phone, clinic.client_id, now, "fuzz")
        db.session.commit()
        return {
            "client_id": client_id,
            "session_id": session.id,
            "device_id": device.id,
            "reminder_id": reminder.id,
            "protocol_id": "scalp-nation",
        }


def run(
    app,
    clinic: ClinicData,
    now: datetime,
    *,
    roles=("clinician", "admin"),
    max_examples: int = 10,
    modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
    attacks: bool = True,
) -> Report:
    """Fuzz every operation as each role, in each generation mode; collect what went wrong."""
    # Credentials are ours to send (valid ones); the authorization table tests missing ones.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)
    report = Report()
    for role in roles:
        callers = Callers(app, clinic, role, now)
        for result in schema.get_all_operations():
            operation = result.ok()
            if role != roles[0] and not operation.path.startswith("/api/v1/clinic"):
                continue  # only the clinic's routes differ between roles
            for mode in modes:
                label = f"{operation.method.upper()} {operation.path} ({mode.value}, {role})"
                ids = real_ids(app, clinic, now)  # new ones: earlier calls used some up
                _fuzz(operation, mode, ids, callers, max_examples, label, report, now)
            if attacks and any(body.media_type == "application/json" for body in operation.body):
                label = f"{operation.method.upper()} {operation.path} (attack shapes, {role})"
                _attack(operation, real_ids(app, clinic, now), callers, label, report, now)
    return report


def _send(case, callers: Callers, statuses: Counter, report: Report) -> None:
    """Call the case as its role, count the answer, check it is as documented."""
    headers, cookies = callers.for_path(case.operation.path)
    # Schemathesis asks for gzip but its WSGI client leaves the body compressed: ask for it
    # plain (tests/test_compression.py checks the compressed answers).
    headers = {**headers, "Accept-Encoding": "identity"}
    response = case.call(headers=headers, cookies=cookies)
    statuses[response.status_code] += 1
    report.examples += 1
    callers.after(case, response.status_code)
    case.validate_response(response, checks=CHECKS, headers=headers)


def _attack(operation, ids, callers, label, report, now) -> None:
    """Every attack shape in every place of a valid body (support/bodies.py): the corpus,
    sent in full."""
    rows = SimpleNamespace(
        client_id=ids["client_id"], future_session_id=ids["session_id"], device_id=ids["device_id"]
    )
    valid = bodies(None, now, rows)[f"{operation.method.upper()} {operation.path}"][2]
    known = {name: ids[name] for name in ids if "{" + name + "}" in operation.path}
    statuses = report.statuses.setdefault(label, Counter())
    # Hundreds of requests from one device and address: limits would answer most of them.
    enabled, limiter.enabled = limiter.enabled, False
    try:
        for index in range(len(_places(valid))):
            for shape in ATTACK_SHAPE_LIST:
                body = copy.deepcopy(valid)
                container, key = _places(body)[index]
                container[key] = copy.deepcopy(shape)
                case = operation.Case(
                    body=body, path_parameters=known, media_type="application/json"
                )
                _send(case, callers, statuses, report)
    except (Exception, BaseExceptionGroup) as error:
        report.failures[label] = f"{key} = {shape!r}: {error}"
    finally:
        limiter.enabled = enabled


def _fuzz(operation, mode, ids, callers, max_examples, label, report, now) -> None:
    known = {name: ids[name] for name in ids if "{" + name + "}" in operation.path}
    strategy = operation.as_strategy(generation_mode=mode)
    if known:
        real = operation.as_strategy(generation_mode=mode, path_parameters=known)
        strategy = st.one_of(real, strategy)
    statuses = report.statuses.setdefault(label, Counter())

    @given(case=strategy, data=st.data())
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    def check(case, data):
        if mode.is_positive and isinstance(case.body, dict) and data.draw(st.integers(0, 3)):
            for name in KNOWN_VALUES.keys() & case.body.keys():
                case.body[name] = data.draw(KNOWN_VALUES[name])
            if {"start", "end"} <= case.body.keys():
                case.body.update(data.draw(session_times(now)))
            if "sessions" in case.body:
                case.body["sessions"] = data.draw(st.lists(session_times(now), max_size=3))
            places = _places(case.body)
            if places and not data.draw(st.integers(0, 3)):
                container, key = data.draw(st.sampled_from(places))
                container[key] = data.draw(ATTACK_SHAPES)
        _send(case, callers, statuses, report)

    try:
        check()
    except Unsatisfiable:
        pass  # negative mode, and nothing in the operation can be made invalid
    except (Exception, BaseExceptionGroup) as error:  # shrunk by hypothesis: the smallest case
        report.failures[label] = str(error)
