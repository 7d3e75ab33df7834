"""deploy/champions.env.example lists every setting production insists on."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from app import create_app

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "champions.env.example"


def example_settings() -> dict[str, str]:
    """The example's variables (the commented ones left out), the secret key filled in."""
    found = dict(re.findall(r"^(CHAMPIONS_[A-Z_]+)=(.*)$", EXAMPLE.read_text(), re.MULTILINE))
    return {**found, "CHAMPIONS_SECRET_KEY": secrets.token_hex(32)}


def test_the_filled_in_example_starts_in_production(monkeypatch) -> None:
    for key, value in example_settings().items():
        monkeypatch.setenv(key, value)
    app = create_app()
    assert app.config["ENV_MODE"] == "production"


def test_the_example_leaves_the_secret_key_to_the_operator() -> None:
    assert re.search(r"^CHAMPIONS_SECRET_KEY=$", EXAMPLE.read_text(), re.MULTILINE)
