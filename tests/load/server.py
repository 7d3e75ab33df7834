"""The production set-up under load: gunicorn (threads or processes), the job worker, and every
process this script starts, stopped on exit whatever happens."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.pages import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = 4
THREADS = 4
MEMORY_LIMIT = 4 << 30  # a damaged index must not let a worker eat the shared machine
STARTED: list[subprocess.Popen] = []  # every process started, for stop_all()
CLOSING = threading.Event()  # set by stop_all: nothing new starts (e.g. the next rebuild)
WORKER_KINDS = {
    "threads": ["--worker-class", "gthread", "--threads", str(THREADS)],
    "sync": ["--worker-class", "sync"],
}


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a process in its own session (so its children stop with it), output to `log`."""
    if CLOSING.is_set():
        raise RuntimeError("the run is stopping")
    with log.open("ab") as output:
        process = subprocess.Popen([*_bounds(), *command], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    STARTED.append(process)
    return process


def _bounds() -> list[str]:
    """util-linux prefixes: cap the address space, and TERM the process should this script
    die without cleaning up (even by kill -9). Each exec()s the next: the pid stays."""
    prefix = []
    if shutil.which("prlimit"):
        prefix += ["prlimit", f"--as={MEMORY_LIMIT}", "--"]
    if shutil.which("setpriv"):
        prefix += ["setpriv", "--pdeathsig", "TERM", "--"]
    return prefix


def stop(process: subprocess.Popen, grace: float = 15.0) -> None:
    """TERM the process's group, KILL it after `grace` seconds."""
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(process, signal.SIGKILL)  # leftovers of the group (e.g. orphaned workers)
    if process.poll() is None:
        process.wait(timeout=grace)
    if process in STARTED:
        STARTED.remove(process)


def _signal_group(process: subprocess.Popen, number: int) -> None:
    """Signal the process group we created for `process` (ours alone: a new session)."""
    try:
        os.killpg(process.pid, number)
    except (ProcessLookupError, PermissionError):
        pass


def stop_all() -> None:
    """Stop every process still running (at exit, on Ctrl-C, on the hard timeout)."""
    CLOSING.set()
    for process in list(reversed(STARTED)):
        stop(process, grace=5.0)


def flask_command(*args: str) -> list[str]:
    """`flask ...` of the venv this script runs in."""
    return [str(BIN / "flask"), *args]


def run_flask(env: dict[str, str], log: Path, *args: str, timeout: float = 300) -> int:
    """Run one `flask ...` command to its end (bounded); its exit code."""
    process = start(flask_command(*args), env, log)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1
    finally:
        stop(process)


def has_job_worker(env: dict[str, str]) -> bool:
    """Whether this code has `flask jobs work` (the durable job queue)."""
    found = subprocess.run(flask_command("jobs", "--help"), cwd=ROOT, env=env,
                           capture_output=True, check=False, timeout=120)
    return found.returncode == 0


@dataclass
class Server:
    """gunicorn and, when the code has one, the job worker, for one scenario."""

    kind: str
    env: dict[str, str]
    folder: Path
    port: int = field(default_factory=free_port)
    gunicorn: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, with_worker: bool) -> None:
        """Start gunicorn (4 workers of the kind) and the job worker; wait for the form."""
        command = [str(BIN / "python"), "-m", "gunicorn", "--workers", str(WORKERS),
                   *WORKER_KINDS[self.kind], "--bind", f"127.0.0.1:{self.port}",
                   "--timeout", "30", "--graceful-timeout", "10", "wsgi:app"]
        self.gunicorn = start(command, self.env, self.folder / "gunicorn.log")
        if with_worker:
            self.worker = start(flask_command("jobs", "work"), self.env,
                                self.folder / "worker.log")
        wait_until_up(self.base + "/en/alert/", self.gunicorn, self.folder / "gunicorn.log")

    def stop(self) -> None:
        """Stop the web server and the worker."""
        for process in (self.gunicorn, self.worker):
            if process is not None:
                stop(process)

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the master)."""
        master = self.gunicorn.pid if self.gunicorn else 0
        return [pid for pid in _pids() if _parent(pid) == master]


def server_env(database_url: str, index_dir: Path, mail_port: int) -> dict[str, str]:
    """Production settings for one scenario, all that production mode asks for (the limiter
    is off: all clients are 127.0.0.1). The https BASE_URL only shapes e-mailed links and
    Secure cookies; the load client sends its cookies itself over http."""
    return {
        **os.environ, "FLASK_APP": "wsgi.py", "PYTHONDONTWRITEBYTECODE": "1",
        "CHAMPIONS_ENV_MODE": "production", "CHAMPIONS_SECRET_KEY": secrets.token_hex(32),
        "CHAMPIONS_DATABASE_URL": database_url, "CHAMPIONS_INDEX_DIR": str(index_dir),
        "CHAMPIONS_RATELIMIT_ENABLED": "false", "CHAMPIONS_MAIL_BACKEND": "smtp",
        "CHAMPIONS_MAIL_SERVER": "127.0.0.1", "CHAMPIONS_MAIL_PORT": str(mail_port),
        "CHAMPIONS_BASE_URL": "https://portal.load-test.invalid",
        "CHAMPIONS_PRIVACY_CONTROLLER": "Load test",
        "CHAMPIONS_PRIVACY_CONTACT": "load@test.invalid",
    }


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Wait until `url` answers 200; fail with the log's end when the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _pids() -> list[int]:
    """Every process id on this machine."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid: int) -> int:
    """The parent of a process (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])
