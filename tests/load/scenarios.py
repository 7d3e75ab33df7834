"""The scenarios: what each one does before, halfway through and after the load, and what it
adds to its row's notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.load import faults
from tests.load.server import Server, run_flask
from tests.load.verify import index_gap

ALERT_BYTES = 12 * 1024  # database growth per alert with its case and mail (measured 10-15 KiB)
FULL_AFTER = 0.3  # the database fills up after about this share of the reports


@dataclass
class Stage:
    """One scenario's running set-up, shared by its hooks."""

    folder: Path
    env: dict[str, str]
    index_dir: Path
    database_url: str
    server: Server
    with_worker: bool
    notes: list[str] = field(default_factory=list)
    helpers: dict = field(default_factory=dict)


class Scenario:
    """No fault: the worker kind alone."""

    name = "no fault"
    mail_hangs = False

    def database_limit(self, count: int) -> int | None:
        """Bytes the database may grow (None: as much as it likes)."""
        return None

    def before(self, stage: Stage) -> None:
        """Once the server answers, before the first report."""

    def midway(self, stage: Stage) -> None:
        """When half of the reports have been answered (the rest in flight or waiting)."""

    def after(self, stage: Stage) -> None:
        """Once every reporter has an answer (or gave up), before the queue settles."""

    def outcome(self, stage: Stage) -> list[str]:
        """Notes once the queue settled, before the server stops."""
        return []


def index_notes(stage: Stage) -> list[str]:
    """Published items against the index's documents after the load, and again after the
    scheduled tasks ran once (`flask jobs run-tasks --all`: apply the queue, reconcile), when
    the code has them."""
    notes = ["index after the load: " + index_gap(stage.database_url, stage.index_dir)]
    if stage.with_worker:
        code = run_flask(stage.env, stage.folder / "tasks.log", "jobs", "run-tasks", "--all")
        notes.append(f"after the scheduled tasks{'' if code == 0 else ' (failed)'}: "
                     + index_gap(stage.database_url, stage.index_dir))
    return notes


def start_editor(stage: Stage) -> None:
    """Start saving and publishing items; wait until the first is published."""
    editor = faults.LibraryEditor(stage.env, stage.folder / "editor.log")
    stage.helpers["editor"] = editor
    if not editor.wait_first():
        stage.notes.append("the editor published nothing before the load")


class IndexLocked(Scenario):
    """Another process holds the Whoosh writer lock for the whole run while items are saved."""

    name = "index locked"

    def before(self, stage: Stage) -> None:
        """Take the lock, then start saving and publishing items."""
        lock = faults.IndexLock(stage.index_dir, stage.env, stage.folder / "lock.log")
        stage.helpers["lock"] = lock
        stage.notes.append("lock held" if lock.wait_locked() else "LOCK NOT TAKEN")
        start_editor(stage)

    def after(self, stage: Stage) -> None:
        """Stop saving, then let the lock go."""
        stage.notes.append(stage.helpers["editor"].finish())
        stage.helpers["lock"].release()

    def outcome(self, stage: Stage) -> list[str]:
        """Whether the saves made during the lock reached the index."""
        return index_notes(stage)


class CorruptIndex(Scenario):
    """A segment file of the live index is damaged halfway through the run."""

    name = "corrupt index"

    def midway(self, stage: Stage) -> None:
        """Overwrite a block of the segment in place."""
        stage.notes.append("damaged " + faults.damage_segment(stage.index_dir, seed=15))

    def outcome(self, stage: Stage) -> list[str]:
        """Whether the index is readable (repaired) again."""
        return index_notes(stage)


class MailDown(Scenario):
    """The SMTP server accepts connections and never answers."""

    name = "mail down"
    mail_hangs = True


class Rebuild(Scenario):
    """`flask search rebuild` back to back while items are saved and published."""

    name = "rebuild"

    def before(self, stage: Stage) -> None:
        """Start the rebuild loop and the editor."""
        stage.helpers["rebuilds"] = faults.rebuild_loop(stage.env, stage.folder / "rebuild.log")
        start_editor(stage)

    def after(self, stage: Stage) -> None:
        """Stop saving; let the rebuild at hand finish."""
        stage.notes.append(stage.helpers["editor"].finish())
        rebuilds = stage.helpers["rebuilds"]
        rebuilds.finish()
        stage.notes.append(f"{rebuilds.runs} rebuilds ({rebuilds.failures} failed)")

    def outcome(self, stage: Stage) -> list[str]:
        """Published items against the index once the scheduled work ran."""
        return index_notes(stage)


class Crash(Scenario):
    """kill -9 of one gunicorn worker halfway through."""

    name = "crash"

    def midway(self, stage: Stage) -> None:
        """Kill a worker with requests in flight."""
        stage.notes.append(faults.kill_worker(stage.server.worker_pids()))


class DatabaseFull(Scenario):
    """The database's filesystem fills up after about FULL_AFTER of the reports."""

    name = "database full"

    def database_limit(self, count: int) -> int | None:
        """Room for about FULL_AFTER of the reports."""
        return int(count * FULL_AFTER * ALERT_BYTES)

    def outcome(self, stage: Stage) -> list[str]:
        """How full the small filesystem is."""
        mounts = [stage.folder / name for name in ("database", "tablespace")]
        return [f"{faults.free_bytes(mount) // 1024} KiB left on the small filesystem"
                for mount in mounts if mount.is_mount()]


SCENARIOS = {scenario.name: scenario for scenario in (
    Scenario(), IndexLocked(), CorruptIndex(), MailDown(), Rebuild(), Crash(), DatabaseFull())}
