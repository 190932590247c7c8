"""The clinic sets a client's language when adding them, or later; the plan follows it."""

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Clinic
from server.plans.translations import default_language
from tests.support.clinics import CLIENTS_URL, NEW


def test_a_client_added_in_arabic_gets_an_arabic_plan(client, clinician):
    response = clinician.post(CLIENTS_URL, json={**NEW, "language": "ar"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["language"] == "ar"
    assert body["protocol"]["languages"] == ["en", "ar", "es"]
    token = client.post("/api/v1/enroll", json={"code": body["enrollment"]["code"]})
    phone = {"Authorization": f"Bearer {token.get_json()['token']}"}
    plan = client.get("/api/v1/me/plan", headers=phone).get_json()
    assert plan["language"] == "ar"
    assert plan["questions"][0]["label"] == "كيف تصفّف شعرك عادةً؟"
    assert client.get("/api/v1/me", headers=phone).get_json()["language"] == "ar"


def test_without_a_language_a_client_reads_the_protocols_own(clinician):
    body = clinician.post(CLIENTS_URL, json=NEW).get_json()
    assert body["language"] is None
    assert body["plan"]["version"]


def test_the_clinic_changes_a_clients_language_and_it_is_audited(app, clinician):
    created = clinician.post(CLIENTS_URL, json=NEW).get_json()
    url = f"{CLIENTS_URL}/{created['id']}"

    changed = clinician.patch(url, json={"language": "es"})

    assert changed.status_code == 200 and changed.get_json()["language"] == "es"
    assert changed.get_json()["plan"]["version"] != created["plan"]["version"]
    with app.app_context():
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (last.action, last.detail) == ("client.update", {"fields": ["language"]})


def test_a_language_the_protocol_does_not_offer_is_refused(clinician):
    response = clinician.post(CLIENTS_URL, json={**NEW, "language": "fr"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "language": ["Not one of this protocol's languages (en, ar, es)."]
    }


def clinic_speaks(app, world, language: str) -> None:
    with app.app_context():
        db.session.get(Clinic, world.a.clinic_id).language = language
        db.session.commit()


def test_a_new_client_gets_the_clinics_language_unless_one_is_chosen(app, world, clinician):
    clinic_speaks(app, world, "es")
    assert clinician.post(CLIENTS_URL, json=NEW).get_json()["language"] == "es"
    chosen = clinician.post(CLIENTS_URL, json={**NEW, "language": "ar"}).get_json()
    assert chosen["language"] == "ar"
    # null is a choice too: the protocol's own language.
    assert (
        clinician.post(CLIENTS_URL, json={**NEW, "language": None}).get_json()["language"] is None
    )
    clinic_speaks(app, world, "en")  # the protocol's own: nothing to store
    assert clinician.post(CLIENTS_URL, json=NEW).get_json()["language"] is None


def test_the_clinics_language_is_a_default_only_where_the_protocol_has_it():
    assert default_language("es", ["en", "ar", "es"]) == "es"
    assert default_language("ar", ["en", "es"]) is None  # not offered: the protocol's own
    assert default_language("en", ["en", "ar"]) is None  # the protocol's own already
    assert default_language("es", ["es", "en"]) is None
