"""Configuration: CHAMPIONS_* overrides, and production refusing unsafe settings."""

import pytest

from app import create_app
from app.config import DEFAULT_SECRET_KEY


def test_environment_variables_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAMPIONS_ENV_MODE", "development")  # the default key is fine here
    monkeypatch.setenv("CHAMPIONS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setenv("CHAMPIONS_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CHAMPIONS_REGISTRATION_OPEN", "false")
    monkeypatch.setenv("CHAMPIONS_BASE_URL", "https://portal.example.org")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite")
    assert app.config["INDEX_DIR"] == str(tmp_path / "index")
    assert app.config["REGISTRATION_OPEN"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True  # https base URL: Secure cookies


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "CHAMPIONS_SECRET_KEY"),
        ({"SECRET_KEY": ""}, "CHAMPIONS_SECRET_KEY"),
        ({"SECRET_KEY": "a-long-random-production-secret-value", "DEBUG": True}, "Debug"),
    ],
)
def test_production_refuses_unsafe_settings_in_one_line(settings, reason):
    with pytest.raises(SystemExit) as refused:
        create_app({"ENV_MODE": "production", **settings})
    message = str(refused.value)
    assert reason in message and "\n" not in message


def test_production_starts_with_a_real_secret_and_no_debug():
    app = create_app({"ENV_MODE": "production", "MAIL_BACKEND": "smtp",
                      "SECRET_KEY": "a-long-random-production-secret-value",
                      "BASE_URL": "https://portal.example.org",
                      "PRIVACY_CONTROLLER": "Example Association", "PRIVACY_CONTACT": "dpo@x.org"})
    assert app.config["ENV_MODE"] == "production"


def test_session_cookie_is_httponly_and_samesite_lax(client):
    cookie = client.get("/en/login").headers["Set-Cookie"]  # the form token opens a session
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_over_https(app):
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = app.test_client().get("/en/login", base_url="https://localhost").headers["Set-Cookie"]
    assert "Secure" in cookie
