"""Fixtures for API tests."""

import pytest

from tests.support.phones import Enrolled, make_client


@pytest.fixture
def enrolled(app, now) -> Enrolled:
    """Client "Sam" of "Clinic A", with a plan, two signed-in devices and an unused code."""
    return make_client(app, now)
