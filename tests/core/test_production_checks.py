"""Secure by default: without an explicit development flag the portal refuses to start with
settings that would expose it, and says which variable to set."""

import os
import secrets

import pytest

from app import create_app
from app.config import DEFAULT_SECRET_KEY, Config

# What an operator sets for a real deployment (the fixture below adds a database).
SAFE = {"CHAMPIONS_SECRET_KEY": secrets.token_hex(32), "CHAMPIONS_MAIL_BACKEND": "smtp",
        "CHAMPIONS_BASE_URL": "https://portal.example.org",
        "CHAMPIONS_PRIVACY_CONTROLLER": "Example Association, 1 Main St, Berlin",
        "CHAMPIONS_PRIVACY_CONTACT": "privacy@example.org"}


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Set CHAMPIONS_* variables as a server's environment would (none inherited from the
    test run, e.g. its development flag); a private database."""
    for name in [name for name in os.environ if name.startswith("CHAMPIONS_")]:
        monkeypatch.delenv(name)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("CHAMPIONS_DATABASE_URL", f"sqlite:///{tmp_path / 'portal.sqlite'}")
    monkeypatch.setenv("CHAMPIONS_INDEX_DIR", str(tmp_path / "index"))

    def _set(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return _set


def refusal() -> str:
    """The one-line message create_app stops with (fails when it starts)."""
    with pytest.raises(SystemExit) as refused:
        create_app()
    return str(refused.value)


def test_the_default_mode_is_production():
    assert Config.ENV_MODE == "production"


def test_without_any_setting_the_portal_refuses_the_public_secret_key(environment):
    message = refusal()
    assert "CHAMPIONS_SECRET_KEY" in message
    assert "\n" not in message


def test_a_safe_production_environment_starts(environment):
    environment(**SAFE)
    app = create_app()
    assert app.config["ENV_MODE"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"CHAMPIONS_SECRET_KEY": DEFAULT_SECRET_KEY}, "CHAMPIONS_SECRET_KEY"),
        ({"CHAMPIONS_SECRET_KEY": "x" * 31}, "CHAMPIONS_SECRET_KEY"),
        ({"CHAMPIONS_DEBUG": "true"}, "CHAMPIONS_DEBUG"),
        ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG"),
        ({"CHAMPIONS_MAIL_BACKEND": "console"}, "CHAMPIONS_MAIL_BACKEND"),
        ({"CHAMPIONS_MAIL_BACKEND": "memory"}, "CHAMPIONS_MAIL_BACKEND"),
        ({"CHAMPIONS_BASE_URL": "http://portal.example.org"}, "CHAMPIONS_BASE_URL"),
        ({"CHAMPIONS_SESSION_COOKIE_SECURE": "false"}, "CHAMPIONS_SESSION_COOKIE_SECURE"),
        ({"CHAMPIONS_PRIVACY_CONTROLLER": " "}, "CHAMPIONS_PRIVACY_CONTROLLER"),
        ({"CHAMPIONS_PRIVACY_CONTACT": ""}, "CHAMPIONS_PRIVACY_CONTACT"),
        ({"CHAMPIONS_STORAGE_BACKEND": "s3"}, "CHAMPIONS_STORAGE_S3_BUCKET"),
        ({"CHAMPIONS_STORAGE_BACKEND": "ftp"}, "CHAMPIONS_STORAGE_BACKEND"),
    ],
    ids=["default-key", "short-key", "debug", "flask-debug", "console-mail", "memory-mail",
         "http-base-url", "insecure-cookie", "no-controller", "no-privacy-contact",
         "s3-without-bucket", "unknown-storage"],
)
def test_production_refuses_one_unsafe_setting_and_names_the_variable(
        environment, variables, named):
    environment(**{**SAFE, **variables})
    message = refusal()
    assert named in message
    assert "\n" not in message


@pytest.mark.parametrize("mode", ["production", "staging", "Development"])
def test_any_mode_but_development_is_checked(environment, mode):
    environment(CHAMPIONS_ENV_MODE=mode)
    assert "CHAMPIONS_SECRET_KEY" in refusal()


def test_s3_storage_with_a_bucket_starts_without_boto3_being_asked(environment):
    environment(**SAFE, CHAMPIONS_STORAGE_BACKEND="s3", CHAMPIONS_STORAGE_S3_BUCKET="files")
    assert create_app().config["STORAGE_S3_BUCKET"] == "files"


def test_a_key_of_32_characters_is_long_enough(environment):
    environment(**{**SAFE, "CHAMPIONS_SECRET_KEY": "x" * 32})
    assert create_app().config["SECRET_KEY"] == "x" * 32


def test_the_development_flag_allows_the_defaults(environment):
    environment(CHAMPIONS_ENV_MODE="development")
    app = create_app()
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY
    assert app.config["MAIL_BACKEND"] == "console"
    assert app.config["SESSION_COOKIE_SECURE"] is False  # plain http on a developer's machine


def test_cookies_follow_an_https_base_url_given_by_the_caller(environment):
    app = create_app({"ENV_MODE": "development", "BASE_URL": "https://portal.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
