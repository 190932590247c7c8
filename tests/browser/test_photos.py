"""A photo taken offline: kept on the phone through closing the app, uploaded once when the
network is back (the first try cut off midway), stored without EXIF, in the export, and gone
with the client's deletion."""

from __future__ import annotations

import base64
import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Client, Clinician, Photo, PhotoBlob
from tests.support.images import metadata_of, phone_jpeg

from .accessibility import assert_accessible
from .desk import PASSWORD, sign_in
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
    live_server, new_context, context, page, tmp_path
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
    # Its thumbnail is drawn from the phone's own copy (a blob: URL the page's CSP allows).
    again.wait_for_function("() => document.querySelector('#photos img')?.naturalWidth > 0")
    assert_accessible(again, "Progress with a photo sent")

    export = again.evaluate(EXPORT, saved(again, "token"))
    [exported] = export["photos"]
    assert exported["id"] == kept["id"]

    # The clinic's timeline shows it on the day after the session; its bytes carry no EXIF.
    email = admin_of(live_server, enrollment.client_id)
    desk = new_context().new_page()
    sign_in(desk, live_server.url, email)
    desk.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    shown = desk.locator(f"#photos tr[data-day='{photo.day_after_session}'] img")
    expect(shown).to_have_count(1)
    desk.wait_for_function(
        "() => [...document.querySelectorAll('#photos img')].every((i) => i.naturalWidth > 0)"
    )
    assert_accessible(desk, "the client's page with a healing photo")
    image = desk.request.get(live_server.url + shown.get_attribute("src"))
    assert image.headers["cache-control"] == "no-store"
    assert metadata_of(image.body()) == {"exif": {}, "gps": {}, "info": {}}
    assert base64.b64decode(exported["data_base64"]) == image.body()
    assert max(Image.open(io.BytesIO(image.body())).size) <= 1600
    assert views_audited(live_server, enrollment.client_id) >= 1

    # The service worker kept no API answer, photos included.
    cached = again.evaluate(
        """async () => (await Promise.all((await caches.keys()).map(async (n) =>
             (await (await caches.open(n)).keys()).map((r) => r.url)))).flat()"""
    )
    assert cached and not [url for url in cached if "/api/" in url]

    # The clinic deletes the client: the photo and its bytes go.
    desk.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}/delete")
    desk.locator("input[name=confirm_name]").fill("Browser client")
    desk.get_by_role("button", name="Delete Browser client and all their data").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Clients")
    assert photo_rows(live_server, enrollment.client_id) == []
    with live_server.app.app_context():
        assert db.session.get(PhotoBlob, photo.storage_key) is None


def admin_of(live_server, client_id) -> str:
    """A new admin of the client's clinic, with the desk's password; their email."""
    with live_server.app.app_context():
        clinic_id = db.session.get(Client, client_id).clinic_id
        person = Clinician(
            clinic_id=clinic_id,
            email=f"photos-{client_id}@browser.test",
            name="Nurse",
            role="admin",
        )
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
        return person.email


def views_audited(live_server, client_id) -> int:
    with live_server.app.app_context():
        entries = select(AuditEntry).where(
            AuditEntry.client_id == client_id, AuditEntry.action == "photo.view"
        )
        return len(db.session.scalars(entries).all())
