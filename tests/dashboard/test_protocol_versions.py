"""Protocol versions that move: a corrected protocol file reaches new clients at once, and the
clients an admin moves; everyone else stays on the version their plan was built from."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from server.clinic import versions
from server.clinic.adherence import done_ids
from server.extensions import db
from server.models import AuditEntry, Client, Clinician, Plan, PlanOccurrence, ProtocolBundle
from server.plans.bundles import pinned_bundle
from server.plans.registry import Registry
from tests.support.clinics import PASSWORD, add_client, tick_all
from tests.support.protocol_edits import copy_shipped, lengthen, shipped_version

PAGE = "/clinic/admin/protocols"
SHIPPED = shipped_version("scalp-nation")  # the version label the world's clients are on
MOVE = "/clinic/admin/protocols/scalp-nation/move"


@pytest.fixture
def protocols(app, tmp_path):
    """The server reads a copy of the shipped protocols, checked on every access."""
    folder = copy_shipped(tmp_path / "protocols")
    app.extensions["protocols"] = Registry(folder, recheck_seconds=0)
    return folder


@pytest.fixture
def world(protocols, world):
    """Both clinics, built on the copy (their clients on scalp-nation's shipped version)."""
    return world


@pytest.fixture
def corrected(app, protocols):
    """Scalp Nation's no-shaving ban made two days longer, as version 2099.1: its bundle."""
    lengthen(protocols / "scalp-nation.toml", "no-shaving", 2, "2099.1")
    return app.extensions["protocols"].get("scalp-nation").bundle_version


def bundle_of(app, client_id):
    with app.app_context():
        return db.session.get(Plan, client_id).bundle_version


def counts(page_text, bundle):
    """The clients count shown on the version row of `bundle`."""
    row = page_text.split(f'data-bundle="{bundle}"', 1)[1]
    return int(row.split('class="clients-count">', 1)[1].split("<", 1)[0])


def test_a_new_client_gets_the_corrected_version_and_enrolled_ones_keep_theirs(
    app, world, now, corrected
):
    before = bundle_of(app, world.a.client_id)
    assert before != corrected
    later = add_client(app, now, world.a.clinic_id, "Lee")
    assert bundle_of(app, later) == corrected
    with app.app_context():
        client = db.session.get(Client, world.a.client_id)
        assert pinned_bundle(client, app.extensions["protocols"]).version == before


def test_the_page_counts_the_clinics_clients_per_version(app, world, now, admin_a, corrected):
    old = bundle_of(app, world.a.client_id)
    add_client(app, now, world.a.clinic_id, "Lee")  # on the corrected version
    add_client(app, now, world.b.clinic_id, "Other clinic's")  # not counted for A
    page = admin_a.get(PAGE)
    assert page.status_code == 200
    assert "Newest version: <strong>2099.1</strong>" in page.text
    assert counts(page.text, old) == 1 and counts(page.text, corrected) == 1
    assert "Kim" not in page.text and "Other clinic" not in page.text
    assert f'name="client" value="{world.a.client_id}"' in page.text
    assert "<li>Restriction “No shaving”: when changed</li>" in page.text


def test_moving_a_client_rebuilds_the_plan_keeps_ticks_and_audits(
    app, world, now, admin_a, corrected
):
    old = bundle_of(app, world.a.client_id)
    tick_all(app, world.a.client_id, now)
    with app.app_context():
        ticked = done_ids(world.a.client_id)
    assert len(ticked) >= 4
    moved = admin_a.post(MOVE, {"to": corrected, "client": [str(world.a.client_id)]})
    assert moved.status_code == 302
    assert bundle_of(app, world.a.client_id) == corrected
    assert bundle_of(app, world.b.client_id) == old, "another clinic's client stays"
    with app.app_context():
        assert done_ids(world.a.client_id) == ticked
        active = set(
            db.session.scalars(
                select(PlanOccurrence.occurrence_id).where(
                    PlanOccurrence.client_id == world.a.client_id, PlanOccurrence.active
                )
            )
        )
        assert ticked <= active, "every ticked occurrence is still on the plan"
        plan = db.session.get(Plan, world.a.client_id).content
        lifted = [m for m in plan["milestones"] if m["restriction"] == "no-shaving"]
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "client.protocol_version")
        ).all()
    first_session_end = now - timedelta(days=3)
    assert (
        min(m["date"] for m in lifted) == (first_session_end + timedelta(days=6)).date().isoformat()
    )
    assert [(e.client_id, e.detail) for e in entries] == [
        (
            world.a.client_id,
            {
                "protocol_id": "scalp-nation",
                "version": [SHIPPED, "2099.1"],
                "bundle": [old, corrected],
            },
        )
    ]
    page = admin_a.get(PAGE)
    assert counts(page.text, corrected) == 1 and f'data-bundle="{old}"' not in page.text


def test_all_on_one_version_move_together_and_only_the_clinics_own(
    app, world, now, admin_a, corrected
):
    old = bundle_of(app, world.a.client_id)
    lee = add_client(app, now, world.a.clinic_id, "Lee")
    with app.app_context():  # Lee back on the old version, as if added before the fix
        db.session.get(Plan, lee).bundle_version = old
        db.session.commit()
    moved = admin_a.post(MOVE, {"to": corrected, "from": old})
    assert moved.status_code == 302
    assert bundle_of(app, world.a.client_id) == bundle_of(app, lee) == corrected
    assert bundle_of(app, world.b.client_id) == old
    assert "Moved 2 clients to the newest version." in admin_a.get(PAGE).text


def test_another_clinics_client_cannot_be_moved(app, world, admin_a, corrected):
    old = bundle_of(app, world.b.client_id)
    chosen = [str(world.a.client_id), str(world.b.client_id)]
    refused = admin_a.post(MOVE, {"to": corrected, "client": chosen})
    assert refused.status_code == 404
    assert bundle_of(app, world.b.client_id) == old
    assert bundle_of(app, world.a.client_id) == old, "nothing moves when one is refused"


def test_a_clinician_who_is_not_an_admin_cannot_see_or_move(app, world, clinician_a, corrected):
    old = bundle_of(app, world.a.client_id)
    assert clinician_a.get(PAGE).status_code == 403
    refused = clinician_a.post(MOVE, {"to": corrected, "client": [str(world.a.client_id)]})
    assert refused.status_code == 403
    assert bundle_of(app, world.a.client_id) == old


def test_a_move_to_a_version_the_file_no_longer_has_is_refused(
    app, world, admin_a, protocols, corrected
):
    lengthen(protocols / "scalp-nation.toml", "no-shaving", 1, "2099.2")
    refused = admin_a.post(MOVE, {"to": corrected, "client": [str(world.a.client_id)]})
    assert refused.status_code == 409
    assert "changed again since this page was shown" in refused.text
    assert bundle_of(app, world.a.client_id) not in (corrected,)


def test_a_broken_file_keeps_the_last_good_version_for_new_clients_and_says_so(
    app, world, now, admin_a, protocols, corrected
):
    (protocols / "scalp-nation.toml").write_text('id = "scalp-nation"\ntitle = [', "utf-8")
    assert bundle_of(app, add_client(app, now, world.a.clinic_id, "Lee")) == corrected
    page = admin_a.get(PAGE)
    assert "scalp-nation.toml: (file): not valid TOML" in page.text
    assert "Newest version: <strong>2099.1</strong>" in page.text


def test_the_clients_page_says_a_newer_version_is_available(app, world, admin_a, corrected):
    page = admin_a.get(f"/clinic/clients/{world.a.client_id}")
    assert "Scalp Nation" in page.text
    assert f"version {SHIPPED} — <strong>newer version 2099.1 available</strong>" in page.text
    admin_a.post(MOVE, {"to": corrected, "client": [str(world.a.client_id)]})
    page = admin_a.get(f"/clinic/clients/{world.a.client_id}")
    assert "version 2099.1</dd>" in page.text and "newer version" not in page.text


def test_a_longer_task_keeps_every_occurrence_id_it_had_and_gains_days(
    app, world, now, admin_a, protocols
):
    def occurrences():
        with app.app_context():
            plan = db.session.get(Plan, world.a.client_id).content
            return {(o["task"], o["date"], o["slot"]): o["id"] for o in plan["occurrences"]}

    before = occurrences()
    lengthen(protocols / "scalp-nation.toml", "cleanse", 2, "2099.1")
    newest = app.extensions["protocols"].get("scalp-nation").bundle_version
    admin_a.post(MOVE, {"to": newest, "client": [str(world.a.client_id)]})
    after = occurrences()
    assert before.items() <= after.items(), "same task, day and slot: same id"
    added = {(task, day) for task, day, _ in after.keys() - before.keys()}
    assert {task for task, _ in added} == {"cleanse"}, "balm keeps its own window"
    assert len({day for _, day in added}) == 4, "two more days after each of two sessions"


def test_an_edit_that_keeps_the_version_label_is_still_told_apart(app, world, admin_a, protocols):
    lengthen(protocols / "scalp-nation.toml", "no-shaving", 2, SHIPPED)
    newest = app.extensions["protocols"].get("scalp-nation").bundle_version
    old = bundle_of(app, world.a.client_id)
    page = admin_a.get(f"/clinic/clients/{world.a.client_id}")
    assert (
        f"version {SHIPPED} ({old}) — <strong>newer version {SHIPPED} (edited {newest})"
        in page.text
    )


def test_each_server_process_notices_the_change_itself_and_they_share_one_bundle(
    app, world, now, make_app, protocols
):
    processes = [make_app(PROTOCOLS_DIR=str(protocols)) for _ in range(2)]
    for process in processes:
        assert process.config["PROTOCOLS_RECHECK_SECONDS"] == 5
        process.extensions["protocols"].recheck_seconds = 0  # no waiting in a test
    lengthen(protocols / "scalp-nation.toml", "no-shaving", 2, "2099.1")
    made = [
        add_client(process, now, world.a.clinic_id, f"Lee {n}")
        for n, process in enumerate(processes)
    ]
    newest = processes[0].extensions["protocols"].get("scalp-nation").bundle_version
    assert [bundle_of(app, client_id) for client_id in made] == [newest, newest]
    with app.app_context():
        stored = db.session.scalars(select(ProtocolBundle.version)).all()
    assert sorted(stored) == sorted({bundle_of(app, world.a.client_id), newest})


def test_a_move_without_the_forms_token_is_refused(app, world, admin_a, corrected):
    old = bundle_of(app, world.a.client_id)
    chosen = {"to": corrected, "client": [str(world.a.client_id)]}
    assert admin_a.post(MOVE, chosen, token=False).status_code == 400
    assert bundle_of(app, world.a.client_id) == old


def test_the_page_costs_the_same_statements_however_many_clients_are_behind(
    app, world, now, admin_a, corrected
):
    def statements():
        seen = []
        with app.app_context():
            engine = db.engine
        listen = lambda _conn, _cursor, statement, *_args: seen.append(statement)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert admin_a.get(PAGE).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    few = statements()
    old = bundle_of(app, world.a.client_id)
    for name in ("Lee", "Ray", "Joy"):
        client_id = add_client(app, now, world.a.clinic_id, name)
        with app.app_context():  # added before the correction, as it were
            db.session.get(Plan, client_id).bundle_version = old
            db.session.commit()
    assert statements() == few


def test_two_admins_moving_the_same_client_at_once_move_it_once(
    app, world, now, dashboard, corrected, monkeypatch
):
    # Each rebuild waits (up to a second) for the other admin's to start too: without the
    # lock both would rebuild and audit; with it the second waits, then finds it moved.
    inside, entered = threading.Condition(), []
    rebuild = versions.rebuild

    def meeting_rebuild(*args, **kwargs):
        with inside:
            entered.append(threading.get_ident())
            inside.notify_all()
            inside.wait_for(lambda: len(entered) == 2, timeout=1)
        return rebuild(*args, **kwargs)

    monkeypatch.setattr(versions, "rebuild", meeting_rebuild)
    add_client(app, now, world.a.clinic_id, "Lee")  # the new version's bundle is stored
    with app.app_context():  # a second admin: one person's requests queue on their own row
        other = Clinician(clinic_id=world.a.clinic_id, email="two@a.test", name="Two", role="admin")
        other.set_password(PASSWORD)
        db.session.add(other)
        db.session.commit()
    admins = []
    for email in (world.a.admin, "two@a.test"):
        admin = dashboard()
        assert admin.sign_in(email).status_code == 302
        admins.append((admin, admin.token("/clinic/password")))
    start = threading.Barrier(2)

    def move(admin, token):
        start.wait(timeout=10)
        form = {"to": corrected, "client": [str(world.a.client_id)], "csrf_token": token}
        return admin.client.post(MOVE, data=form).status_code

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda pair: move(*pair), admins))
    assert answers == [302, 302]
    assert bundle_of(app, world.a.client_id) == corrected
    with app.app_context():
        moves = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "client.protocol_version")
        ).all()
    assert len(moves) == 1 and len(entered) == 1
