"""The one-shot commands the systemd timers in deploy/ call (the worker runs the same work on
its own schedule; the timers keep deadlines when it is down)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from app.accounts.models import utcnow
from app.arena.models import Case
from app.extensions import db

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_arena_escalate_escalates_an_overdue_urgent_case_once(runner, make_user, make_urgent_case):
    make_user(role="admin", country="DE")
    case = make_urgent_case(country="RO")
    case.created_at = utcnow() - timedelta(minutes=600)
    db.session.commit()
    first = runner.invoke(args=["arena", "escalate"])
    second = runner.invoke(args=["arena", "escalate"])
    assert first.output.startswith("1 urgent cases escalated")
    assert second.output.startswith("0 urgent cases escalated")
    assert db.session.get(Case, case.id).escalated_at is not None


def _timer_commands() -> list[list[str]]:
    """The `champions ...` arguments of every ExecStart in deploy/systemd."""
    found = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in re.findall(r"^ExecStart=(.+)$", unit.read_text(), re.MULTILINE):
            words = line.split()
            assert Path(words[0]).name == "champions", unit.name
            found.append(words[1:])
    return found


def test_every_unit_runs_an_existing_champions_command(app) -> None:
    commands = _timer_commands()
    assert len(commands) >= 6  # web, worker, digest, escalate, purge, apply-queue
    for args in commands:
        group = app.cli.get_command(None, args[0]) if args else None
        assert group is not None, args
        if len(args) > 1 and hasattr(group, "get_command"):
            assert group.get_command(None, args[1]) is not None, args


def test_every_timer_starts_its_service() -> None:
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert (DEPLOY / "systemd" / f"{timer.stem}.service").exists(), timer.name
        assert "OnCalendar=" in timer.read_text(), timer.name
