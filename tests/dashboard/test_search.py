"""The list's search: accents, case and phone formatting never hide a client (both databases)."""

import pytest
from sqlalchemy import select, text

from server.extensions import db
from server.models import Client
from tests.support.clinics import add_client


def named(app, client_id: int, name: str, contact: str | None) -> None:
    with app.app_context():
        client = db.session.get(Client, client_id)
        client.name, client.contact = name, contact
        db.session.commit()


def rows(page: str) -> int:
    return page.count('<th scope="row"')


@pytest.mark.parametrize(
    ("query", "name", "contact"),
    [
        ("07700 900107", "Sam Taylor", "+44 7700 900107"),
        ("nguyen", "Nguyễn Văn An", None),
        ("NGUYỄN", "Nguyen Van An", None),
        ("MULLER", "Jonas Müller", "jonas@example.com"),
        ("muller", "Jonas Müller", None),
        ("mueller", "Jonas Müller", None),
        ("JONAS@EXAMPLE", "Jonas", "jonas@example.com"),
    ],
)
def test_the_search_ignores_accents_case_and_phone_formatting(
    app, world, now, clinician_a, query, name, contact
):
    add_client(app, now, world.a.clinic_id, "Someone else", session_days=(9,))
    named(app, world.a.client_id, name, contact)
    page = clinician_a.get("/clinic/", query_string={"q": query}).text
    assert rows(page) == 1 and name in page.replace("&#39;", "'"), query


def test_search_columns_follow_an_edit_of_name_or_contact(app, world, now, clinician_a):
    named(app, world.a.client_id, "Zoë", "+44 7700 900107")
    assert rows(clinician_a.get("/clinic/?q=zoe").text) == 1
    named(app, world.a.client_id, "Sam", "020 7946 0000")
    assert rows(clinician_a.get("/clinic/?q=zoe").text) == 0
    assert rows(clinician_a.get("/clinic/?q=07700").text) == 0
    assert rows(clinician_a.get("/clinic/?q=%28020%29+7946-0000").text) == 1


@pytest.mark.parametrize("query", ["%", "_", "S%m", "\\", "S_m"])
def test_the_search_is_literal(app, world, clinician_a, query):
    assert rows(clinician_a.get("/clinic/", query_string={"q": query}).text) == 0


def test_another_clinic_s_client_is_never_found(app, world, clinician_a):
    assert rows(clinician_a.get("/clinic/?q=kim").text) == 0


def test_the_migration_folds_existing_clients(app, runner, world):
    """Clients stored before the search columns existed are found after the upgrade."""
    assert runner.invoke(args=["db", "downgrade", "f7a9b1c3d5e7"]).exit_code == 0
    with app.app_context():
        db.session.execute(
            text("UPDATE clients SET name = :name, contact = :contact WHERE id = :id"),
            {"name": "Jonas Müller", "contact": "+44 7700 900107", "id": world.a.client_id},
        )
        db.session.commit()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        stored = db.session.execute(
            select(Client.search_text, Client.search_phone).where(Client.id == world.a.client_id)
        ).one()
    assert stored == ("jonas muller\njonas mueller\n+44 7700 900107", "447700900107")
