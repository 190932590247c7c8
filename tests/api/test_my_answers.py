"""PUT /api/v1/me/answers: the client answers what only they know, and the plan follows.

A 7 Derma client the clinic left both questions for: until they answer, the plan is drawn from
the defaults (a shaved man: oil from day 2, a week between sessions), and the plan says so.
"""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Client, PlanOccurrence
from tests.support.phones import make_client, tick

URL = "/api/v1/me/answers"
WOMAN_LONG = {"hair_length": "long", "gender": "woman"}


@pytest.fixture
def asked(app, now):
    """A seven-derma client with no answers; sessions ten days apart (too close for a woman)."""
    return make_client(app, now, protocol="seven-derma", answers={}, days=(-3, 7))


def plan_of(client, enrolled) -> dict:
    return client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()


def tasks(plan: dict) -> set[str]:
    return {o["task"] for o in plan["occurrences"]}


def warnings(plan: dict) -> set[str]:
    return {w["code"] for w in plan["warnings"]}


def audited(app) -> list[tuple[str, dict]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.detail) for e in entries if e.action.startswith("app.")]


def test_the_plan_says_which_questions_are_unanswered_and_what_it_assumes(client, asked):
    plan = plan_of(client, asked)
    assert [(q["id"], q["answer"], q["planned"]) for q in plan["questions"]] == [
        ("hair_length", None, "shaved"),
        ("gender", None, "man"),
    ]
    hair = plan["questions"][0]
    assert hair["label"] == "How do you wear your hair?"
    assert {"value": "long", "label": "Medium or long"} in hair["options"]
    assert plan["answers"] == {"hair_length": "shaved", "gender": "man"}
    assert client.get("/api/v1/me", headers=asked.phone).get_json()["answers"] == {}


def test_answering_rebuilds_the_plan_for_a_long_haired_woman(app, client, asked):
    before = plan_of(client, asked)
    assert "oil" in tasks(before) and "oil-mask" not in tasks(before)
    assert "spacing_too_short" not in warnings(before)  # a man may come back after a week

    response = client.put(URL, json={"answers": WOMAN_LONG}, headers=asked.phone)

    assert response.status_code == 200
    assert response.get_json()["answers"] == WOMAN_LONG
    after = plan_of(client, asked)
    assert after["version"] != before["version"]
    assert "oil" not in tasks(after) and "oil-mask" in tasks(after)
    assert "spacing_too_short" in warnings(after)  # a woman's scalp needs two weeks
    assert [(q["answer"], q["planned"]) for q in after["questions"]] == [
        ("long", "long"),
        ("woman", "woman"),
    ]
    assert audited(app) == [("app.answers", {"questions": ["gender", "hair_length"]})]


def test_a_ticked_task_keeps_its_occurrence_and_its_tick(app, client, asked):
    washes = [o for o in plan_of(client, asked)["occurrences"] if o["task"] == "wash-water"]
    ticked = washes[0]["id"]
    synced = client.post(
        "/api/v1/me/sync", json={"events": [tick(ticked)], "cursor": None}, headers=asked.phone
    )
    assert synced.get_json()["accepted"]

    assert client.put(URL, json={"answers": WOMAN_LONG}, headers=asked.phone).status_code == 200

    after = plan_of(client, asked)
    assert ticked in {o["id"] for o in after["occurrences"]}
    assert [o["id"] for o in after["occurrences"] if o["task"] == "wash-water"] == [
        o["id"] for o in washes
    ]
    with app.app_context():
        oil = db.session.scalars(
            select(PlanOccurrence.active).where(PlanOccurrence.task_id == "oil")
        ).all()
        assert oil and not any(oil)  # dropped from the plan, kept in the history
    pulled = client.post("/api/v1/me/sync", json={"cursor": None}, headers=asked.tablet)
    assert [e["occurrence"] for e in pulled.get_json()["events"]] == [ticked]


def test_questions_left_out_keep_their_answers(client, asked):
    client.put(URL, json={"answers": {"hair_length": "long"}}, headers=asked.phone)
    response = client.put(URL, json={"answers": {"gender": "woman"}}, headers=asked.phone)
    assert response.get_json()["answers"] == {"hair_length": "long", "gender": "woman"}
    plan = plan_of(client, asked)
    assert [q["answer"] for q in plan["questions"]] == ["long", "woman"]


def test_sending_the_same_answers_again_changes_nothing(app, client, asked):
    client.put(URL, json={"answers": WOMAN_LONG}, headers=asked.phone)
    plan = plan_of(client, asked)
    with app.app_context():
        built = db.session.get(Client, asked.client_id).plan.built_at

    again = client.put(URL, json={"answers": WOMAN_LONG}, headers=asked.tablet)

    assert again.status_code == 200
    assert plan_of(client, asked)["version"] == plan["version"]
    with app.app_context():
        assert db.session.get(Client, asked.client_id).plan.built_at == built
    assert len(audited(app)) == 1


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"favourite_colour": "blue"}, "unknown question(s): favourite_colour"),
        ({"hair_length": "purple"}, "hair_length: 'purple' is not one of long, shaved, short"),
        ({"gender": "woman", "hair_length": "purple"}, "hair_length: 'purple'"),
    ],
)
def test_an_unknown_question_or_option_is_refused_and_nothing_changes(
    app, client, asked, answers, problem
):
    plan = plan_of(client, asked)

    response = client.put(URL, json={"answers": answers}, headers=asked.phone)

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert list(error["fields"]) == ["answers"] and problem in error["fields"]["answers"][0]
    assert plan_of(client, asked)["version"] == plan["version"]
    with app.app_context():
        assert db.session.get(Client, asked.client_id).answers == {}
    assert audited(app) == []


@pytest.mark.parametrize(
    "body",
    [{}, {"answers": None}, {"answers": {"gender": None}}, {"answers": ["woman"]}],
)
def test_a_body_that_is_not_answers_is_refused(client, asked, body):
    response = client.put(URL, json=body, headers=asked.phone)
    assert response.status_code == 422
    assert "answers" in response.get_json()["error"]["fields"]


def test_a_device_answers_only_for_its_own_client(app, client, asked, now):
    other = make_client(app, now, clinic_name="Clinic B", protocol="seven-derma", answers={})

    assert client.put(URL, json={"answers": WOMAN_LONG}, headers=other.phone).status_code == 200

    assert [q["answer"] for q in plan_of(client, asked)["questions"]] == [None, None]
    assert [q["answer"] for q in plan_of(client, other)["questions"]] == ["long", "woman"]
    stranger = {"Authorization": "Bearer " + "x" * 43}
    refused = client.put(URL, json={"answers": WOMAN_LONG}, headers=stranger)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"


def test_the_clinic_may_leave_a_question_for_the_client_and_take_it_back(clinician):
    created = clinician.post(
        "/api/v1/clinic/clients",
        json={"name": "Noor", "timezone": "Europe/London", "protocol_id": "seven-derma"},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["answers"] == {} and body["unanswered"] == ["hair_length", "gender"]
    assert body["plan"]["answers"] == {"hair_length": "shaved", "gender": "man"}
    url = f"/api/v1/clinic/clients/{body['id']}"
    patched = clinician.patch(url, json={"answers": {"gender": "woman"}}).get_json()
    assert patched["answers"] == {"gender": "woman"} and patched["unanswered"] == ["hair_length"]
    assert patched["plan"]["answers"] == {"hair_length": "shaved", "gender": "woman"}
    # null hands a question back to the client; one left out keeps its answer
    patched = clinician.patch(url, json={"answers": {"hair_length": "long"}}).get_json()
    assert patched["answers"] == {"hair_length": "long", "gender": "woman"}
    cleared = clinician.patch(url, json={"answers": {"gender": None}}).get_json()
    assert cleared["answers"] == {"hair_length": "long"} and cleared["unanswered"] == ["gender"]
