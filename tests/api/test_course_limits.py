"""A year typed wrong never builds a plan: sessions near today, a course of bounded span.

Refused with a field error on every way in (the API's new client, added and moved sessions
here; the dashboard's forms in tests/dashboard/test_bad_form_input.py), and nothing is stored.
"""

from datetime import timedelta

import pytest

from tests.support.clinics import CLIENTS_URL, NEW
from tests.support.stored import snapshot


def times(start, hours=4):
    return {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()}


def refused(app, request, field, *phrases):
    before = snapshot(app)
    response = request()
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields"
    message = " ".join(error["fields"][field])
    for phrase in phrases:
        assert phrase in message
    assert snapshot(app) == before, "nothing is stored"


def test_a_century_long_course_is_refused(app, world, clinician):
    # The attack run's client: one session in 2000 and one in 2099.
    sessions = [
        {"start": "2000-01-03T10:00:00Z", "end": "2000-01-03T14:00:00Z"},
        {"start": "2099-12-01T10:00:00Z", "end": "2099-12-01T14:00:00Z"},
    ]
    post = lambda: clinician.post(CLIENTS_URL, json={**NEW, "sessions": sessions})  # noqa: E731
    refused(app, post, "sessions", "check the year")


@pytest.mark.parametrize(
    ("days", "allowed"),
    [(-365, True), (-366, False), (730, True), (731, False)],
)
def test_a_new_client_s_sessions_lie_within_the_range_around_today(
    app, world, clinician, now, days, allowed
):
    body = {**NEW, "sessions": [times(now + timedelta(days=days))]}
    if allowed:
        assert clinician.post(CLIENTS_URL, json=body).status_code == 201
    else:
        refused(app, lambda: clinician.post(CLIENTS_URL, json=body), "sessions", "check the year")


def test_a_course_spans_at_most_the_longest_course(app, world, clinician, now):
    first, last = now - timedelta(days=300), now + timedelta(days=431)  # 731 days apart
    body = {**NEW, "sessions": [times(first), times(last)]}
    post = lambda: clinician.post(CLIENTS_URL, json=body)  # noqa: E731
    refused(app, post, "sessions", "span 731 days", "at most 730 days")
    body["sessions"][1] = times(last - timedelta(days=1))
    assert clinician.post(CLIENTS_URL, json=body).status_code == 201


def test_an_added_or_moved_session_is_checked_too(app, world, clinician, now):
    sessions = f"{CLIENTS_URL}/{world.a.client_id}/sessions"
    far = times(now.replace(year=2099))
    refused(app, lambda: clinician.post(sessions, json=far), "start", "check the year")
    moved = f"{sessions}/{world.a.future_session_id}"
    refused(app, lambda: clinician.patch(moved, json=far), "start", "check the year")
    # In range, but 731 days after the client's first session (3 days before now).
    late = times(now + timedelta(days=728))
    refused(app, lambda: clinician.post(sessions, json=late), "start", "at most 730 days")


def test_the_limits_are_settings(app, world, clinician, now):
    app.config.update(SESSION_DAYS_AHEAD=30, COURSE_MAX_DAYS=60)
    body = {**NEW, "sessions": [times(now + timedelta(days=31))]}
    refused(app, lambda: clinician.post(CLIENTS_URL, json=body), "sessions", "30 days ahead")
    body = {**NEW, "sessions": [times(now - timedelta(days=40)), times(now + timedelta(days=21))]}
    refused(app, lambda: clinician.post(CLIENTS_URL, json=body), "sessions", "at most 60 days")
