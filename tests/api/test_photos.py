"""PUT /api/v1/me/photos/<id>: real images only, stored once, stripped of every metadata block."""

import base64
import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from server.extensions import db
from server.models import Photo, PhotoBlob
from server.photos.storage import storage
from tests.api.test_checkins import answer, checkin_occurrences, send
from tests.support.images import cut_short, decompression_bomb, metadata_of, phone_jpeg
from tests.support.phones import make_client
from tests.support.stored import snapshot

TAKEN = "2026-03-20T09:15:00.000+01:00"


def put(client, headers, body, photo_id=None, taken_at=TAKEN, kind="image/jpeg", **query):
    photo_id = photo_id or uuid.uuid4()
    return client.put(
        f"/api/v1/me/photos/{photo_id}",
        query_string={"taken_at": taken_at, **query},
        data=body,
        headers={**headers, "Content-Type": kind},
    )


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Photo.id))), db.session.scalar(
            select(func.count()).select_from(PhotoBlob)
        )


def bytes_of(app, photo_id):
    with app.app_context():
        photo = db.session.scalar(select(Photo).where(Photo.photo_id == photo_id))
        return storage().get(photo.storage_key)


def test_a_photo_is_stored_re_encoded_without_any_metadata(app, client, enrolled, now):
    upload = phone_jpeg(2400, 1800)
    assert metadata_of(upload)["gps"], "the fixture carries a GPS position"
    photo_id = uuid.uuid4()

    response = put(client, enrolled.phone, upload, photo_id)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] == str(photo_id) and body["taken_at"] == TAKEN
    assert (body["width"], body["height"], body["content_type"]) == (1600, 1200, "image/jpeg")
    # Taken today; the fixture client's session was 3 days ago, day 1 the day it ended.
    assert body["session_id"] is not None and body["day_after_session"] == 4
    kept = bytes_of(app, photo_id)
    assert metadata_of(kept) == {"exif": {}, "gps": {}, "info": {}}
    assert Image.open(io.BytesIO(kept)).size == (1600, 1200)


def test_the_day_after_the_latest_session_before_it(app, client, enrolled, now):
    later = (now + timedelta(days=2)).isoformat()
    response = put(client, enrolled.phone, phone_jpeg(), taken_at=later)
    assert response.get_json()["day_after_session"] == 6  # day 4 is today
    before_any = (now - timedelta(days=30)).isoformat()
    response = put(client, enrolled.phone, phone_jpeg(), taken_at=before_any)
    assert response.status_code == 201
    assert (response.get_json()["session_id"], response.get_json()["day_after_session"]) == (
        None,
        None,
    )


def test_sent_again_it_is_stored_once_and_other_bytes_under_its_id_are_refused(
    app, client, enrolled
):
    photo_id, upload = uuid.uuid4(), phone_jpeg(seed=1)
    assert put(client, enrolled.phone, upload, photo_id).status_code == 201
    again = put(client, enrolled.tablet, upload, photo_id)  # the client's other phone, too
    assert again.status_code == 200 and again.get_json()["id"] == str(photo_id)
    assert stored(app) == (1, 1)

    before = snapshot(app)
    other = put(client, enrolled.phone, phone_jpeg(seed=2), photo_id)
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "photo_conflict"
    assert snapshot(app) == before


def test_another_client_s_photo_id_is_refused(app, client, world):
    photo_id, upload = uuid.uuid4(), phone_jpeg()
    assert put(client, world.a.phone, upload, photo_id).status_code == 201
    before = snapshot(app)
    for body in (upload, phone_jpeg(seed=3)):
        response = put(client, world.b.phone, body, photo_id)
        assert response.status_code == 409, response.get_json()
        assert response.get_json()["error"]["code"] == "photo_conflict"
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"%PDF-1.4 not a photo at all", "not a JPEG, PNG or WebP"),
        (cut_short(phone_jpeg()), "damaged or cut short"),
        (decompression_bomb(), "pixels"),
        (decompression_bomb(7500), "7500 by 7500 pixels"),  # below Pillow's own alarm
        (phone_jpeg()[:40], "damaged or cut short"),
    ],
    ids=["not an image", "truncated", "decompression bomb", "56 megapixels", "a header only"],
)
def test_what_is_not_a_whole_image_is_refused_and_nothing_stored(
    app, client, enrolled, body, words
):
    before = snapshot(app)
    response = put(client, enrolled.phone, body)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "unusable_image" and words in error["message"]
    assert snapshot(app) == before


def test_a_50_mb_upload_is_refused_before_it_is_read(app, client, enrolled):
    before = snapshot(app)
    huge = phone_jpeg() + b"\0" * (50 * 1024 * 1024)
    response = put(client, enrolled.phone, huge)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert snapshot(app) == before


def test_a_body_without_a_length_is_cut_off_at_the_limit(app, enrolled):
    before = snapshot(app)
    builder = EnvironBuilder(
        path=f"/api/v1/me/photos/{uuid.uuid4()}",
        method="PUT",
        query_string={"taken_at": TAKEN},
        headers={**enrolled.phone, "Content-Type": "image/jpeg"},
        input_stream=io.BytesIO(b"\xff" * (20 * 1024 * 1024)),
    )
    environ = builder.get_environ()
    del environ["CONTENT_LENGTH"]  # sent chunked: the server learns the size only by reading
    environ["wsgi.input_terminated"] = True
    body, status, _ = run_wsgi_app(app, environ, buffered=True)
    assert status.startswith("413"), (status, b"".join(body))
    assert snapshot(app) == before


def test_other_formats_and_missing_times_are_refused(app, client, enrolled):
    before = snapshot(app)
    response = put(client, enrolled.phone, phone_jpeg(), kind="application/json")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    response = put(client, enrolled.phone, phone_jpeg(), taken_at="yesterday")
    assert response.status_code == 422 and "taken_at" in response.get_json()["error"]["fields"]
    response = put(client, enrolled.phone, phone_jpeg(), check_in_id="not-a-uuid")
    assert response.status_code == 422 and "check_in_id" in response.get_json()["error"]["fields"]
    assert snapshot(app) == before


def test_a_photo_of_a_check_in_keeps_its_id(client, enrolled):
    check_in = uuid.uuid4()
    response = put(client, enrolled.phone, phone_jpeg(), check_in_id=str(check_in))
    assert response.get_json()["check_in_id"] == str(check_in)


def test_a_photo_for_another_clients_check_in_is_refused(app, client, enrolled, now):
    other = make_client(app, now, clinic_name="Clinic B")
    (occurrence, _), *_ = checkin_occurrences(app, other.client_id)
    theirs = answer(occurrence)
    assert send(client, other.phone, theirs).status_code == 200
    before = snapshot(app)
    response = put(client, enrolled.phone, phone_jpeg(), check_in_id=theirs["id"])
    assert response.status_code == 422
    assert "check_in_id" in response.get_json()["error"]["fields"]
    assert snapshot(app) == before
    # The owner may attach a photo to it; a check-in not stored yet may come after its photo.
    response = put(client, other.phone, phone_jpeg(), check_in_id=theirs["id"])
    assert response.status_code == 201
    response = put(client, enrolled.phone, phone_jpeg(), check_in_id=str(uuid.uuid4()))
    assert response.status_code == 201


def test_png_and_webp_are_taken_and_kept_as_jpeg(client, enrolled):
    for kind, pillow in (("image/png", "PNG"), ("image/webp", "WEBP")):
        out = io.BytesIO()
        Image.new("RGBA", (300, 200), (200, 30, 30, 128)).save(out, pillow)
        response = put(client, enrolled.phone, out.getvalue(), kind=kind)
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["content_type"] == "image/jpeg"


def test_the_export_holds_each_photo_itself(app, client, enrolled):
    photo_id = uuid.uuid4()
    put(client, enrolled.phone, phone_jpeg(), photo_id)
    export = client.get("/api/v1/me/export", headers=enrolled.phone).get_json()
    [photo] = export["photos"]
    assert photo["id"] == str(photo_id) and photo["taken_at"] == TAKEN
    image = base64.b64decode(photo["data_base64"])
    assert image == bytes_of(app, photo_id)
    assert metadata_of(image)["gps"] == {}
