""" "Forgot your password?": offered only when the server can send email; the same answer for
every email typed; one link per account with that email (one per clinic), naming the clinic;
none for a deactivated account; rate limited per email and per address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from server import rate_limits
from server.extensions import db
from server.models import AuditEntry, Clinician, PasswordReset
from tests.support.mail import mail_server
from tests.support.stored import snapshot

FORGOT = "/clinic/forgot"
ANSWER = (
    "If an account has this email, we have emailed it a link to choose a new password. "
    "It works once, for 1 hour."
)
URL = re.compile(r"https://aftercue\.test(/clinic/reset\?token=([\w-]+))\n")


@pytest.fixture
def inbox(app):
    with mail_server() as (box, mail):
        app.config["MAIL"] = mail
        yield box


def ask(person, email: str, **kwargs):
    """Ask for a link for `email`: the response, and the sign-in page it leads to."""
    response = person.post(FORGOT, {"email": email}, **kwargs)
    return response, response.location and person.get(response.location).text


def links(inbox) -> list[tuple[str, str, str]]:
    """(to, subject, path of the link) of every message sent."""
    return [(m["To"], m["Subject"], URL.search(inbox.body(m)).group(1)) for m in inbox.messages]


def test_without_mail_there_is_no_forgot_link_and_no_page(app, world, dashboard):
    assert "Forgot your password?" not in dashboard().get("/clinic/login").text
    assert dashboard().get(FORGOT).status_code == 404
    assert dashboard().post(FORGOT, {"email": world.a.clinician}).status_code == 404


def test_the_answer_is_the_same_whoever_s_email_it_is(app, world, inbox, dashboard):
    assert "Forgot your password?" in dashboard().get("/clinic/login").text
    assert dashboard().get(FORGOT).status_code == 200
    pages = []
    for email in (world.a.clinician, "nobody@nowhere.test", "not an email", "\x00", "x" * 5000):
        response, page = ask(dashboard(), email)
        assert response.status_code == 302 and response.location == "/clinic/login"
        pages.append(re.sub(r'name="csrf_token" value="[^"]+"', "", page))
    assert ANSWER in pages[0]
    assert all(page == pages[0] for page in pages)
    assert len(inbox.messages) == 1


def test_the_emailed_link_sets_a_new_password(app, world, inbox, dashboard, clinician_a):
    ask(dashboard(), "  Clinician@A.test ")
    [(to, subject, path)] = links(inbox)
    assert (to, subject) == (world.a.clinician, "A new Aftercue password for Clinic A")
    body = inbox.body(inbox.messages[0])
    assert "asked to reset your password at Clinic A" in body and "for 1 hour" in body
    person = dashboard()
    assert person.get(path).status_code == 200
    token = path.rsplit("=", 1)[1]
    new = "chosen from the email"
    done = person.post("/clinic/reset", {"token": token, "new": new, "confirm": new})
    assert done.status_code == 302 and person.get("/clinic/").status_code == 200
    assert clinician_a.get("/clinic/").status_code == 302  # every other session ended
    assert dashboard().sign_in(world.a.clinician, new).status_code == 302
    with app.app_context():
        logged = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        issued_by = db.session.scalars(select(PasswordReset.issued_by_id)).all()
    assert "clinician.password_reset_asked" in logged and issued_by == [None]
    assert "clinician.password_reset" in logged


def test_the_emailed_link_lasts_an_hour(app, now, world, inbox, dashboard):
    ask(dashboard(), world.a.clinician)
    [(_, _, path)] = links(inbox)
    app.config["CLOCK"] = lambda: now + timedelta(minutes=59)
    assert dashboard().get(path).status_code == 200
    app.config["CLOCK"] = lambda: now + timedelta(minutes=60)
    assert dashboard().get(path).status_code == 410


def test_forgot_link_minutes_sets_how_long(app, now, world, inbox, dashboard):
    app.config["FORGOT_LINK_MINUTES"] = 15
    _, page = ask(dashboard(), world.a.clinician)
    assert "It works once, for 15 minutes." in page
    [(_, _, path)] = links(inbox)
    app.config["CLOCK"] = lambda: now + timedelta(minutes=15)
    assert dashboard().get(path).status_code == 410


def test_one_link_per_clinic_for_an_email_with_two_accounts(app, world, inbox, dashboard, admin_a):
    admin_a.post(
        "/clinic/admin/clinicians", {"name": "Shared", "email": world.b.clinician, "role": "admin"}
    )
    ask(dashboard(), world.b.clinician)
    sent = links(inbox)
    assert sorted(subject for _, subject, _ in sent) == [
        "A new Aftercue password for Clinic A",
        "A new Aftercue password for Clinic B",
    ]
    assert {to for to, _, _ in sent} == {world.b.clinician}
    # Each link opens its own clinic's account only.
    for _, subject, path in sent:
        clinic = subject.rsplit(" ", 2)[-2:]
        assert " ".join(clinic) in dashboard().get(path).text


def test_a_deactivated_account_gets_no_link(app, world, inbox, dashboard):
    with app.app_context():
        db.session.scalar(
            select(Clinician).where(Clinician.email == world.a.clinician)
        ).active = False
        db.session.commit()
    before = snapshot(app)
    _, page = ask(dashboard(), world.a.clinician)
    assert ANSWER in page
    assert inbox.messages == [] and snapshot(app) == before


def test_a_mail_server_that_fails_answers_the_same(app, world, inbox, dashboard):
    app.config["MAIL"] = {**app.config["MAIL"], "user": "desk", "password": "secret"}  # no TLS
    response, page = ask(dashboard(), world.a.clinician)
    assert response.status_code == 302 and ANSWER in page
    assert inbox.messages == []


def test_asking_again_stops_the_earlier_link(world, inbox, dashboard):
    ask(dashboard(), world.a.clinician)
    ask(dashboard(), world.a.clinician)
    (_, _, first), (_, _, second) = links(inbox)
    assert dashboard().get(first).status_code == 410
    assert dashboard().get(second).status_code == 200


def at(address: str) -> dict:
    return {"environ_overrides": {"REMOTE_ADDR": address}}


def test_asking_is_limited_per_email(world, inbox, dashboard):
    limit = rate_limits.allowance(rate_limits.FORGOT_PER_EMAIL)
    for number in range(limit):
        response, _ = ask(dashboard(), world.a.clinician, **at(f"198.51.100.{number}"))
        assert response.status_code == 302
    # The next, from yet another address, and for an email with no account alike.
    refused, _ = ask(dashboard(), world.a.clinician.upper(), **at("192.0.2.1"))
    assert refused.status_code == 429 and "Try again in an hour" in refused.text
    assert len(inbox.messages) == limit
    for email in ("nobody@nowhere.test",) * limit:
        assert ask(dashboard(), email, **at("192.0.2.2"))[0].status_code == 302
    assert ask(dashboard(), "nobody@nowhere.test", **at("192.0.2.3"))[0].status_code == 429
    assert ask(dashboard(), world.a.admin, **at("192.0.2.4"))[0].status_code == 302


def test_asking_is_limited_per_address(world, inbox, dashboard):
    limit = rate_limits.allowance(rate_limits.FORGOT_PER_ADDRESS)
    for number in range(limit):
        assert ask(dashboard(), f"person{number}@a.test", **at("203.0.113.9"))[0].status_code == 302
    refused, _ = ask(dashboard(), world.a.clinician, **at("203.0.113.9"))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert inbox.messages == []
    assert ask(dashboard(), world.a.clinician, **at("203.0.113.10"))[0].status_code == 302
