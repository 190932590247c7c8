"""Fixtures for the dashboard: a browser that signs in through the form and posts forms."""

import pytest

from tests.support.dashboard import Dashboard


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
