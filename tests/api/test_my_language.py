"""PUT /api/v1/me/language: the client reads their plan in their own language.

Only the words change: the plan is rebuilt from the same protocol version, its occurrence ids
and the client's ticks stay, and a text the translation lacks is shown in the protocol's first
language, with a warning the clinic sees.
"""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Client
from server.plans.registry import Registry
from server.plans.store import rebuild
from tests.support.phones import make_client, tick

URL = "/api/v1/me/language"
SHIPPED = Path(__file__).parents[2] / "protocols"


@pytest.fixture
def enrolled(app, now):
    return make_client(app, now)  # scalp-nation, claimed in en, ar and es


def plan_of(client, enrolled) -> dict:
    return client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()


def bundle_of(client, plan: dict) -> dict:
    query = f"version={plan['bundle_version']}&language={plan['language']}"
    return client.get(f"/api/v1/protocols/{plan['protocol_id']}?{query}").get_json()


def audited(app) -> list[tuple[str, dict]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.detail) for e in entries if e.action.startswith("app.")]


def test_a_client_who_chooses_arabic_gets_arabic_texts(app, client, enrolled):
    before = plan_of(client, enrolled)
    assert before["language"] == "en"

    response = client.put(URL, json={"language": "ar"}, headers=enrolled.phone)

    assert response.status_code == 200 and response.get_json()["language"] == "ar"
    plan = plan_of(client, enrolled)
    assert plan["language"] == "ar"
    assert plan["bundle_version"] == before["bundle_version"], "the same version, in Arabic"
    assert plan["questions"][0]["label"] == "كيف تصفّف شعرك عادةً؟"
    assert "يمكنك الحلاقة من جديد" in {m["text"] for m in plan["milestones"]}
    assert "translation_missing" not in {w["code"] for w in plan["warnings"]}
    bundle = bundle_of(client, plan)
    assert bundle["language"] == "ar" and bundle["translation_missing"] == []
    tasks = {task["id"]: task for task in bundle["tasks"]}
    assert tasks["cleanse"]["title"] == "تنظيف فروة الرأس"
    assert tasks["balm"]["product"] == "Micro Balm 5.5 SMP", "product names in Latin letters"
    assert tasks["balm"]["after"] == "cleanse" and "translations" not in bundle
    assert audited(app) == [("app.language", {"language": "ar", "was": None})]


def test_ticks_survive_a_change_of_language(app, client, enrolled):
    ids = [o["id"] for o in plan_of(client, enrolled)["occurrences"]]
    synced = client.post(
        "/api/v1/me/sync", json={"events": [tick(ids[0])], "cursor": None}, headers=enrolled.phone
    )
    assert synced.get_json()["accepted"]

    client.put(URL, json={"language": "es"}, headers=enrolled.phone)
    client.put(URL, json={"language": "ar"}, headers=enrolled.phone)

    after = plan_of(client, enrolled)
    assert [o["id"] for o in after["occurrences"]] == ids, "occurrence ids never hold words"
    pulled = client.post("/api/v1/me/sync", json={"cursor": None}, headers=enrolled.tablet)
    assert [e["occurrence"] for e in pulled.get_json()["events"]] == [ids[0]]


def test_choosing_the_same_language_again_changes_nothing(app, client, enrolled):
    client.put(URL, json={"language": "es"}, headers=enrolled.phone)
    plan = plan_of(client, enrolled)
    with app.app_context():
        built = db.session.get(Client, enrolled.client_id).plan.built_at

    again = client.put(URL, json={"language": "es"}, headers=enrolled.tablet)

    assert again.status_code == 200
    assert plan_of(client, enrolled)["version"] == plan["version"]
    with app.app_context():
        assert db.session.get(Client, enrolled.client_id).plan.built_at == built
    assert len(audited(app)) == 1


def test_null_goes_back_to_the_protocols_own_language(client, enrolled):
    client.put(URL, json={"language": "ar"}, headers=enrolled.phone)
    response = client.put(URL, json={"language": None}, headers=enrolled.phone)
    assert response.get_json()["language"] is None
    assert plan_of(client, enrolled)["language"] == "en"


@pytest.mark.parametrize(
    ("language", "problem"),
    [("fr", "Not one of this protocol's languages (en, ar, es)."), ("Arabic", "language code")],
)
def test_a_language_the_protocol_does_not_offer_is_refused(client, enrolled, language, problem):
    plan = plan_of(client, enrolled)
    response = client.put(URL, json={"language": language}, headers=enrolled.phone)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields" and problem in error["fields"]["language"][0]
    assert plan_of(client, enrolled)["version"] == plan["version"]


def test_a_missing_translation_falls_back_and_the_clinic_is_told(app, client, now, tmp_path):
    shutil.copytree(SHIPPED, tmp_path, dirs_exist_ok=True)
    overlay = tmp_path / "scalp-nation.ar.toml"
    overlay.write_text(overlay.read_text().replace('title = "تنظيف فروة الرأس"\n', ""))
    app.extensions["protocols"] = Registry(tmp_path)
    enrolled = make_client(app, now)

    client.put(URL, json={"language": "ar"}, headers=enrolled.phone)

    plan = plan_of(client, enrolled)
    cleanse = {t["id"]: t for t in bundle_of(client, plan)["tasks"]}["cleanse"]
    assert cleanse["title"] == "Cleanse your scalp", "the first language's, never blank"
    assert cleanse["how"].startswith("اغسل يديك")
    [warning] = [w for w in plan["warnings"] if w["code"] == "translation_missing"]
    assert warning["message"] == (
        "1 of this protocol's texts are not translated into Arabic yet, so the client sees "
        "them in English: tasks.cleanse.title."
    )


def test_a_language_the_protocol_no_longer_offers_is_served_in_its_first(app, client, enrolled):
    with app.app_context():
        stored = db.session.get(Client, enrolled.client_id)
        stored.language = "fr"  # say, a protocol that dropped a translation since
        rebuild(stored, app.extensions["protocols"], stored.plan.built_at)
        db.session.commit()
    plan = plan_of(client, enrolled)
    assert plan["language"] == "en"
    assert {w["code"]: w["message"] for w in plan["warnings"]}["translation_missing"] == (
        "This protocol has no French translation: the client sees it in English."
    )
