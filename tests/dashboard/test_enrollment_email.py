"""The enrollment link sent by the server's own mail (MAIL_URL), to a real SMTP server on
loopback (aiosmtpd): the client's email, the words, an audit entry; refusals store nothing."""

from __future__ import annotations

import email
import re
import socket
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from server.extensions import db
from server.models import AuditEntry, Client
from tests.support.dashboard import readable
from tests.support.stored import snapshot

CODE = re.compile(r'class="enroll-link" href="https://aftercue\.test/enroll#([\w-]+)"')


class Inbox:
    """Keeps every message the server accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


def anyone(server, session, envelope, mechanism, auth_data) -> AuthResult:
    return AuthResult(success=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(app, monkeypatch):
    """An SMTP server on loopback, named as the app's mail server. It offers no STARTTLS, and
    would take any password sent in the clear: the app must not send one."""
    box = Inbox()
    controller = Controller(
        box, hostname="127.0.0.1", port=free_port(), authenticator=anyone, auth_require_tls=False
    )
    controller.start()
    mail = {
        "tls": False,
        "host": "127.0.0.1",
        "port": controller.port,
        "user": None,
        "password": None,
        "sender": "Clinic A <desk@a.test>",
    }
    monkeypatch.setitem(app.config, "MAIL", mail)
    yield box
    controller.stop()


@pytest.fixture
def sam_by_email(app, world):
    with app.app_context():
        db.session.get(Client, world.a.client_id).contact = "07700 900107, sam@example.com"
        db.session.commit()
    return world.a.client_id


def new_link(person, client_id: int) -> tuple[str, str]:
    """A new enrollment link's page, and its code."""
    page = person.post(f"/clinic/clients/{client_id}/enrollment").text
    return page, CODE.search(page).group(1)


def test_the_link_is_emailed_to_the_client_and_audited(app, inbox, sam_by_email, clinician_a):
    page, code = new_link(clinician_a, sam_by_email)
    assert (
        "Email it to sam@example.com now" in readable(page)
        and f'name="code" value="{code}"' in page
    )
    sent = clinician_a.post(f"/clinic/clients/{sam_by_email}/enrollment/email", {"code": code})
    assert sent.status_code == 200 and "Emailed to sam@example.com." in readable(sent.text)
    [message] = inbox.messages
    assert (message["To"], message["From"]) == ("sam@example.com", "Clinic A <desk@a.test>")
    assert message["Subject"] == "Your aftercare plan from Clinic A"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Hello Sam,") and f"https://aftercue.test/enroll#{code}\n" in body
    assert "until 27 Mar 2026, 12:00" in body
    with app.app_context():
        actions = db.session.scalars(
            db.select(AuditEntry.action).where(AuditEntry.client_id == sam_by_email)
        ).all()
    assert actions[-1] == "enrollment_code.email"


def test_an_old_or_made_up_code_is_refused_and_nothing_is_sent(
    app, inbox, sam_by_email, clinician_a
):
    _, old = new_link(clinician_a, sam_by_email)
    new_link(clinician_a, sam_by_email)  # the older link stops working
    for code in (old, "made-up", "x" * 10_000):
        before = snapshot(app)
        refused = clinician_a.post(
            f"/clinic/clients/{sam_by_email}/enrollment/email", {"code": code}
        )
        assert refused.status_code == 302 and snapshot(app) == before
        assert "That link no longer works" in clinician_a.get(refused.location).text
    assert inbox.messages == []


def test_another_clinic_s_client_is_not_found(app, world, inbox, sam_by_email, clinician_a):
    _, code = new_link(clinician_a, sam_by_email)
    url = f"/clinic/clients/{world.b.client_id}/enrollment/email"
    assert clinician_a.post(url, {"code": code}).status_code == 404
    assert inbox.messages == []


def test_a_mail_server_that_is_down_is_said_and_the_link_stays(
    app, inbox, monkeypatch, sam_by_email, clinician_a
):
    _, code = new_link(clinician_a, sam_by_email)
    monkeypatch.setitem(app.config, "MAIL", {**app.config["MAIL"], "port": free_port()})
    before = snapshot(app)
    failed = clinician_a.post(f"/clinic/clients/{sam_by_email}/enrollment/email", {"code": code})
    assert failed.status_code == 502
    assert "The email could not be sent; the link still works." in failed.text
    assert f"/enroll#{code}" in failed.text and snapshot(app) == before


def test_a_password_is_never_sent_without_encryption(app, inbox, sam_by_email, clinician_a):
    _, code = new_link(clinician_a, sam_by_email)
    mail = {**app.config["MAIL"], "user": "desk", "password": "secret"}
    app.config["MAIL"] = mail  # the loopback server offers no STARTTLS
    failed = clinician_a.post(f"/clinic/clients/{sam_by_email}/enrollment/email", {"code": code})
    assert failed.status_code == 502 and inbox.messages == []


def test_without_mail_or_an_email_address_there_is_no_button(app, world, clinician_a, inbox):
    page, _ = new_link(clinician_a, world.a.client_id)  # Sam has no contact
    assert "Email it to" not in page
    app.config["MAIL"] = None
    with app.app_context():
        db.session.get(Client, world.a.client_id).contact = "sam@example.com"
        db.session.commit()
    page, code = new_link(clinician_a, world.a.client_id)
    assert "Email it to" not in page
    refused = clinician_a.post(
        f"/clinic/clients/{world.a.client_id}/enrollment/email", {"code": code}
    )
    assert refused.status_code == 302
    assert "Email is not set up on this server" in clinician_a.get(refused.location).text


def test_the_email_is_in_the_clients_language(app, inbox, sam_by_email, clinician_a):
    with app.app_context():
        db.session.get(Client, sam_by_email).language = "ar"
        db.session.commit()
    page, code = new_link(clinician_a, sam_by_email)
    sent = clinician_a.post(f"/clinic/clients/{sam_by_email}/enrollment/email", {"code": code})
    assert sent.status_code == 200 and "Emailed to sam@example.com." in readable(sent.text)
    [message] = inbox.messages
    assert message["Subject"] == "خطة العناية بعد الجلسة من Clinic A"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("مرحبًا Sam،") and f"https://aftercue.test/enroll#{code}\n" in body
    assert "حتى 27 مارس 2026" in body  # the date by Babel, in Arabic
    # The clinician's page stays in their own language; the text message is the client's.
    assert "Send by email to sam@example.com" in readable(page)
    assert "%D8%AE%D8%B7%D8%A9" in page  # "خطة", percent-encoded in the mailto: subject
