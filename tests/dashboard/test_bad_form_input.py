"""Bad input in every dashboard form: a helpful error on the page, nothing stored; markup that
is legitimately part of a name is shown as text, escaped."""

import html

import pytest

from tests.support.hostile import CONTROLS, MARKUP
from tests.support.stored import snapshot

NEW_CLIENT = {
    "name": "Ann",
    "contact": "ann@example.test",
    "timezone": "Europe/London",
    "protocol_id": "scalp-nation",
    "answer-scalp-nation-hair_length": "shaved",
    "session-0-start": "2026-04-20T10:00",
    "session-0-hours": "3",
}
INVITE = {"name": "Robin", "email": "robin@a.test", "role": "clinician"}


def shown(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def refused(app, person, path, form, *expected):
    """Post `form`; the page (or the one it redirects to) explains; nothing is stored."""
    before = snapshot(app)
    response = person.post(path, form)
    assert response.status_code in (200, 302, 422), response.status_code
    assert snapshot(app) == before, "nothing is stored"
    if response.status_code == 302:  # the message waits on the page it redirects to
        response = person.get(response.location)
    for message in expected:
        assert message in shown(response), (form, message)


@pytest.mark.parametrize("control", CONTROLS)
def test_control_characters_in_any_text_field_are_explained(app, world, admin_a, control):
    client_page = f"/clinic/clients/{world.a.client_id}"
    bad = f"A{control}b"
    for field, message in [
        ("name", "Name: Must not contain control characters."),
        ("contact", "Phone or email: Must not contain control characters."),
        ("timezone", "Time zone: "),
        ("protocol_id", "Protocol: Must not contain control characters."),
        ("answer-scalp-nation-hair_length", "Must not contain control characters."),
        ("session-0-start", "Session 1 start: Give a date and a time."),
        ("session-0-hours", "Session 1 hours: A session lasts between a quarter of an hour"),
    ]:
        refused(app, admin_a, "/clinic/clients/new", {**NEW_CLIENT, field: bad}, message)
    for field, message in [
        ("name", "Name: Must not contain control characters."),
        ("email", "Email: "),
        ("role", "Role: "),
    ]:
        refused(app, admin_a, "/clinic/admin/clinicians", {**INVITE, field: bad}, message)
    for form in ({"start": bad, "hours": "3"}, {"start": "2026-04-20T10:00", "hours": bad}):
        refused(
            app,
            admin_a,
            f"{client_page}/sessions",
            form,
            "New session start: " if form["start"] == bad else "New session hours: ",
        )


@pytest.mark.parametrize("control", CONTROLS)
def test_control_characters_in_sign_in_and_search_are_no_one_and_nothing(
    app, world, dashboard, clinician_a, control
):
    person = dashboard()
    before = snapshot(app)
    response = person.sign_in(f"{world.a.clinician}{control}")
    assert response.status_code == 200 and "Wrong email or password." in response.text
    assert snapshot(app) == before
    listing = clinician_a.get(f"/clinic/?q=Sa{control}m")
    assert listing.status_code == 200 and ">Sam<" in listing.text


@pytest.mark.parametrize(
    ("zone", "moment"),
    [("Mars/Olympus", "2026-02-30T10:00"), ("", "0000-01-01T10:00"), ("../../etc/passwd", "x")],
)
def test_bad_zones_and_dates_are_explained(app, world, clinician_a, zone, moment):
    refused(
        app, clinician_a, "/clinic/clients/new", {**NEW_CLIENT, "timezone": zone}, "Time zone: "
    )
    form = {**NEW_CLIENT, "session-0-start": moment}
    refused(app, clinician_a, "/clinic/clients/new", form, "Give a date and a time.")
    page = f"/clinic/clients/{world.a.client_id}"
    refused(
        app, clinician_a, f"{page}/sessions", {"start": moment, "hours": "2"}, "New session start: "
    )


@pytest.mark.parametrize("moment", ["9999-12-31T23:59", "0001-01-01T00:30"])
def test_a_session_at_the_edge_of_the_calendar_is_explained(app, world, clinician_a, moment):
    page = f"/clinic/clients/{world.a.client_id}"
    form = {"start": moment, "hours": "4"}
    refused(app, clinician_a, f"{page}/sessions", form, "New session start: ", "check the year.")


def test_a_local_time_the_clocks_skip_is_explained(app, world, clinician_a):
    # 29 March 2026 in London: 01:00 becomes 02:00, so 01:30 is no time at all.
    page = f"/clinic/clients/{world.a.client_id}"
    form = {"start": "2026-03-29T01:30", "hours": "4"}
    skipped = "01:30 on 29 Mar 2026 does not exist in Europe/London: the clocks go forward then."
    refused(
        app,
        clinician_a,
        f"{page}/sessions",
        form,
        f"New session start: {skipped} Did you mean 02:30?",
    )
    new_york = {**NEW_CLIENT, "timezone": "America/New_York", "session-0-start": "2026-03-08T02:15"}
    skipped = "02:15 on 08 Mar 2026 does not exist in America/New_York"
    refused(app, clinician_a, "/clinic/clients/new", new_york, skipped)
    # An hour later, or a time the clocks pass twice (25 October, taken as the first), is kept.
    for start in ("2026-03-29T02:30", "2026-10-25T01:30"):
        added = clinician_a.post(f"{page}/sessions", {"start": start, "hours": "2"})
        assert added.status_code == 302, start
        assert "does not exist" not in clinician_a.get(added.location).get_data(as_text=True)


def test_a_session_in_the_wrong_year_is_explained(app, world, clinician_a):
    message = "A session must start between 2025-03-20 and 2028-03-19"
    page = f"/clinic/clients/{world.a.client_id}"
    form = {"start": "2099-04-20T10:00", "hours": "4"}
    refused(app, clinician_a, f"{page}/sessions", form, f"New session start: {message}")
    new_client = {**NEW_CLIENT, "session-0-start": "2029-04-20T10:00"}
    refused(app, clinician_a, "/clinic/clients/new", new_client, f"Session 1 start: {message}")


@pytest.mark.parametrize("huge", ["x" * 201, "x" * 100_000])
def test_huge_text_is_explained(app, clinician_a, huge):
    refused(app, clinician_a, "/clinic/clients/new", {**NEW_CLIENT, "name": huge}, "Name: ")


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_a_name_is_shown_escaped(app, world, clinician_a, admin_a, markup):
    created = clinician_a.post("/clinic/clients/new", {**NEW_CLIENT, "name": markup})
    assert created.status_code == 201
    for page in (created.text, clinician_a.get("/clinic/?flag=all").text):
        assert markup in html.unescape(page) and markup not in page
    invited = admin_a.post("/clinic/admin/clinicians", {**INVITE, "name": markup})
    assert invited.status_code == 201
    staff = admin_a.get("/clinic/admin/clinicians").text
    assert markup in html.unescape(staff) and markup not in staff
