"""Names holding markup are drawn as text by the client app (textContent), never run."""

from __future__ import annotations

from playwright.sync_api import expect

from .phone import open_enrollment, saved

MARKUP = "<img src=x onerror=alert(1)>"


def test_a_clinic_and_client_named_with_markup_show_as_literal_text(live_server, page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    enrollment = live_server.add_client(name=MARKUP, clinic=MARKUP)
    open_enrollment(page, enrollment.url)
    assert saved(page, "token")

    expect(page.locator("#clinic")).to_have_text(MARKUP)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("document.body.innerHTML").count("&lt;img src=x") >= 1
    assert dialogs == []
