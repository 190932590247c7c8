"""POST /api/v1/me/checkins: each check-in stored once by its phone-made id, red flags
decided on the server as on the phone, and bad input refused whole with nothing stored."""

import uuid

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import CheckinAnswer, Client, PlanOccurrence
from tests.support.phones import make_client

CALM = {
    "redness": "fading",
    "swelling": "no",
    "oozing": "none",
    "pain": 2,
    "fever": "no",
    "itching": "yes",
}


def checkin_occurrences(app, client_id):
    """The client's check-in occurrences with their day after the session, in date order."""
    with app.app_context():
        return list(
            db.session.execute(
                select(PlanOccurrence.occurrence_id, PlanOccurrence.anchor_day)
                .where(PlanOccurrence.client_id == client_id, PlanOccurrence.task_id == "checkin")
                .order_by(PlanOccurrence.due_start)
            )
        )


def answer(occurrence, answers=None, checkin_id=None, at="2026-03-20T19:00:00.000+00:00"):
    return {
        "id": checkin_id or str(uuid.uuid4()),
        "occurrence": occurrence,
        "answers": {**CALM, **(answers or {})},
        "at": at,
    }


def send(client, headers, *checkins):
    return client.post("/api/v1/me/checkins", json={"checkins": list(checkins)}, headers=headers)


def stored(app, client_id):
    with app.app_context():
        return list(
            db.session.execute(
                select(CheckinAnswer.checkin_id, CheckinAnswer.answers, CheckinAnswer.red_flags)
                .where(CheckinAnswer.client_id == client_id)
                .order_by(CheckinAnswer.id)
            )
        )


def test_a_checkin_is_stored_with_the_red_flags_it_raises(app, client, enrolled):
    (occurrence, day), *_ = checkin_occurrences(app, enrolled.client_id)
    sent = answer(occurrence, {"oozing": "pus", "pain": 8})
    response = send(client, enrolled.phone, sent)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checkins"] == [
        {
            "id": sent["id"],
            "occurrence": occurrence,
            "day": day,
            "red_flags": ["pus", "strong-pain"],
        }
    ]
    ((checkin_id, answers, flags),) = stored(app, enrolled.client_id)
    assert (str(checkin_id), answers, flags) == (
        sent["id"],
        sent["answers"],
        ["pus", "strong-pain"],
    )


def test_a_resend_is_answered_the_same_and_stored_once(app, client, enrolled):
    (occurrence, _), *_ = checkin_occurrences(app, enrolled.client_id)
    sent = answer(occurrence, {"fever": "yes"})
    first = send(client, enrolled.phone, sent).get_json()
    again = send(client, enrolled.tablet, sent, sent).get_json()  # the reply was lost
    assert again["checkins"] == first["checkins"] * 2
    assert len(stored(app, enrolled.client_id)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"answers": {**CALM, "pain": 3}},
        {"at": "2026-03-20T20:00:00.000+01:00"},  # the same instant, another offset
    ],
)
def test_the_same_id_with_other_answers_is_a_conflict(app, client, enrolled, change):
    (occurrence, _), *_ = checkin_occurrences(app, enrolled.client_id)
    sent = answer(occurrence)
    send(client, enrolled.phone, sent)
    response = send(client, enrolled.phone, {**sent, **change})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "checkin_conflict"
    assert [row.answers for row in stored(app, enrolled.client_id)] == [CALM]


def test_red_flags_wait_for_their_day(app, client, enrolled):
    """'Redness still spreading' raises from day 4 on: the server reads the day from its plan."""
    occurrences = checkin_occurrences(app, enrolled.client_id)
    early = next(o for o, day in occurrences if day <= 3)
    late = next(o for o, day in occurrences if day >= 4)
    body = send(
        client,
        enrolled.phone,
        answer(early, {"redness": "spreading"}),
        answer(late, {"redness": "spreading"}),
    ).get_json()
    assert [c["red_flags"] for c in body["checkins"]] == [[], ["spreading-redness"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {**CALM, "mood": "fine"}}, "checkins.1.answers"),
        ({"answers": {**CALM, "pain": 11}}, "checkins.1.answers"),
        ({"answers": {**CALM, "pain": -1}}, "checkins.1.answers"),
        ({"answers": {**CALM, "fever": "maybe"}}, "checkins.1.answers"),
        ({"answers": {k: v for k, v in CALM.items() if k != "fever"}}, "checkins.1.answers"),
        ({"occurrence": "0123456789abcdef0123"}, "checkins.1.occurrence"),
    ],
)
def test_bad_input_is_refused_whole_and_nothing_is_stored(app, client, enrolled, change, field):
    (first, _), (second, _), *_ = checkin_occurrences(app, enrolled.client_id)
    response = send(client, enrolled.phone, answer(first), {**answer(second), **change})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields" and field in error["fields"]
    assert stored(app, enrolled.client_id) == []


@pytest.mark.parametrize(
    "answers",
    [
        {**CALM, "pain": True},
        {**CALM, "pain": 2.5},
        {**CALM, "oozing": {"a": 1}},
        {**CALM, "x" * 64: "no"},
    ],
)
def test_answers_of_the_wrong_shape_are_refused_by_the_schema(app, client, enrolled, answers):
    (occurrence, _), *_ = checkin_occurrences(app, enrolled.client_id)
    response = send(
        client, enrolled.phone, answer(occurrence, checkin_id=None) | {"answers": answers}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_fields"
    assert stored(app, enrolled.client_id) == []


def test_another_clients_checkin_is_unknown(app, client, enrolled, now):
    # Another course: occurrence ids name protocol, task, date and slot, not the client.
    other = make_client(app, now, clinic_name="Clinic B", protocol="smp-faq", days=(-2, 20))
    (theirs, _), *_ = checkin_occurrences(app, other.client_id)
    assert theirs not in {o for o, _ in checkin_occurrences(app, enrolled.client_id)}
    response = send(client, enrolled.phone, answer(theirs))
    assert response.status_code == 422
    assert "checkins.0.occurrence" in response.get_json()["error"]["fields"]
    assert stored(app, enrolled.client_id) == stored(app, other.client_id) == []


def test_a_tick_occurrence_is_not_a_checkin(app, client, enrolled):
    with app.app_context():
        cleanse = db.session.scalar(
            select(PlanOccurrence.occurrence_id).where(
                PlanOccurrence.client_id == enrolled.client_id, PlanOccurrence.task_id == "cleanse"
            )
        )
    response = send(client, enrolled.phone, answer(cleanse))
    assert response.status_code == 422
    assert stored(app, enrolled.client_id) == []


def test_checkins_go_with_the_client(app, client, enrolled):
    (occurrence, _), *_ = checkin_occurrences(app, enrolled.client_id)
    send(client, enrolled.phone, answer(occurrence))
    with app.app_context():
        db.session.delete(db.session.get(Client, enrolled.client_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(CheckinAnswer)) == 0


def test_the_export_holds_the_clients_checkins(app, client, enrolled):
    (occurrence, day), *_ = checkin_occurrences(app, enrolled.client_id)
    sent = answer(occurrence, {"pain": 9}, at="2026-03-20T21:00:00.000+02:00")
    send(client, enrolled.phone, sent)
    [exported] = client.get("/api/v1/me/export", headers=enrolled.phone).get_json()[
        "checkin_answers"
    ]
    assert exported["checkin_id"] == sent["id"] and exported["day"] == day
    assert exported["answers"] == sent["answers"] and exported["red_flags"] == ["strong-pain"]
    assert exported["device_at"] == "2026-03-20T21:00:00+02:00"
