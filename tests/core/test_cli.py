"""The `champions` entry point runs the portal's commands without FLASK_APP."""

import pytest

from app.cli import main


def test_champions_command_lists_the_portal_commands(monkeypatch, capsys):
    monkeypatch.delenv("FLASK_APP", raising=False)
    monkeypatch.setattr("sys.argv", ["champions", "--help"])
    with pytest.raises(SystemExit) as finished:
        main()
    assert finished.value.code == 0
    listed = capsys.readouterr().out
    for group in ("accounts", "alerts", "content", "notify", "search", "translations"):
        assert group in listed
