"""An admin's one-time link to a new password: shown once (or emailed), used once, only its hash
stored; it expires, a newer one or another password change stops it, and using it ends every
other session of that clinician. Admins only, their own clinic only."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from server import rate_limits
from server.clinic.auth import USED_AT_ANOTHER_CLINIC
from server.extensions import db
from server.models import AuditEntry, Clinician, PasswordReset
from tests.support.clinics import PASSWORD
from tests.support.dashboard import readable
from tests.support.mail import free_port, mail_server
from tests.support.stored import snapshot

LINK = re.compile(
    r'<code class="secret reset-link">https://aftercue\.test(/clinic/reset\?token=([\w-]+))</code>'
)
NEW = "a brand new password"


def clinician_id(app, email: str, clinic_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Clinician.id).where(Clinician.email == email, Clinician.clinic_id == clinic_id)
        )


def reset(admin, target: int):
    """The admin's answer to "Reset password", and the link's path and token in it."""
    response = admin.post(f"/clinic/admin/clinicians/{target}/password-reset")
    found = LINK.search(response.text)
    return response, found and found.group(1), found and found.group(2)


def choose(person, token: str, new: str = NEW, confirm: str | None = None):
    """Post the reset form from `person`'s browser."""
    data = {"token": token, "new": new, "confirm": new if confirm is None else confirm}
    return person.post("/clinic/reset", data)


def actions(app) -> list[tuple[str, int | None, dict]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(e.action, e.clinician_id, e.detail) for e in entries]


@pytest.fixture
def target(app, world):
    """Clinic A's clinician, whose password the admin resets."""
    return clinician_id(app, world.a.clinician, world.a.clinic_id)


def test_the_link_sets_a_new_password_signs_in_and_ends_every_other_session(
    app, now, world, admin_a, clinician_a, dashboard, target
):
    response, path, token = reset(admin_a, target)
    assert response.status_code == 201
    assert "It works once, for 48 hours" in html.unescape(response.text)
    # Until the link is used, nothing changes for its clinician.
    assert clinician_a.get("/clinic/").status_code == 200
    assert dashboard().sign_in(world.a.clinician).status_code == 302

    person = dashboard()
    page = person.get(path)
    assert page.status_code == 200 and "clinician of Clinic A" in page.text
    assert "Clinic A" in page.text and 'name="token"' in page.text
    done = choose(person, token)
    assert done.status_code == 302 and done.location == "/clinic/"
    assert person.get("/clinic/").status_code == 200  # signed in with it
    assert clinician_a.get("/clinic/").status_code == 302  # the old session is over
    assert dashboard().sign_in(world.a.clinician).status_code == 200  # the old password too
    assert dashboard().sign_in(world.a.clinician, NEW).status_code == 302
    assert choose(dashboard(), token, "yet another password").status_code == 410  # once
    with app.app_context():
        used = db.session.scalars(select(PasswordReset)).one()
        assert (used.used_at, used.cancelled_at) == (now, None)  # used, not merely stopped

    admin = clinician_id(app, world.a.admin, world.a.clinic_id)
    log = actions(app)
    assert ("clinician.password_reset_link", admin, {"clinician_id": target}) in log
    assert ("clinician.password_reset", target, {"via": "admin"}) in log


def test_only_the_token_s_hash_is_stored(app, admin_a, target):
    _, _, token = reset(admin_a, target)
    with app.app_context():
        stored = db.session.scalars(select(PasswordReset)).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(snapshot(app))


def test_a_newer_link_stops_the_older_one(admin_a, dashboard, target):
    _, old_path, old = reset(admin_a, target)
    _, _, new = reset(admin_a, target)
    gone = dashboard().get(old_path)
    assert gone.status_code == 410 and "This link no longer works" in gone.text
    assert choose(dashboard(), old).status_code == 410
    assert choose(dashboard(), new).status_code == 302


def test_the_link_expires(app, now, admin_a, dashboard, target):
    _, path, token = reset(admin_a, target)
    app.config["CLOCK"] = lambda: now + timedelta(hours=47, minutes=59)
    assert dashboard().get(path).status_code == 200
    app.config["CLOCK"] = lambda: now + timedelta(hours=48)
    assert dashboard().get(path).status_code == 410
    assert choose(dashboard(), token).status_code == 410


def test_the_link_lasts_as_long_as_reset_link_hours_says(app, now, admin_a, dashboard, target):
    app.config["RESET_LINK_HOURS"] = 24
    response, path, _ = reset(admin_a, target)
    assert "for 24 hours" in response.text
    app.config["CLOCK"] = lambda: now + timedelta(hours=24)
    assert dashboard().get(path).status_code == 410


def test_a_password_changed_otherwise_stops_the_link(admin_a, clinician_a, dashboard, target):
    _, _, token = reset(admin_a, target)
    own = "changed by myself instead"
    changed = clinician_a.post(
        "/clinic/password", {"current": PASSWORD, "new": own, "confirm": own}
    )
    assert changed.status_code == 302
    assert choose(dashboard(), token).status_code == 410


def test_deactivation_stops_the_link_for_good(admin_a, dashboard, target):
    _, _, token = reset(admin_a, target)
    admin_a.post(f"/clinic/admin/clinicians/{target}/deactivate")
    assert choose(dashboard(), token).status_code == 410
    admin_a.post(f"/clinic/admin/clinicians/{target}/reactivate")
    assert choose(dashboard(), token).status_code == 410
    # Nor can an admin make one while they are deactivated.
    admin_a.post(f"/clinic/admin/clinicians/{target}/deactivate")
    refused, _, _ = reset(admin_a, target)
    assert refused.status_code == 302
    assert "deactivated: reactivate them first" in admin_a.get(refused.location).text


def test_the_same_password_rules_as_changing_it(app, world, admin_a, dashboard, target):
    _, _, token = reset(admin_a, target)
    person = dashboard()
    before = snapshot(app)
    short = choose(person, token, "too short")
    assert short.status_code == 422 and "at least 12 characters" in short.text
    typo = choose(person, token, NEW, NEW + "!")
    assert typo.status_code == 422 and "differ" in typo.text
    assert snapshot(app) == before
    assert choose(person, token).status_code == 302  # the link still works after those


def test_two_accounts_with_one_email_never_share_a_password(app, world, admin_a, dashboard):
    # Clinic A invites clinic B's clinician: one email, two clinics, two passwords.
    admin_a.post(
        "/clinic/admin/clinicians", {"name": "Shared", "email": world.b.clinician, "role": "admin"}
    )
    at_a = clinician_id(app, world.b.clinician, world.a.clinic_id)
    _, _, token = reset(admin_a, at_a)
    before = snapshot(app)
    taken = choose(dashboard(), token, PASSWORD)  # clinic B's account has this one
    assert taken.status_code == 422
    assert html.escape(USED_AT_ANOTHER_CLINIC) in taken.text
    assert snapshot(app) == before
    assert choose(dashboard(), token).status_code == 302


def test_only_an_admin_of_the_same_clinic_may_reset(app, world, admin_a, clinician_a, dashboard):
    own = clinician_id(app, world.a.admin, world.a.clinic_id)
    colleague = clinician_id(app, world.a.clinician, world.a.clinic_id)
    elsewhere = clinician_id(app, world.b.clinician, world.b.clinic_id)
    before = snapshot(app)
    assert reset(clinician_a, own)[0].status_code == 403  # not an admin
    assert reset(admin_a, elsewhere)[0].status_code == 404  # another clinic's, as if none
    assert reset(admin_a, 2**40)[0].status_code == 404
    yourself, _, _ = reset(admin_a, own)  # their own, through the password form instead
    assert yourself.status_code == 302
    assert snapshot(app) == before
    b_admin = dashboard()
    b_admin.sign_in(world.b.admin)
    assert reset(b_admin, colleague)[0].status_code == 404


@pytest.mark.parametrize("token", ["", "made-up", "x" * 10_000, "\x00"])
def test_a_link_that_never_was_is_refused_and_changes_nothing(app, world, dashboard, token):
    before = snapshot(app)
    assert dashboard().get("/clinic/reset", query_string={"token": token}).status_code == 410
    assert choose(dashboard(), token).status_code == 410
    assert snapshot(app) == before


def test_a_link_is_emailed_to_the_clinician_on_request(app, world, admin_a, dashboard, target):
    with mail_server("Clinic A <desk@a.test>") as (inbox, mail):
        app.config["MAIL"] = mail
        response, _, token = reset(admin_a, target)
        assert f"Email it to {world.a.clinician} now" in readable(response.text)
        sent = admin_a.post(
            f"/clinic/admin/clinicians/{target}/password-reset/email", {"token": token}
        )
        assert sent.status_code == 200 and f"Emailed to {world.a.clinician}." in readable(sent.text)
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == (
        world.a.clinician,
        "A new Aftercue password for Clinic A",
    )
    body = inbox.body(message)
    assert body.startswith("Hello clinician of Clinic A,\n\nadmin of Clinic A, an admin at Clinic")
    assert f"\nhttps://aftercue.test/clinic/reset?token={token}\n" in body
    admin = clinician_id(app, world.a.admin, world.a.clinic_id)
    assert ("clinician.password_reset_email", admin, {"clinician_id": target}) in actions(app)
    assert choose(dashboard(), token).status_code == 302


def test_only_the_colleague_s_working_link_is_emailed(app, world, admin_a, target):
    other = clinician_id(app, world.a.admin, world.a.clinic_id)
    elsewhere = clinician_id(app, world.b.clinician, world.b.clinic_id)
    with mail_server() as (inbox, mail):
        app.config["MAIL"] = mail
        _, _, old = reset(admin_a, target)
        _, _, token = reset(admin_a, target)
        url = f"/clinic/admin/clinicians/{target}/password-reset/email"
        before = snapshot(app)
        for wrong in (old, "made-up", "x" * 5000):
            refused = admin_a.post(url, {"token": wrong})
            assert refused.status_code == 302
            assert "That link no longer works" in admin_a.get(refused.location).text
        other_url = f"/clinic/admin/clinicians/{elsewhere}/password-reset/email"
        assert admin_a.post(other_url, {"token": token}).status_code == 404
        own_url = f"/clinic/admin/clinicians/{other}/password-reset/email"  # the admin's own
        assert admin_a.post(own_url, {"token": token}).status_code == 302
        assert snapshot(app) == before
    assert inbox.messages == []


def test_a_mail_server_that_is_down_is_said_and_the_link_stays(app, admin_a, dashboard, target):
    with mail_server() as (_, mail):
        app.config["MAIL"] = {**mail, "port": free_port()}
    _, path, token = reset(admin_a, target)
    failed = admin_a.post(
        f"/clinic/admin/clinicians/{target}/password-reset/email", {"token": token}
    )
    assert failed.status_code == 502
    assert "The email could not be sent; the link still works." in failed.text
    assert path in html.unescape(failed.text)
    assert choose(dashboard(), token).status_code == 302


def test_without_mail_there_is_no_email_button(app, admin_a, target):
    response, _, token = reset(admin_a, target)
    assert "Email it to" not in response.text
    refused = admin_a.post(
        f"/clinic/admin/clinicians/{target}/password-reset/email", {"token": token}
    )
    assert refused.status_code == 302
    assert "Email is not set up on this server" in admin_a.get(refused.location).text


def test_links_that_do_not_work_are_limited_per_address(world, admin_a, dashboard, target):
    limit = rate_limits.allowance(rate_limits.RESET_FAILURES_PER_ADDRESS)
    guesser = dashboard()
    for number in range(limit):
        refused = guesser.get("/clinic/reset", query_string={"token": f"guess-{number}"})
        assert refused.status_code == 410
    blocked = guesser.get("/clinic/reset", query_string={"token": "one more"})
    assert blocked.status_code == 429 and "Too many links that do not work" in blocked.text
    # A working link opens from elsewhere, and did not count against its own address.
    _, path, _ = reset(admin_a, target)
    other = {"environ_overrides": {"REMOTE_ADDR": "198.51.100.7"}}
    for _ in range(limit + 1):
        assert dashboard().get(path, **other).status_code == 200
