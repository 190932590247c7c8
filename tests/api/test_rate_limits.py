"""Enrollment, sync and push-subscribe are rate limited per device and per address, the
client's export per device.

Each limit trips at the number in server/rate_limits.py with 429, the error envelope and
Retry-After; the per-device and per-address counts are independent; a forged X-Forwarded-For
counts for nothing unless a proxy is trusted.
"""

import json
import os
import subprocess
import sys
import uuid
from unittest.mock import ANY

import pytest

from server import rate_limits
from server.extensions import db
from server.models import Client
from server.phone.devices import issue_device
from server.phone.enrollment import issue_code
from tests.support.images import phone_jpeg
from tests.support.phones import KEYS, make_client, tick

ENROLL = "/api/v1/enroll"
SYNC = "/api/v1/me/sync"
SUBSCRIBE = "/api/v1/me/push-subscriptions"
EXPORT = "/api/v1/me/export"
CLINIC_WIFI, HOME, CAFE = "203.0.113.10", "198.51.100.20", "192.0.2.30"
PUSH_TEST_ORIGIN = "http://127.0.0.1:9"


def at(address: str) -> dict:
    return {"environ_overrides": {"REMOTE_ADDR": address}}


def assert_rate_limited(response, window_seconds: int) -> None:
    assert response.status_code == 429
    assert response.get_json() == {"error": {"code": "rate_limited", "message": ANY}}
    assert 0 < int(response.headers["Retry-After"]) <= window_seconds


@pytest.fixture
def new_phones(app, now, enrolled):
    """Make signed-in phones for the enrolled client: their request headers."""

    def make(count: int) -> list[dict]:
        with app.app_context():
            tokens = [issue_device(enrolled.client_id, "phone", now)[1] for _ in range(count)]
            db.session.commit()
        return [{"Authorization": f"Bearer {token}"} for token in tokens]

    return make


@pytest.fixture
def new_codes(app, now, enrolled):
    """Make unused enrollment codes for the enrolled client."""

    def make(count: int) -> list[str]:
        with app.app_context():
            client = db.session.get(Client, enrolled.client_id)
            codes = [issue_code(client, now) for _ in range(count)]
            db.session.commit()
        return codes

    return make


# --- Enrollment ---------------------------------------------------------------------------

ENROLL_LIMIT = rate_limits.allowance(rate_limits.ENROLL_FAILURES_PER_ADDRESS)


def guess(client, address: str, times: int, **request) -> list[int]:
    return [
        client.post(ENROLL, json={"code": f"guess-{n}"}, **at(address), **request).status_code
        for n in range(times)
    ]


def test_wrong_codes_from_one_address_are_refused_at_the_limit(client, enrolled):
    assert guess(client, CAFE, ENROLL_LIMIT) == [400] * ENROLL_LIMIT
    # Even the right code: the guesser cannot tell a hit from a miss any more.
    assert_rate_limited(client.post(ENROLL, json={"code": enrolled.code}, **at(CAFE)), 15 * 60)
    # The refusal used nothing up: the code still works from the client's own address.
    assert client.post(ENROLL, json={"code": enrolled.code}, **at(HOME)).status_code == 201


def test_every_refused_enrollment_counts_whatever_its_status(client, enrolled):
    # Bad JSON (400), a body the schema refuses (422) or JSON nested past reading (400): each
    # is a try, like a wrong code.
    bodies = [{"data": "[" * 5000 + "]" * 5000}, {"data": '{"code": ""}'}, {"data": "{"}]
    statuses = [
        client.post(
            ENROLL, content_type="application/json", **bodies[n % 3], **at(CAFE)
        ).status_code
        for n in range(ENROLL_LIMIT)
    ]
    assert set(statuses) == {400, 422}
    assert_rate_limited(client.post(ENROLL, json={"code": enrolled.code}, **at(CAFE)), 15 * 60)


def test_successful_enrollments_are_not_counted(client, new_codes):
    # A clinic enrolling a waiting room full of clients on its Wi-Fi.
    for code in new_codes(ENROLL_LIMIT + 5):
        assert client.post(ENROLL, json={"code": code}, **at(CLINIC_WIFI)).status_code == 201


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(client, enrolled):
    guess(client, CAFE, ENROLL_LIMIT)
    forged = {"headers": {"X-Forwarded-For": "192.0.2.99"}}
    response = client.post(ENROLL, json={"code": enrolled.code}, **at(CAFE), **forged)
    assert_rate_limited(response, 15 * 60)


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(make_app, enrolled):
    proxied = make_app(TRUSTED_PROXIES="1").test_client()
    proxy = "10.0.0.2"

    def via_proxy(address):
        return {"headers": {"X-Forwarded-For": address}}

    assert set(guess(proxied, proxy, ENROLL_LIMIT, **via_proxy(CAFE))) == {400}
    cafe = proxied.post(ENROLL, json={"code": enrolled.code}, **at(proxy), **via_proxy(CAFE))
    assert_rate_limited(cafe, 15 * 60)
    home = proxied.post(ENROLL, json={"code": enrolled.code}, **at(proxy), **via_proxy(HOME))
    assert home.status_code == 201


# --- Sync and push-subscribe: per device and per address -----------------------------------

ROUTES = {
    "sync": (SYNC, rate_limits.SYNC_PER_DEVICE, rate_limits.SYNC_PER_ADDRESS, 200, 10 * 60),
    "push-subscribe": (
        SUBSCRIBE,
        rate_limits.PUSH_SUBSCRIBE_PER_DEVICE,
        rate_limits.PUSH_SUBSCRIBE_PER_ADDRESS,
        201,
        60 * 60,
    ),
}


def body_for(url: str) -> dict:
    if url == SYNC:
        return {"events": []}
    return {"endpoint": f"{PUSH_TEST_ORIGIN}/push/limits", "keys": KEYS}


@pytest.fixture
def send(app, client):
    app.config["PUSH_EXTRA_ORIGINS"] = (PUSH_TEST_ORIGIN,)

    def post(url: str, phone: dict, address: str):
        return client.post(url, json=body_for(url), headers=phone, **at(address))

    return post


@pytest.mark.parametrize("route", ROUTES)
def test_one_device_is_limited_wherever_it_is(send, enrolled, route):
    url, per_device, _, ok, window = ROUTES[route]
    allowed = rate_limits.allowance(per_device)
    # One phone on two addresses: home Wi-Fi, then the clinic's.
    statuses = [
        send(url, enrolled.phone, (HOME, CLINIC_WIFI)[n % 2]).status_code for n in range(allowed)
    ]
    assert statuses == [ok] * allowed
    assert_rate_limited(send(url, enrolled.phone, HOME), window)
    assert_rate_limited(
        send(url, enrolled.phone, CAFE), window
    )  # a third address: still this phone
    # Two devices on one address: the client's tablet is not held back by the phone.
    assert send(url, enrolled.tablet, HOME).status_code == ok


@pytest.mark.parametrize("route", ROUTES)
def test_one_address_is_limited_across_devices(send, new_phones, route):
    url, per_device, per_address, ok, window = ROUTES[route]
    each, allowed = rate_limits.allowance(per_device), rate_limits.allowance(per_address)
    assert allowed % each == 0 and allowed > each  # looser per address than per device
    crowd = new_phones(allowed // each)
    for phone in crowd:
        assert {send(url, phone, CLINIC_WIFI).status_code for _ in range(each)} == {ok}
    latecomer = new_phones(1)[0]
    assert_rate_limited(send(url, latecomer, CLINIC_WIFI), window)
    # The same phone elsewhere is fine: it has used none of its own allowance.
    assert send(url, latecomer, HOME).status_code == ok


# --- The client's export: per device ------------------------------------------------------


def test_a_device_s_exports_are_limited_and_another_device_s_are_not(client, new_phones):
    phone, tablet = new_phones(2)
    limit = rate_limits.allowance(rate_limits.EXPORT_PER_DEVICE)
    exports = [client.get(EXPORT, headers=phone, **at(HOME)) for _ in range(limit)]
    assert [response.status_code for response in exports] == [200] * limit
    assert_rate_limited(client.get(EXPORT, headers=phone, **at(CAFE)), 60 * 60)
    assert client.get(EXPORT, headers=tablet, **at(HOME)).status_code == 200


# --- Photos: per device -------------------------------------------------------------------


def test_a_device_s_photo_uploads_are_limited_and_another_device_s_are_not(client, new_phones):
    phone, tablet = new_phones(2)
    limit = rate_limits.allowance(rate_limits.PHOTOS_PER_DEVICE)
    photo = phone_jpeg(32, 24)

    def upload(headers, address):
        return client.put(
            f"/api/v1/me/photos/{uuid.uuid4()}",
            query_string={"taken_at": "2026-03-20T09:15:00+00:00"},
            data=photo,
            headers={**headers, "Content-Type": "image/jpeg"},
            **at(address),
        )

    assert {upload(phone, HOME).status_code for _ in range(limit)} == {201}
    assert_rate_limited(upload(phone, CAFE), 60 * 60)
    assert upload(tablet, HOME).status_code == 201


# --- Normal use never meets a limit --------------------------------------------------------


def test_a_busy_morning_at_the_clinic_meets_no_limit(app, client, send, now):
    """Eight clients on the clinic's Wi-Fi enroll, open and reopen the app, tick 20 tasks each."""
    statuses = []
    for number in range(8):
        person = make_client(app, now, f"Clinic {number}")
        enrolling = client.post(ENROLL, json={"code": person.code}, **at(CLINIC_WIFI))
        statuses.append(enrolling.status_code)
        # Opening the link again later, by mistake: refused, and counted, but rare.
        statuses.append(
            client.post(ENROLL, json={"code": person.code}, **at(CLINIC_WIFI)).status_code
        )
        phone = {"Authorization": f"Bearer {enrolling.get_json()['token']}"}
        for _ in range(6):  # the first start, then five more
            statuses.append(send(SUBSCRIBE, phone, CLINIC_WIFI).status_code)
            statuses.append(send(SYNC, phone, CLINIC_WIFI).status_code)
        for occurrence in person.occurrences[:20]:  # the app syncs after every tick
            response = client.post(
                SYNC, json={"events": [tick(occurrence)]}, headers=phone, **at(CLINIC_WIFI)
            )
            statuses.append(response.status_code)
    assert 429 not in statuses
    assert statuses.count(400) == 8


# --- Several processes: Redis makes them share one count -----------------------------------

# Another worker process: its own app and its own memory, on the same database.
WORKER = """
import json, sys
from server import create_app
client = create_app({"TESTING": True}).test_client()
address, times = sys.argv[1], int(sys.argv[2])
statuses = [
    client.post("/api/v1/enroll", json={"code": f"worker-{n}"},
                environ_overrides={"REMOTE_ADDR": address}).status_code
    for n in range(times)
]
print(json.dumps(statuses))
"""


def guess_in_another_process(app, tmp_path, address: str, times: int, **environ) -> list[int]:
    return in_another_process(app, tmp_path, WORKER, [address, str(times)], **environ)


def in_another_process(app, tmp_path, code: str, args: list[str], **environ) -> list[int]:
    """Run `code` in a new process on the app's database; the statuses it prints."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": "",
        **environ,
    }
    script = tmp_path / "worker.py"
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_with_redis_two_processes_share_one_count(app, make_app, enrolled, redis_url, tmp_path):
    first = ENROLL_LIMIT // 2
    there = guess_in_another_process(app, tmp_path, CAFE, first, REDIS_URL=redis_url)
    assert there == [400] * first
    here = make_app(REDIS_URL=redis_url).test_client()
    assert guess(here, CAFE, ENROLL_LIMIT - first) == [400] * (ENROLL_LIMIT - first)
    assert_rate_limited(here.post(ENROLL, json={"code": enrolled.code}, **at(CAFE)), 15 * 60)
    assert guess_in_another_process(app, tmp_path, CAFE, 1, REDIS_URL=redis_url) == [429]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_in_memory_each_process_counts_alone(app, client, enrolled, tmp_path):
    """Why several workers need REDIS_URL: without it each allows the whole limit again."""
    there = guess_in_another_process(app, tmp_path, CAFE, ENROLL_LIMIT)
    assert there == [400] * ENROLL_LIMIT
    assert guess(client, CAFE, ENROLL_LIMIT) == [400] * ENROLL_LIMIT  # twice the limit in all
    assert_rate_limited(client.post(ENROLL, json={"code": enrolled.code}, **at(CAFE)), 15 * 60)


def test_rate_limits_off_lets_a_load_test_through(make_app, enrolled):
    # RATE_LIMITS=off is for load tests and benchmarks (README, Configuration).
    unlimited = make_app(RATE_LIMITS="off")
    unlimited.config["PUSH_EXTRA_ORIGINS"] = (PUSH_TEST_ORIGIN,)
    client = unlimited.test_client()
    url, per_device, *_ = ROUTES["sync"]
    statuses = {
        client.post(url, json=body_for(url), headers=enrolled.phone, **at(HOME)).status_code
        for _ in range(rate_limits.allowance(per_device) + 5)
    }
    assert statuses == {200}


# A worker process while Redis is down: one sync, then enrollment guesses, from one address.
REDIS_DOWN = """
import json, sys
from server import create_app
client = create_app({"TESTING": True}).test_client()
phone, address, times = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
at = {"REMOTE_ADDR": address}
statuses = [client.post("/api/v1/me/sync", json={"events": []}, headers=phone,
                        environ_overrides=at).status_code]
statuses += [
    client.post("/api/v1/enroll", json={"code": f"down-{n}"}, environ_overrides=at).status_code
    for n in range(times)
]
print(json.dumps(statuses))
"""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_with_redis_down_limits_are_counted_in_memory_and_requests_go_through(
    app, enrolled, tmp_path
):
    # Nothing listens on port 1: every call to Redis fails at once, as in an outage. A phone's
    # sync must still be stored, and the limits still hold, each process counting alone. In a
    # process of its own: the limiter is one per process and would stay in its fallback mode.
    args = [json.dumps(enrolled.phone), CAFE, str(ENROLL_LIMIT + 1)]
    statuses = in_another_process(
        app, tmp_path, REDIS_DOWN, args, REDIS_URL="redis://127.0.0.1:1/0"
    )
    assert statuses == [200] + [400] * ENROLL_LIMIT + [429]
