"""The app factory and the health check."""

import pytest

from server import create_app
from server.config import ConfigError


def test_config_layers_test_config_over_environment(app):
    assert app.testing
    assert app.config["PUBLIC_URL"] == "https://aftercue.test"
    assert app.config["SECRET_KEY"] == "test-secret-key-0123456789abcdef"


def test_bad_environment_stops_the_app(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
    monkeypatch.setenv("DATABASE_URL", "mysql://localhost/aftercue")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
