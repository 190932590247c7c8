"""Fixtures for the dashboard: a browser that signs in through the form and posts forms."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.extensions import db
from server.models import Clinic
from tests.support.dashboard import Dashboard
from tests.support.factories import new_client, with_plan


@pytest.fixture
def dashboard(app):
    """Make a new dashboard browser (its own cookies)."""
    return lambda: Dashboard(app.test_client())


@pytest.fixture
def clinician_a(world, dashboard):
    """Clinic A's clinician, signed in through the form."""
    person = dashboard()
    assert person.sign_in(world.a.clinician).status_code == 302
    return person


@pytest.fixture
def admin_a(world, dashboard):
    person = dashboard()
    assert person.sign_in(world.a.admin).status_code == 302
    return person


@pytest.fixture
def warned_client(app, world, now):
    """A client of clinic A whose plan warns: a session entered twice, and the first day's
    cleanse placed after bedtime (a session ending 22:30 on the eve of the clock change)."""
    start = datetime(2026, 3, 28, 18, 0, tzinfo=ZoneInfo("Europe/London")).astimezone(UTC)
    session = (start, start + timedelta(hours=4.5))
    with app.app_context():
        clinic = db.session.get(Clinic, world.a.clinic_id)
        client = new_client(clinic=clinic, name="Rana", created_at=now, sessions=[session] * 2)
        with_plan(client, app.extensions["protocols"], now)
        db.session.commit()
        return client.id
