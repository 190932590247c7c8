"""Sign-in is rate limited per account and per address: 429 with Retry-After, in the envelope."""

from server import rate_limits
from tests.support.clinics import PASSWORD, SESSION_URL

ACCOUNT_LIMIT = rate_limits.allowance(rate_limits.SIGN_IN_PER_ACCOUNT)
ADDRESS_LIMIT = rate_limits.allowance(rate_limits.SIGN_IN_PER_ADDRESS)


def fail(browser, email, times):
    return [
        browser.post(SESSION_URL, json={"email": email, "password": "wrong"}).status_code
        for _ in range(times)
    ]


def test_too_many_failures_for_one_account_are_refused_with_retry_after(world, browser):
    guesser = browser()
    guesser.refresh_token()
    assert set(fail(guesser, world.a.clinician, ACCOUNT_LIMIT)) == {401}
    response = guesser.post(SESSION_URL, json={"email": world.a.clinician, "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    # Another account from the same address is not locked out by it.
    assert browser().sign_in(world.a.admin).status_code == 200


def test_too_many_failures_from_one_address_are_refused(world, browser):
    guesser = browser()
    guesser.refresh_token()
    for number in range(ADDRESS_LIMIT):
        assert fail(guesser, f"nobody{number}@a.test", 1) == [401]
    response = guesser.post(SESSION_URL, json={"email": world.a.admin, "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_successful_sign_ins_are_not_counted(world, browser):
    for _ in range(ACCOUNT_LIMIT + 2):
        assert browser().sign_in(world.a.clinician).status_code == 200
