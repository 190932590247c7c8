"""Sign-in is throttled atomically, and cannot be used to lock a person out (rate_limits.py).

Every attempt is counted before its password is checked (a successful one gives its try back):
per account and address strictly, per address across accounts, and per account from
anywhere, except for a browser that signed in to that account before.
"""

import json
import os
import subprocess
import sys
import threading

import pytest

from server import rate_limits
from server.models import Clinician
from tests.support.clinics import PASSWORD, SESSION_URL

PER_ACCOUNT_AND_ADDRESS = rate_limits.allowance(rate_limits.SIGN_IN_PER_ACCOUNT_AND_ADDRESS)
PER_ACCOUNT = rate_limits.allowance(rate_limits.SIGN_IN_PER_ACCOUNT)
PER_ADDRESS = rate_limits.allowance(rate_limits.SIGN_IN_PER_ADDRESS)
HOME, CAFE = "198.51.100.10", "203.0.113.7"


def attempt(browser, email, password="wrong", address=HOME):
    response = browser.post(
        SESSION_URL,
        json={"email": email, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )
    if response.status_code == 200:  # signing in gives the browser a new CSRF token
        browser.csrf_token = response.get_json()["csrf_token"]
    response.close()
    return response


def fail(browser, email, times, address=HOME) -> list[int]:
    return [attempt(browser, email, address=address).status_code for _ in range(times)]


def fresh(browser):
    signed = browser()
    signed.refresh_token()
    return signed


def test_too_many_tries_at_one_account_from_one_address_are_refused(world, browser):
    guesser = fresh(browser)
    assert set(fail(guesser, world.a.clinician, PER_ACCOUNT_AND_ADDRESS)) == {401}
    response = attempt(guesser, world.a.clinician, PASSWORD)  # even the right password
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    # Another account from here, and this account from elsewhere, are not held back.
    assert attempt(fresh(browser), world.a.admin, PASSWORD).status_code == 200
    assert attempt(fresh(browser), world.a.clinician, PASSWORD, CAFE).status_code == 200


def test_too_many_tries_from_one_address_are_refused(world, browser):
    guesser = fresh(browser)
    for number in range(PER_ADDRESS):
        assert fail(guesser, f"nobody{number}@a.test", 1) == [401]
    assert attempt(fresh(browser), world.a.admin, PASSWORD).status_code == 429


def test_a_guesser_elsewhere_cannot_lock_out_a_browser_that_signed_in_before(world, browser):
    person = fresh(browser)
    assert attempt(person, world.a.clinician, PASSWORD).status_code == 200  # known from now
    # Guesses at the account from many addresses, each below its own limit.
    for number in range(PER_ACCOUNT):
        address = f"192.0.2.{number + 1}"
        assert fail(fresh(browser), world.a.clinician, 1, address) == [401]
    # A new browser must wait; the person's own browser, anywhere, signs in.
    assert attempt(fresh(browser), world.a.clinician, PASSWORD, CAFE).status_code == 429
    assert attempt(person, world.a.clinician, PASSWORD, CAFE).status_code == 200


def test_a_known_browser_is_known_to_its_own_account_only(world, browser):
    person = fresh(browser)
    assert attempt(person, world.a.clinician, PASSWORD).status_code == 200
    for number in range(PER_ACCOUNT):
        fail(fresh(browser), world.a.admin, 1, f"192.0.2.{number + 1}")
    assert attempt(person, world.a.admin, PASSWORD, CAFE).status_code == 429


def test_successful_sign_ins_give_their_try_back(world, browser):
    for _ in range(PER_ACCOUNT + 2):
        assert attempt(fresh(browser), world.a.clinician, PASSWORD).status_code == 200


def test_a_refused_request_costs_a_try(world, browser):
    guesser = fresh(browser)
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        response = guesser.post(
            SESSION_URL,
            json={"email": world.a.clinician, "password": ""},  # refused by the schema: 422
            environ_overrides={"REMOTE_ADDR": HOME},
        )
        assert response.status_code == 422
    assert attempt(guesser, world.a.clinician, PASSWORD).status_code == 429


def counted_checks(monkeypatch) -> list[int]:
    """Every password check made, counted across threads."""
    checks: list[int] = []
    real = Clinician.check_password

    def check(self, password):
        checks.append(1)
        return real(self, password)

    monkeypatch.setattr(Clinician, "check_password", check)
    return checks


def guess_at_once(app, email, times) -> list[int]:
    statuses: list[int] = []
    start = threading.Barrier(times)

    def one():
        browser = app.test_client()
        token = browser.get(SESSION_URL).get_json()["csrf_token"]
        start.wait()
        response = browser.post(
            SESSION_URL,
            json={"email": email, "password": "wrong"},
            headers={"X-CSRFToken": token},
            environ_overrides={"REMOTE_ADDR": HOME},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=one) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_parallel_guesses_check_no_more_passwords_than_the_limit(app, world, monkeypatch):
    checks = counted_checks(monkeypatch)
    statuses = guess_at_once(app, world.a.clinician, 24)
    assert sorted(set(statuses)) == [401, 429]
    assert len(checks) == statuses.count(401) == PER_ACCOUNT_AND_ADDRESS


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_parallel_guesses_in_processes_sharing_redis_check_no_more_than_the_limit(
    app, world, redis_url, tmp_path
):
    # Three worker processes, eight guesses each at once, one count in Redis.
    script = tmp_path / "guesser.py"
    script.write_text(GUESSER)
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url}
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), world.a.clinician, "8"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for _ in range(3)
    ]
    results = [json.loads(process.communicate(timeout=120)[0]) for process in processes]
    statuses = [status for result in results for status in result["statuses"]]
    assert sum(result["checks"] for result in results) == PER_ACCOUNT_AND_ADDRESS
    assert statuses.count(401) == PER_ACCOUNT_AND_ADDRESS and statuses.count(429) == 14


GUESSER = """
import json, sys, threading
from server import create_app
from server.models import Clinician
app = create_app({"TESTING": True})
checks = []
real = Clinician.check_password
def check(self, password):
    checks.append(1)
    return real(self, password)
Clinician.check_password = check
email, times = sys.argv[1], int(sys.argv[2])
statuses, start = [], threading.Barrier(times)
def one():
    browser = app.test_client()
    token = browser.get("/api/v1/clinic/session").get_json()["csrf_token"]
    start.wait()
    response = browser.post("/api/v1/clinic/session", json={"email": email, "password": "x"},
                            headers={"X-CSRFToken": token},
                            environ_overrides={"REMOTE_ADDR": "198.51.100.10"})
    statuses.append(response.status_code)
threads = [threading.Thread(target=one) for _ in range(times)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps({"statuses": statuses, "checks": len(checks)}))
"""
