"""POST /api/v1/me/sync: every event stored exactly once, whatever is retried or repeated."""

import threading
import uuid

import pytest
from sqlalchemy import func, select

import server.phone.sync
from server.domain.sync import encode_cursor
from server.extensions import db, limiter
from server.models import AdherenceEvent, Client, Device, PlanOccurrence, TreatmentSession
from server.plans.store import rebuild
from tests.support.phones import tick


def sync(client, headers, events=(), cursor=None, **extra):
    response = client.post(
        "/api/v1/me/sync", json={"events": list(events), "cursor": cursor, **extra}, headers=headers
    )
    return response


def stored(app, client_id):
    with app.app_context():
        return list(
            db.session.execute(
                select(AdherenceEvent.event_id, AdherenceEvent.seq, AdherenceEvent.action)
                .where(AdherenceEvent.client_id == client_id)
                .order_by(AdherenceEvent.seq)
            )
        )


def test_new_events_are_accepted_stored_and_echoed(app, client, enrolled):
    events = [tick(enrolled.occurrences[0]), tick(enrolled.occurrences[1], "done")]
    response = sync(client, enrolled.phone, events)
    assert response.status_code == 200
    body = response.get_json()
    assert body["accepted"] == [e["id"] for e in events]
    assert body["rejected"] == [] and body["more"] is False
    assert [e["id"] for e in body["events"]] == [e["id"] for e in events]
    assert (
        body["plan_version"]
        == client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()["version"]
    )
    assert [row.seq for row in stored(app, enrolled.client_id)] == [1, 2]


def test_a_retried_batch_is_accepted_again_and_stored_once(app, client, enrolled):
    events = [tick(occurrence) for occurrence in enrolled.occurrences[:3]]
    first = sync(client, enrolled.phone, events).get_json()
    again = sync(client, enrolled.phone, events).get_json()  # the reply to the first was lost
    assert again["accepted"] == first["accepted"] and again["rejected"] == []
    assert len(stored(app, enrolled.client_id)) == 3


def test_the_same_id_with_other_content_is_a_conflict_not_an_overwrite(app, client, enrolled):
    original = tick(enrolled.occurrences[0], "done")
    sync(client, enrolled.phone, [original])
    changed = {**original, "action": "undone"}
    moved = {**original, "at": "2026-03-20T09:00:00.000+01:00"}  # same instant, other offset
    body = sync(client, enrolled.phone, [changed, moved]).get_json()
    assert body["accepted"] == []
    assert [(r["id"], r["code"]) for r in body["rejected"]] == [(original["id"], "conflict")] * 2
    assert [row.action for row in stored(app, enrolled.client_id)] == ["done"]


def test_a_repeat_inside_one_batch_is_stored_once(app, client, enrolled):
    event = tick(enrolled.occurrences[0])
    body = sync(client, enrolled.phone, [event, event, {**event, "action": "undone"}]).get_json()
    assert body["accepted"] == [event["id"], event["id"]]
    assert [r["code"] for r in body["rejected"]] == ["conflict"]
    assert len(stored(app, enrolled.client_id)) == 1


def test_an_unknown_occurrence_is_rejected_and_the_rest_accepted(app, client, enrolled):
    good, bad = tick(enrolled.occurrences[0]), tick("0123456789abcdef0123")
    body = sync(client, enrolled.phone, [bad, good]).get_json()
    assert body["accepted"] == [good["id"]]
    assert body["rejected"] == [
        {
            "id": bad["id"],
            "code": "unknown_occurrence",
            "reason": "This task occurrence is not in any plan given to this client.",
        }
    ]
    assert len(stored(app, enrolled.client_id)) == 1


def test_another_clients_occurrence_is_unknown_here(app, client, enrolled, now):
    from tests.support.phones import make_client

    other = make_client(app, now, clinic_name="Clinic B", protocol="smp-faq")
    body = sync(client, enrolled.phone, [tick(other.occurrences[0])]).get_json()
    assert body["rejected"][0]["code"] == "unknown_occurrence"


def test_more_than_500_events_is_413_and_stores_nothing(app, client, enrolled):
    events = [tick(enrolled.occurrences[0]) for _ in range(501)]
    response = sync(client, enrolled.phone, events)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "batch_too_large"
    assert "at most 500" in response.get_json()["error"]["message"]
    assert stored(app, enrolled.client_id) == []
    assert sync(client, enrolled.phone, events[:500]).status_code == 200


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"action": "maybe"}, "action"),
        ({"at": "2026-03-20T08:00:00"}, "at"),  # no offset: the device must say its zone
        ({"at": "yesterday"}, "at"),
        ({"occurrence": ""}, "occurrence"),
        ({"occurrence": "x" * 33}, "occurrence"),
        ({"occurrence": 12}, "occurrence"),
    ],
)
def test_invalid_events_are_422_with_field_errors_and_change_nothing(
    app, client, enrolled, event, field
):
    good = tick(enrolled.occurrences[0])
    response = sync(client, enrolled.phone, [good, {**tick(enrolled.occurrences[1]), **event}])
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert field in error["fields"]["events"]["1"]
    assert stored(app, enrolled.client_id) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": "lots"}, "events"),
        ({"events": [], "cursor": 5}, "cursor"),
        ({"events": [], "cursor": "Zm9vOjEy"}, "cursor"),  # base64 of "foo:12": not ours
        ({"events": [], "cursor": "!!!"}, "cursor"),
        ({"events": [], "timezone": "Mars/Base"}, "timezone"),
        ({"events": [], "colour": "red"}, "colour"),
    ],
)
def test_invalid_bodies_are_422(client, enrolled, body, field):
    response = client.post("/api/v1/me/sync", json=body, headers=enrolled.phone)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_malformed_json_is_400(client, enrolled):
    response = client.post(
        "/api/v1/me/sync",
        data='{"events": [',
        content_type="application/json",
        headers=enrolled.phone,
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_request"


def test_two_devices_converge_through_the_cursor(client, enrolled):
    phone_events = [tick(o) for o in enrolled.occurrences[:2]]
    phone = sync(client, enrolled.phone, phone_events).get_json()
    tablet = sync(client, enrolled.tablet, [tick(enrolled.occurrences[0], "undone")]).get_json()
    # The tablet's first pull brings the phone's two events and its own.
    assert [e["id"] for e in tablet["events"]][:2] == [e["id"] for e in phone_events]
    assert len(tablet["events"]) == 3
    # The phone, from its cursor, gets only the tablet's event.
    phone_again = sync(client, enrolled.phone, cursor=phone["cursor"]).get_json()
    assert [e["action"] for e in phone_again["events"]] == ["undone"]
    quiet = sync(client, enrolled.phone, cursor=phone_again["cursor"]).get_json()
    assert quiet["events"] == [] and quiet["cursor"] == phone_again["cursor"]


def test_the_pull_is_paged(client, enrolled, monkeypatch):
    monkeypatch.setattr("server.phone.sync.PAGE", 3)
    sync(client, enrolled.phone, [tick(o) for o in enrolled.occurrences[:7]])
    seen, cursor, more = [], None, True
    while more:
        body = sync(client, enrolled.tablet, cursor=cursor).get_json()
        assert len(body["events"]) <= 3
        seen += [e["id"] for e in body["events"]]
        cursor, more = body["cursor"], body["more"]
    assert len(seen) == len(set(seen)) == 7


def test_the_device_time_is_kept_as_the_device_said_it(client, enrolled):
    event = tick(enrolled.occurrences[0], at="2026-03-20T23:30:00.123456-07:00")
    body = sync(client, enrolled.phone, [event]).get_json()
    (echo,) = body["events"]
    assert echo["at"] == "2026-03-20T23:30:00.123-07:00"  # to the millisecond, with its offset
    assert echo["received_at"] == "2026-03-20T12:00:00.000+00:00"  # the server's clock


def test_the_reported_timezone_is_kept_for_the_device_and_client(app, client, enrolled, now):
    sync(client, enrolled.phone, timezone="Asia/Tokyo")
    with app.app_context():
        client_row = db.session.get(Client, enrolled.client_id)
        assert client_row.device_timezone == "Asia/Tokyo" and client_row.device_timezone_at == now
        phone = db.session.scalar(select(Device).where(Device.label == "phone"))
        assert phone.timezone == "Asia/Tokyo" and phone.last_seen_at == now
        assert client_row.timezone == "Europe/London"  # the clinic's setting is not changed


def test_events_survive_a_reschedule_and_late_ticks_on_dropped_occurrences_count(
    app, client, enrolled, now
):
    first = enrolled.occurrences[0]
    sync(client, enrolled.phone, [tick(first)])
    with app.app_context():
        row = db.session.get(Client, enrolled.client_id)
        # Moved, the session's tasks would keep their ids (plans/store.py): removed, they go.
        row.sessions.remove(row.sessions[0])
        db.session.flush()
        rebuild(row, app.extensions["protocols"], now)
        db.session.commit()
        active = db.session.get(PlanOccurrence, (enrolled.client_id, first)).active
    assert active is False
    new_plan = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()
    assert first not in {o["id"] for o in new_plan["occurrences"]}
    # The phone was offline and ticks the old occurrence: the tick is kept, not lost.
    late = sync(client, enrolled.phone, [tick(first, "undone")]).get_json()
    assert late["rejected"] == [] and len(stored(app, enrolled.client_id)) == 2


def test_sync_only_ever_appends(app, client, enrolled):
    occurrence = enrolled.occurrences[0]
    sync(client, enrolled.phone, [tick(occurrence, "done", at="2026-03-20T08:00:00.000Z")])
    sync(client, enrolled.tablet, [tick(occurrence, "undone", at="2026-03-20T08:05:00.000Z")])
    sync(client, enrolled.phone, [tick(occurrence, "done", at="2026-03-20T08:10:00.000Z")])
    assert [row.action for row in stored(app, enrolled.client_id)] == ["done", "undone", "done"]


def test_concurrent_syncs_give_gap_free_sequences_a_reader_never_skips(app, enrolled, monkeypatch):
    """Writers on several connections; a reader following the cursor sees every event."""
    # The reader polls in a tight loop, far faster than a phone: how many times depends on
    # the machine's speed, so rate limits (tests/api/test_rate_limits.py) are off here.
    monkeypatch.setattr(limiter, "enabled", False)
    writers, per_writer = 4, 15
    failures: list = []
    seen: list[str] = []
    done = threading.Event()

    def write(index):
        test_client = app.test_client()
        try:
            for n in range(per_writer):
                occurrence = enrolled.due[(index + n) % len(enrolled.due)]
                response = sync(test_client, enrolled.phone, [tick(occurrence)])
                assert response.status_code == 200, response.get_json()
        except Exception as error:  # reported below; threads cannot fail a test directly
            failures.append(error)

    def read():
        test_client, cursor = app.test_client(), None
        while True:
            finished = done.is_set()
            body = sync(test_client, enrolled.tablet, cursor=cursor).get_json()
            seen.extend(e["id"] for e in body["events"])
            cursor = body["cursor"]
            if finished and not body["more"]:
                return

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    assert failures == []
    rows = stored(app, enrolled.client_id)
    assert [row.seq for row in rows] == list(range(1, writers * per_writer + 1))
    assert sorted(seen) == sorted(str(row.event_id) for row in rows)
    with app.app_context():
        assert db.session.scalar(
            select(Client.event_seq).where(Client.id == enrolled.client_id)
        ) == len(rows)
        assert db.session.scalar(select(func.count()).select_from(TreatmentSession)) == 2


def test_cursors_are_opaque_round_trips():
    from server.domain.sync import decode_cursor

    for seq in (0, 1, 999_999_999):
        assert decode_cursor(encode_cursor(seq)) == seq
    assert decode_cursor(None) == 0
    with pytest.raises(ValueError):
        decode_cursor(str(uuid.uuid4()))


def test_a_client_deleted_during_a_sync_gets_signed_out_not_a_server_error(
    app, client, enrolled, monkeypatch
):
    # The clinic deletes the client after this request checked the device's token, before
    # its sync takes the client's row: the phone must hear "signed out", as on its next try.
    real_lock = server.phone.sync.lock_client

    def deleted_meanwhile(client_id):
        with db.engine.begin() as other:
            other.execute(Client.__table__.delete().where(Client.id == client_id))
        return real_lock(client_id)

    monkeypatch.setattr("server.phone.sync.lock_client", deleted_meanwhile)
    response = sync(client, enrolled.phone, [tick(enrolled.occurrences[0])])
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="aftercue"'
    assert stored(app, enrolled.client_id) == []


def future_occurrence(client, headers) -> dict:
    """A task of the session 25 days ahead (London is on summer time by then)."""
    plan = client.get("/api/v1/me/plan", headers=headers).get_json()
    return next(o for o in plan["occurrences"] if o["date"] == "2026-04-15")


def test_a_tick_made_before_its_task_s_day_is_refused(app, client, enrolled):
    future = future_occurrence(client, enrolled.phone)
    body = sync(client, enrolled.phone, [tick(future["id"])]).get_json()
    assert body["accepted"] == []
    [rejected] = body["rejected"]
    assert rejected["code"] == "not_yet_due"
    assert stored(app, enrolled.client_id) == []


def test_a_tick_up_to_a_day_early_is_taken_for_a_phone_clock_that_is_off(app, client, enrolled):
    # 15 April begins at 23:00 UTC on the 14th in London: a day before that is the limit.
    future = future_occurrence(client, enrolled.phone)
    too_early = tick(future["id"], at="2026-04-13T23:59:59.999+01:00")
    just_in_time = tick(future["id"], at="2026-04-14T00:00:00.000+01:00")
    body = sync(client, enrolled.phone, [too_early, just_in_time]).get_json()
    assert [r["code"] for r in body["rejected"]] == ["not_yet_due"]
    assert body["accepted"] == [just_in_time["id"]]
