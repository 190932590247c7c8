"""A photo taken offline: kept on the phone through closing the app, uploaded once when the
network is back (the first try cut off midway), stored without EXIF, in the export, and gone
with the client's deletion."""

from __future__ import annotations

import base64

from playwright.sync_api import expect
from sqlalchemy import select

from server.clinic.deletion import delete_client
from server.extensions import db
from server.models import Clinician, Photo, PhotoBlob
from server.photos.storage import storage
from server.photos.timeline import healing_timeline
from server.plans.store import numbered
from tests.support.images import metadata_of, phone_jpeg

from .phone import eventually, go_offline, go_online, open_enrollment, saved, store, wait_for_worker

EXPORT = """async (token) => {
  const response = await fetch("/api/v1/me/export", {
    headers: { Authorization: `Bearer ${token}` },
  });
  return response.json();
}"""


def photo_rows(live_server, client_id):
    with live_server.app.app_context():
        return db.session.scalars(select(Photo).where(Photo.client_id == client_id)).all()


def test_an_offline_photo_survives_closing_the_app_and_uploads_once(
    live_server, context, page, tmp_path
):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    wait_for_worker(page)
    page.get_by_role("link", name="Progress").click()
    fixture = tmp_path / "scalp.jpg"
    fixture.write_bytes(phone_jpeg(2400, 1800))

    go_offline(page)
    page.locator("#photo-input").set_input_files(str(fixture))
    expect(page.locator("[data-state=waiting]")).to_have_count(1)
    [kept] = store(page, "photos")
    page.close()  # the app is closed with the photo only on the phone

    attempts = []

    def cut_first(route):
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.abort("connectionreset")  # the network goes midway through the first try
        else:
            route.continue_()

    context.route("**/api/v1/me/photos/**", cut_first)
    again = context.new_page()
    go_online(again)
    again.goto(f"{live_server.url}/progress")
    expect(again.locator(f"[data-photo='{kept['id']}']")).to_be_visible()
    eventually(again, lambda: len(attempts) >= 1, "an upload was tried")
    again.evaluate("() => dispatchEvent(new Event('online'))")  # the network back again
    expect(again.locator("[data-state=uploaded]")).to_have_count(1)

    [photo] = photo_rows(live_server, enrollment.client_id)
    assert str(photo.photo_id) == kept["id"] and len(attempts) == 2
    with live_server.app.app_context():
        data = storage().get(photo.storage_key)
        client = db.session.get(Photo, photo.id).client_id
    assert metadata_of(data) == {"exif": {}, "gps": {}, "info": {}}
    assert max(photo.width, photo.height) <= 1600

    # On the clinic's timeline, by day after the session.
    with live_server.app.app_context(), live_server.app.test_request_context():
        from server.models import Client

        sessions = numbered(db.session.get(Client, client))
        shown = healing_timeline(client, sessions)
    assert [p.photo_id for s in shown for row in s.days for p in row.photos] == [photo.photo_id]

    export = again.evaluate(EXPORT, saved(again, "token"))
    [exported] = export["photos"]
    assert exported["id"] == kept["id"] and base64.b64decode(exported["data_base64"]) == data

    # The service worker kept no API answer, photos included.
    cached = again.evaluate(
        """async () => (await Promise.all((await caches.keys()).map(async (n) =>
             (await (await caches.open(n)).keys()).map((r) => r.url)))).flat()"""
    )
    assert not [url for url in cached if "/api/" in url]

    # The clinic deletes the client: the photo and its bytes go.
    with live_server.app.app_context(), live_server.app.test_request_context():
        from flask_login import login_user

        from server.models import Client

        clinic_id = db.session.get(Client, client).clinic_id
        admin = Clinician(
            clinic_id=clinic_id, email="admin@photos.test", name="Admin", role="admin"
        )
        db.session.add(admin)
        db.session.flush()
        login_user(admin)
        delete_client(client, photo.received_at)
        db.session.commit()
        assert db.session.scalars(select(PhotoBlob.key)).all() == []
    assert photo_rows(live_server, enrollment.client_id) == []
