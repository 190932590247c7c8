"""The client list and a client's page: what they show and the changes made from them."""

import base64
import re
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import select

from server.extensions import db
from server.models import AdherenceEvent, Client, Device, PlanOccurrence
from tests.support.clinics import add_client, add_events

ENROLL_LINK = re.compile(r'class="enroll-link" href="([^"]+)"')


def client_url(client_id):
    return f"/clinic/clients/{client_id}"


def test_the_list_shows_this_clinic_s_clients_by_need(app, world, now, clinician_a):
    add_client(app, now, world.a.clinic_id, "Later", session_days=(9,))
    page = clinician_a.get("/clinic/?flag=all").text
    assert page.index(">Sam<") < page.index(">Later<")
    assert 'data-kind="missed_critical"' in page and "Kim" not in page
    assert "2 clients" in page


def test_search_and_flags_narrow_the_list(app, world, now, clinician_a):
    add_client(app, now, world.a.clinic_id, "Later", session_days=(9,))
    assert ">Later<" not in clinician_a.get("/clinic/?q=sam").text
    needs_call = clinician_a.get("/clinic/?flag=needs_call").text
    assert ">Sam<" in needs_call and ">Later<" not in needs_call
    # Unknown flags and pages are ignored rather than refused.
    assert clinician_a.get("/clinic/?flag=nonsense&page=-3").status_code == 200


def test_the_list_pages_by_25(app, world, now, clinician_a):
    for number in range(25):
        add_client(app, now, world.a.clinic_id, f"Extra {number:02}", session_days=(9,))
    first = clinician_a.get("/clinic/?flag=all").text
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = clinician_a.get("/clinic/?flag=all&page=2").text
    assert second.count('<th scope="row"') == 1 and 'rel="prev"' in second


def test_the_client_page_shows_record_calendar_plan_log_and_devices(app, world, now, clinician_a):
    with app.app_context():
        occurrence = db.session.scalars(
            select(PlanOccurrence)
            .where(
                PlanOccurrence.client_id == world.a.client_id,
                PlanOccurrence.due_end <= now,
                PlanOccurrence.optional.is_(False),
            )
            .order_by(PlanOccurrence.due_start)
        ).first()
    at = occurrence.due_start
    add_events(
        app,
        world.a.client_id,
        [(occurrence.occurrence_id, "done", at, uuid4())],
        now,
        device_id=world.a.device_id,
    )
    page = clinician_a.get(client_url(world.a.client_id)).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="group"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="day"') >= 7
    assert "1 of " in page  # the text summary and a day's title
    assert "Scalp Nation aftercare" in page and "How do you wear your hair?" in page
    assert "✓ done" in page and "✗ missed" in page
    assert at.strftime("%H:%M") in page  # device time, as the device said it
    assert "(UTC+0000)" in page
    assert f"Revoke device #{world.a.device_id}" in page
    assert "0 sent, 0 failed" in page


def test_rescheduling_a_session_rebuilds_plan_and_calendar(app, world, now, clinician_a):
    before = clinician_a.get(client_url(world.a.client_id)).text
    start = (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    response = clinician_a.post(
        f"{client_url(world.a.client_id)}/sessions/{world.a.future_session_id}",
        {"start": start, "hours": "3"},
    )
    assert response.status_code == 302
    after = clinician_a.get(client_url(world.a.client_id)).text
    assert "Session 2 moved to Sun, 19 Apr 2026, 12:00 to 15:00. The plan is rebuilt" in after
    shown = re.sub(r"<[^>]+>", "", after)
    assert "Sun, 19 Apr 2026, 12:00 \u2013 15:00" in shown  # as typed, on the client's clock
    days = re.findall(r'class="day" data-date="([0-9-]+)"', after)
    assert max(days) > max(re.findall(r'class="day" data-date="([0-9-]+)"', before))


def test_a_bad_session_time_is_explained_and_changes_nothing(app, world, clinician_a):
    response = clinician_a.post(
        f"{client_url(world.a.client_id)}/sessions/{world.a.future_session_id}",
        {"start": "soon", "hours": "3"},
        follow_redirects=True,
    )
    assert response.status_code == 422
    assert "Session 2 start: Give a date and a time." in response.text
    response = clinician_a.post(
        f"{client_url(world.a.client_id)}/sessions",
        {"start": "2026-04-02T10:00", "hours": "30"},
        follow_redirects=True,
    )
    assert "between a quarter of an hour and 24 hours" in response.text
    with app.app_context():
        assert len(db.session.get(Client, world.a.client_id).sessions) == 2


def test_adding_then_making_a_session_final_cancels_the_later_ones(app, world, now, clinician_a):
    url = client_url(world.a.client_id)
    clinician_a.post(f"{url}/sessions", {"start": "2026-05-01T10:00", "hours": "4"})
    with app.app_context():
        assert len(db.session.get(Client, world.a.client_id).sessions) == 3
    add_events(app, world.a.client_id, [("kept", "done", now, uuid4())], now)
    clinician_a.post(f"{url}/sessions/{world.a.past_session_id}/final", {"confirm": "yes"})
    with app.app_context():
        client = db.session.get(Client, world.a.client_id)
        assert [s.id for s in client.sessions] == [world.a.past_session_id]
        assert client.plan.content["sessions"][0]["final"] is True
        assert db.session.scalar(select(AdherenceEvent.occurrence_id)) == "kept"
    page = clinician_a.get(url).text
    assert "Session 1</strong> (final)" in page


def test_a_begun_session_is_cancelled_as_a_correction_after_asking(app, world, clinician_a, now):
    """The same rule as the API: a begun session may be cancelled, once the page has said
    what that changes and that its ticks stay."""
    page = clinician_a.get(client_url(world.a.client_id)).text
    url = f"{client_url(world.a.client_id)}/sessions/{world.a.past_session_id}/cancel"
    assert url in page
    asked = clinician_a.get(url).text
    assert "Session 1 has begun: cancelling it corrects the record" in asked
    assert "Yes, cancel session 1" in asked
    add_events(app, world.a.client_id, [("kept", "done", now, uuid4())], now)
    response = clinician_a.post(url, {"confirm": "yes"})
    assert response.status_code in (200, 302, 303)
    with app.app_context():
        assert [s.id for s in db.session.get(Client, world.a.client_id).sessions] == [
            world.a.future_session_id
        ]
        assert db.session.scalar(select(AdherenceEvent.occurrence_id)) == "kept"


def test_another_client_s_session_is_not_found(app, world, clinician_a):
    response = clinician_a.post(
        f"{client_url(world.a.client_id)}/sessions/{world.b.future_session_id}",
        {"start": "2026-05-01T10:00", "hours": "4"},
    )
    assert response.status_code == 404 and "Not found" in response.text


def test_a_new_client_gets_a_working_enrollment_link_and_qr_code(app, world, client, clinician_a):
    response = clinician_a.post(
        "/clinic/clients/new",
        {
            "name": "Noor",
            "contact": "+44 7700 900123",
            "timezone": "Europe/London",
            "protocol_id": "seven-derma",
            "answer-seven-derma-gender": "woman",
            "answer-seven-derma-hair_length": "short",
            "answer-scalp-nation-hair_length": "long",  # another protocol's: ignored
            "session-0-start": "2026-03-25T10:00",
            "session-0-hours": "4",
            "session-1-start": "2026-04-01T10:00",
            "session-1-hours": "4",
        },
    )
    assert response.status_code == 201
    link = ENROLL_LINK.search(response.text).group(1)
    qr = re.search(r'<img class="qr" src="data:image/svg\+xml;base64,([^"]+)"', response.text)
    assert base64.b64decode(qr.group(1)).startswith(b"<svg")
    with app.app_context():
        noor = db.session.scalar(select(Client).where(Client.name == "Noor"))
        assert noor.answers == {"gender": "woman", "hair_length": "short"}
        assert len(noor.sessions) == 2 and noor.plan.spacing_too_short is True
    code = link.split("#", 1)[1]
    enrolled = client.post("/api/v1/enroll", json={"code": code, "label": "Noor's phone"})
    assert enrolled.status_code in (200, 201)
    too_soon = clinician_a.get("/clinic/?flag=spacing").text
    assert "Session 2 is 7 days after the previous one; this protocol asks for at least" in too_soon


def test_a_new_client_form_with_mistakes_is_shown_again_with_them(clinician_a):
    response = clinician_a.post(
        "/clinic/clients/new",
        {"name": "", "timezone": "Mars/Olympus", "protocol_id": "scalp-nation"},
    )
    assert response.status_code == 422
    assert "Time zone: Not an IANA time zone name" in response.text
    assert 'value="Mars/Olympus"' in response.text


def test_a_new_enrollment_link_and_revoking_a_device(app, world, client, clinician_a):
    url = client_url(world.a.client_id)
    response = clinician_a.post(f"{url}/enrollment")
    code = ENROLL_LINK.search(response.text).group(1).split("#", 1)[1]
    assert client.post("/api/v1/enroll", json={"code": code}).status_code in (200, 201)
    clinician_a.post(f"{url}/devices/{world.a.device_id}/revoke")
    with app.app_context():
        assert db.session.get(Device, world.a.device_id).revoked_at is not None
    assert client.get("/api/v1/me", headers=world.a.phone).status_code == 401


def new_link_code(clinician, url) -> str:
    response = clinician.post(f"{url}/enrollment")
    return ENROLL_LINK.search(response.text).group(1).split("#", 1)[1]


def test_the_page_shows_the_unused_link_and_cancels_it(app, world, client, clinician_a):
    url = client_url(world.a.client_id)
    assert "No unused enrollment link is waiting" in clinician_a.get(url).text
    first = new_link_code(clinician_a, url)
    code = new_link_code(clinician_a, url)  # the first one stops here
    page = clinician_a.get(url).text
    assert "A link that would still connect a phone" in page
    assert page.count("works until") == 1 and "by <bdi>clinician of Clinic A</bdi>" in page
    assert client.post("/api/v1/enroll", json={"code": first}).status_code == 400
    response = clinician_a.post(f"{url}/enrollment/cancel", follow_redirects=True)
    assert "The unused link no longer works." in response.text
    assert client.post("/api/v1/enroll", json={"code": code}).status_code == 400


def test_revoking_a_phone_with_the_box_ticked_cancels_the_unused_link(world, client, clinician_a):
    url = client_url(world.a.client_id)
    code = new_link_code(clinician_a, url)
    page = clinician_a.get(url).text
    assert 'name="cancel_links" value="yes" checked' in page  # offered, ticked by default
    response = clinician_a.post(
        f"{url}/devices/{world.a.device_id}/revoke",
        {"cancel_links": "yes"},
        follow_redirects=True,
    )
    assert "Its reminders have stopped and the unused link is cancelled." in response.text
    assert client.get("/api/v1/me", headers=world.a.phone).status_code == 401
    assert client.post("/api/v1/enroll", json={"code": code}).status_code == 400
