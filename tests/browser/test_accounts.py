"""Accounts in Chromium against the live server, by keyboard alone where a person would type:
an admin resets a colleague's password and the link signs them in (their other browser is
signed out); an invited clinician must choose their own password first; "Forgot your
password?" emails a link. axe-core checks every new page at a desk's and a phone's width."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import count

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Clinic, Clinician
from tests.support.mail import mail_server

from .accessibility import WIDTHS, assert_accessible

PASSWORD = "browser clinician password"
NEW = "a new password chosen in the browser"
MOST_TABS = 80  # more than any page here has stops; a control never reached fails the test
numbers = count()


@pytest.fixture
def clinic(live_server):
    """A clinic with an admin and a clinician (emails), both with PASSWORD."""
    number = next(numbers)
    with live_server.app.app_context():
        clinic = Clinic(name=f"Accounts Clinic {number}", created_at=datetime.now(UTC))
        emails = {}
        for role, name in (("admin", "Alex Admin"), ("clinician", "Robin Reset")):
            email = f"{role}{number}@accounts.test"
            person = Clinician(clinic=clinic, email=email, name=name, role=role)
            person.set_password(PASSWORD)
            db.session.add(person)
            emails[role] = email
        db.session.commit()
    return emails


def each_width(page: Page, where: str) -> None:
    """axe-core finds nothing at a desk's width and a phone's; the desk's is left on."""
    for name, size in reversed(WIDTHS.items()):
        page.set_viewport_size(size)
        assert_accessible(page, f"{where} at {name} width")


def tab_to(page: Page, name: str) -> None:
    """Press Tab until the control named `name` has the focus, as a keyboard user would."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def sign_in(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in by keyboard: the email field has the focus when the page opens."""
    page.goto(f"{url}/clinic/login")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_an_admin_resets_a_password_and_the_link_signs_the_clinician_in(
    live_server, new_context, clinic
):
    url = live_server.url
    # The clinician is signed in on another computer, which the reset will sign out.
    elsewhere = new_context().new_page()
    sign_in(elsewhere, url, clinic["clinician"])
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Clients")

    admin = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    sign_in(admin, url, clinic["admin"])
    expect(admin.get_by_role("heading", level=1)).to_have_text("Clients")
    tab_to(admin, "Clinicians")
    admin.keyboard.press("Enter")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Clinicians")
    each_width(admin, "the clinicians page")
    tab_to(admin, "Reset Robin Reset's password")
    admin.keyboard.press("Enter")
    notice = admin.get_by_role("region", name="A link for Robin Reset to choose a new password")
    expect(notice).to_contain_text("It works once, for 48 hours")
    link = admin.locator("code.reset-link").inner_text()
    assert re.fullmatch(rf"{re.escape(url)}/clinic/reset\?token=[\w-]+", link)
    tab_to(admin, "Copy link")
    admin.keyboard.press("Enter")
    expect(admin.locator("#reset-status")).to_have_text(
        "Link copied. Paste it into a message to Robin Reset."
    )
    assert admin.evaluate("navigator.clipboard.readText()") == link
    each_width(admin, "the clinicians page with a reset link")

    robin = new_context().new_page()
    robin.goto(link)
    expect(robin.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    expect(robin.get_by_text("For Robin Reset")).to_be_visible()
    each_width(robin, "the reset page")
    expect(robin.get_by_label("New password (at least 12 characters)")).to_be_focused()
    robin.keyboard.type(NEW)
    robin.keyboard.press("Tab")
    robin.keyboard.type(NEW)
    robin.keyboard.press("Enter")
    expect(robin.get_by_role("heading", level=1)).to_have_text("Clients")
    expect(robin.locator(".messages")).to_contain_text("Your new password is set.")

    elsewhere.reload()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Sign in")
    robin.goto(link)  # once only
    expect(robin.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    each_width(robin, "the page of a used link")
    fresh = new_context().new_page()
    sign_in(fresh, url, clinic["clinician"], NEW)
    expect(fresh.get_by_role("heading", level=1)).to_have_text("Clients")


def test_an_invited_clinician_chooses_their_own_password_first(live_server, new_context, clinic):
    url = live_server.url
    admin = new_context().new_page()
    sign_in(admin, url, clinic["admin"])
    expect(admin.get_by_role("heading", level=1)).to_have_text("Clients")
    admin.goto(f"{url}/clinic/admin/clinicians")
    form = admin.locator("form").filter(has=admin.get_by_role("button", name="Invite"))
    form.get_by_label("Name").fill("Ola New")
    form.get_by_label("Email").fill(f"ola.{clinic['admin']}")
    form.get_by_role("button", name="Invite").click()
    temporary = admin.locator("code.secret").inner_text()

    ola = new_context().new_page()
    sign_in(ola, url, f"ola.{clinic['admin']}", temporary)
    expect(ola.get_by_role("heading", level=1)).to_have_text("Choose your own password")
    expect(ola.get_by_role("link", name="Clients")).to_have_count(0)
    each_width(ola, "the forced password change")
    ola.goto(f"{url}/clinic/")  # every page leads back here
    expect(ola.get_by_role("heading", level=1)).to_have_text("Choose your own password")
    expect(ola.get_by_label("Temporary password")).to_be_focused()
    ola.keyboard.type(temporary)
    ola.keyboard.press("Tab")
    ola.keyboard.type(NEW)
    ola.keyboard.press("Tab")
    ola.keyboard.type(NEW)
    ola.keyboard.press("Enter")
    expect(ola.get_by_role("heading", level=1)).to_have_text("Clients")
    expect(ola.get_by_role("link", name="Clients")).to_be_visible()


def test_forgot_password_emails_a_link(live_server, new_context, clinic):
    url, app = live_server.url, live_server.app
    with mail_server() as (inbox, mail):
        app.config["MAIL"] = mail
        try:
            page = new_context().new_page()
            page.goto(f"{url}/clinic/login")
            tab_to(page, "Forgot your password?")
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
            each_width(page, "the forgot-password page")
            expect(page.get_by_label("Email")).to_be_focused()
            page.keyboard.type(clinic["clinician"])
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
            expect(page.locator(".messages")).to_contain_text("If an account has this email")
            each_width(page, "the sign-in page with its forgot link")
        finally:
            app.config["MAIL"] = None
    [message] = inbox.messages
    link = re.search(rf"{re.escape(url)}/clinic/reset\?token=[\w-]+", inbox.body(message))
    page.goto(link.group(0))
    expect(page.get_by_text("For Robin Reset")).to_be_visible()
    page.get_by_label("New password (at least 12 characters)").fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
