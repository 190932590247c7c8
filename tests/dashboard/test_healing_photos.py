"""A client's healing photos on their page: by day after each session, beside the previous
session's same day; each photo seen is audited, never cached, and another clinic's is a 404;
one added to a check-in is linked from that check-in's day."""

import io
import re
import uuid
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, TreatmentSession
from tests.dashboard.test_red_flags import check_in
from tests.support.images import metadata_of, phone_jpeg


def upload(client, phone, taken_at, seed=1, check_in_id=None):
    photo_id = uuid.uuid4()
    query = {
        "taken_at": taken_at.isoformat(),
        **({"check_in_id": check_in_id} if check_in_id else {}),
    }
    response = client.put(
        f"/api/v1/me/photos/{photo_id}",
        query_string=query,
        data=phone_jpeg(seed=seed),
        headers={**phone, "Content-Type": "image/jpeg"},
    )
    assert response.status_code == 201, response.get_json()
    return photo_id


def earlier_session(app, client_id, starts_at):
    with app.app_context():
        db.session.add(
            TreatmentSession(
                client_id=client_id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3)
            )
        )
        db.session.commit()


def test_photos_by_day_beside_the_previous_session_s_same_day(app, client, world, now, clinician_a):
    session_2 = now - timedelta(days=3)  # the world's client's session: day 4 is today
    earlier_session(app, world.a.client_id, session_2 - timedelta(days=40))
    first = upload(client, world.a.phone, session_2 - timedelta(days=37), seed=1)  # day 4 of 1
    second = upload(client, world.a.phone, now, seed=2)  # day 4 of session 2
    upload(client, world.a.phone, now - timedelta(days=2), seed=3)  # day 2 of session 2

    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").text

    section = page[page.index('id="photos"') : page.index('id="sessions"')]
    day_4 = re.search(r'<tr data-day="4">(.*?)</tr>', section, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", day_4, re.S)
    assert str(second) in cells[0] and str(first) in cells[1]
    assert "No photo" in re.search(r'<tr data-day="2">(.*?)</tr>', section, re.S).group(1)
    assert section.index('data-day="2"') < section.index('data-day="4"')


def test_a_photo_is_served_stripped_uncached_and_audited(app, client, world, now, clinician_a):
    photo_id = upload(client, world.a.phone, now)

    response = clinician_a.get(f"/clinic/clients/{world.a.client_id}/photos/{photo_id}")

    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "no-store"
    assert metadata_of(response.data) == {"exif": {}, "gps": {}, "info": {}}
    assert Image.open(io.BytesIO(response.data)).size == (800, 600)
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "photo.view")
        ).all()
    assert [(e.client_id, e.detail) for e in entries] == [
        (world.a.client_id, {"photo_id": str(photo_id)})
    ]


def test_another_clinic_s_clinician_gets_a_404(app, client, world, now, dashboard):
    photo_id = upload(client, world.a.phone, now)
    other = dashboard()
    assert other.sign_in(world.b.clinician).status_code == 302
    assert other.get(f"/clinic/clients/{world.a.client_id}/photos/{photo_id}").status_code == 404
    # Nor through their own client's address.
    assert other.get(f"/clinic/clients/{world.b.client_id}/photos/{photo_id}").status_code == 404
    with app.app_context():
        assert (
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "photo.view")).all()
            == []
        )


def test_a_session_moved_since_moves_its_photos_days(app, client, world, now, clinician_a):
    photo_id = upload(client, world.a.phone, now)  # day 4 of the session 3 days ago
    with app.app_context():
        session = db.session.get(TreatmentSession, world.a.past_session_id)
        session.starts_at += timedelta(days=1)
        session.ends_at += timedelta(days=1)
        db.session.commit()

    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").text

    section = page[page.index('id="photos"') : page.index('id="sessions"')]
    assert str(photo_id) in re.search(r'<tr data-day="3">(.*?)</tr>', section, re.S).group(1)
    assert 'data-day="4"' not in section


def test_a_check_in_s_photo_is_linked_from_its_day(app, client, world, now, clinician_a):
    checkin_id = check_in(app, world.a.client_id, now)
    with_it = upload(client, world.a.phone, now, seed=1, check_in_id=checkin_id)
    upload(client, world.a.phone, now, seed=2)  # on its own
    upload(client, world.a.phone, now, seed=3, check_in_id=uuid.uuid4())  # its check-in not here

    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").text

    table = page[page.index('<table class="checkin-days">') :]
    table = table[: table.index("</table>")]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', table)
    assert links == [
        (f"/clinic/clients/{world.a.client_id}/photos/{with_it}", "Photo of the check-in")
    ]
