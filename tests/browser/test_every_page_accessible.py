"""Every page of the clinic's dashboard, checked by axe-core at a desk's width (1440 px) and a
phone's (390 px): 0 violations of the WCAG 2.1 A and AA rules it can test.

The pages are shown as a clinic sees them on a working morning: a client with reasons to
call, a call on their timeline, a new enrollment link, the confirmations, the handout.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import TreatmentSession
from tests.support.dashboard_pages import DASHBOARD_PAGES as PAGES

from .accessibility import WIDTHS, assert_accessible
from .desk import morning_clinic, row, sign_in


@pytest.fixture
def morning(live_server):
    return morning_clinic(live_server)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_dashboard_page_has_no_axe_violations(live_server, new_context, morning, width):
    email, ids, _ = morning
    client = ids["Amira Haddad"]
    with live_server.app.app_context():
        session = db.session.scalar(
            db.select(TreatmentSession.id).where(TreatmentSession.client_id == client)
        )
    page = new_context(viewport=WIDTHS[width]).new_page()
    page.goto(f"{live_server.url}/clinic/login")
    assert_accessible(page, f"the sign-in page ({width})")
    sign_in(page, live_server.url, email)
    # A call on the timeline and a new link, so those parts are on the pages too.
    amira = row(page, "Amira Haddad")
    amira.get_by_text("Mark handled").click()
    amira.get_by_label("Note").fill("Asked about the midday balm")
    amira.get_by_role("button", name="Save and mark").click()
    expect(page.get_by_role("status")).to_contain_text("marked handled")
    for path in PAGES:
        url = live_server.url + path.format(client=client, session=session)
        response = page.goto(url)
        assert response and response.status == 200, (path, response and response.status)
        assert_accessible(page, f"{path} ({width})")
    page.goto(f"{live_server.url}/clinic/clients/{client}")
    page.get_by_role("button", name="New enrollment link and QR code").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New link for")
    assert_accessible(page, f"a new enrollment link ({width})")
