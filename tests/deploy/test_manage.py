"""manage.py: development mode set explicitly for everything it runs, and `run --port N`."""

from __future__ import annotations

import pytest

import manage


def test_everything_manage_runs_is_in_development_mode() -> None:
    assert manage.ENV["CHAMPIONS_ENV_MODE"] == "development"


def test_run_serves_on_port_5000_by_default() -> None:
    assert manage.port_option([]) == 5000


def test_run_takes_another_port() -> None:
    assert manage.port_option(["--port", "8123"]) == 8123


def test_run_refuses_a_port_that_is_no_number() -> None:
    with pytest.raises(SystemExit):
        manage.port_option(["--port", "high"])


@pytest.fixture
def recorded_run(monkeypatch) -> list[tuple[tuple, dict]]:
    """manage.run() with nothing really started: the commands it would run, with their env."""
    commands: list[tuple[tuple, dict]] = []

    class Worker:
        def __init__(self, command, **kwargs) -> None:
            commands.append((tuple(command), kwargs.get("env") or {}))

        def terminate(self) -> None: ...

        def wait(self, timeout: float) -> None: ...

    monkeypatch.setattr(manage, "prepare", lambda: None)
    monkeypatch.setattr(manage, "flask", lambda *args: None)
    monkeypatch.setattr(manage, "sh", lambda *args, env=None: commands.append((args, env)) or 0)
    monkeypatch.setattr(manage.subprocess, "Popen", Worker)
    monkeypatch.delenv("CHAMPIONS_BASE_URL", raising=False)
    monkeypatch.setattr(manage.sys, "argv", ["manage.py", "run", "--port", "8123"])
    manage.run()
    return commands


def test_run_serves_on_the_port_given(recorded_run) -> None:
    server, _env = recorded_run[-1]
    assert server[-2:] == ("--port", "8123")


def test_run_links_mails_to_the_port_given(recorded_run) -> None:
    for _command, env in recorded_run:
        assert env["CHAMPIONS_BASE_URL"] == "http://127.0.0.1:8123"


def test_run_starts_server_and_worker_in_development_mode(recorded_run) -> None:
    assert [env["CHAMPIONS_ENV_MODE"] for _command, env in recorded_run] == ["development"] * 2
