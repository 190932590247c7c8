"""The call list on the dashboard: "to call today" by default with counts per reason, reasons
in words, marking handled with an outcome and a note, the client's timeline."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, ClientNote, Concern, Device
from tests.support.clinics import add_client, tick_all


def concern_ids(html: str, client_id: int) -> list[str]:
    row = re.search(rf'<tr[^>]*data-client="{client_id}".*?</tr>', html, re.S)
    return re.findall(r'name="concern" value="(\d+)"', row.group(0)) if row else []


def test_the_default_view_is_who_to_call_today_with_reasons_in_words(app, world, now, clinician_a):
    good = add_client(app, now, world.a.clinic_id, "Good")
    tick_all(app, good, now)
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    assert "To call today" in html and 'aria-current="page"' in html
    assert concern_ids(html, world.a.client_id)  # Sam missed days 2 to 3
    assert f'data-client="{good}"' not in html  # all done: not on today's list
    said = re.sub(r"<[^>]+>", "", html)  # the titles and dates are marked up
    assert re.search(
        r"Missed “[^”]+”( and “[^”]+”)? \((morning|midday|evening)\) on day 2, \w{3} \d+ \w{3}",
        said,
    )
    counts = re.search(r"To call today <span class=\"count\">(\d+)</span>", html)
    assert counts.group(1) == "1"
    everyone = clinician_a.get("/clinic/?flag=all").get_data(as_text=True)
    assert f'data-client="{good}"' in everyone
    # A search looks through everyone.
    assert f'data-client="{good}"' in clinician_a.get("/clinic/?q=Good").get_data(as_text=True)


def test_mark_handled_with_a_note_empties_the_list_until_a_new_miss(app, world, now, clinician_a):
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    shown = concern_ids(html, world.a.client_id)
    response = clinician_a.post(
        f"/clinic/clients/{world.a.client_id}/calls",
        {
            "outcome": "left_message",
            "note": "Voicemail: call back after 5",
            "concern": shown,
            "next": "/clinic/?flag=needs_call",
        },
    )
    assert response.status_code == 303 and response.location.endswith("/clinic/?flag=needs_call")
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    assert f'data-client="{world.a.client_id}"' not in html
    assert "Nobody to call today." in html
    with app.app_context():
        note = db.session.scalar(select(ClientNote))
        assert (note.outcome, note.text) == ("left_message", "Voicemail: call back after 5")
        handled = db.session.scalars(select(Concern.handled_by_id)).all()
        assert handled and set(handled) == {note.id}
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "client.call"))
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").get_data(as_text=True)
    assert "Left a message" in page and "Voicemail: call back after 5" in page
    assert "Nothing to call about" in page


def test_a_concern_raised_after_the_list_was_shown_is_not_handled(app, world, now, clinician_a):
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    shown = concern_ids(html, world.a.client_id)
    # The next task falls due (unticked) before the clinician saves the call.
    later = now + timedelta(hours=12)
    app.config["SESSION_IDLE_MINUTES"] = 24 * 60  # the clinician stays signed in meanwhile
    app.config["CLOCK"] = lambda: later
    with app.app_context():  # the phone syncs: the evening's tasks are known to be missed
        db.session.get(Device, world.a.device_id).last_seen_at = later
        db.session.commit()
    clinician_a.get(f"/clinic/clients/{world.a.client_id}")  # the new miss is raised
    clinician_a.post(
        f"/clinic/clients/{world.a.client_id}/calls", {"outcome": "called", "concern": shown}
    )
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    remaining = concern_ids(html, world.a.client_id)
    assert remaining and not set(remaining) & set(shown)


def test_another_clinic_s_concerns_cannot_be_handled(app, world, clinician_a, dashboard):
    with app.app_context():
        theirs = [str(i) for i in db.session.scalars(select(Concern.id)).all()]
    kim = world.b.client_id
    response = clinician_a.post(f"/clinic/clients/{kim}/calls", {"outcome": "called"})
    assert response.status_code == 404
    # Concern ids of clinic A's client posted to clinic B's admin's own client change nothing.
    b_admin = dashboard()
    b_admin.sign_in(world.b.admin)
    b_admin.post(f"/clinic/clients/{kim}/calls", {"outcome": "called", "concern": theirs})
    with app.app_context():
        assert not db.session.scalars(
            select(Concern).where(Concern.handled_by_id.is_not(None))
        ).all()


def test_a_bad_outcome_or_an_empty_note_saves_nothing(app, world, clinician_a):
    for form in (
        {"outcome": "shouted"},
        {"outcome": "note", "note": "  "},
        {"outcome": "called", "note": "x" * 2001},
    ):
        response = clinician_a.post(f"/clinic/clients/{world.a.client_id}/calls", form)
        assert response.status_code == 303
        page = clinician_a.get(response.location).get_data(as_text=True)
        assert "Nothing was saved" in page
    with app.app_context():
        assert db.session.scalar(select(ClientNote)) is None


def test_a_plain_note_goes_on_the_timeline_and_handles_nothing(app, world, clinician_a):
    clinician_a.post(
        f"/clinic/clients/{world.a.client_id}/calls",
        {"outcome": "note", "note": "Prefers texts after 6 pm"},
    )
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").get_data(as_text=True)
    assert "Prefers texts after 6 pm" in page and "To call: " in page
    with app.app_context():
        assert not db.session.scalars(
            select(Concern).where(Concern.handled_by_id.is_not(None))
        ).all()
