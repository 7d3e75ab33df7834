#!/usr/bin/env python3
"""The quick start with nothing but Python 3.11+: `python3 manage.py run`, `python3 manage.py test`.

run        create .venv, install, compile translations, migrate, load the bundled library,
           build the search index, create demo accounts (printed), serve http://127.0.0.1:5000
           (--port N for another port) with the worker beside it (queued mail, forwarding,
           scheduled upkeep); always in development mode (production: see README, Deploying)
test       the whole suite: SQLite (browser tests included; Debian's chromium is installed when
           missing and we are root), then PostgreSQL when a server answers on this machine
benchmark  page throughput beside a hello-world route, ALERT matching and index builds beside
           SQLite FTS5, spelling cost (--quick for a smoke run; --help for the options)
loadtest   ALERT reports under load with faults (locked or corrupt index, mail down, rebuilds,
           a killed worker, a full database) against gunicorn on SQLite and PostgreSQL, as root
           (--quick for a smoke run; --help for the options)
lint       ruff over app/ and tests/
"""

from __future__ import annotations

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
# Development mode explicitly: the portal refuses the default secret key, console mail and a
# plain-http BASE_URL in any other mode (app/config.py), and everything here is development.
ENV = {**os.environ, "FLASK_APP": "wsgi.py", "PYTHONDONTWRITEBYTECODE": "1",
       "CHAMPIONS_ENV_MODE": "development"}


def sh(*command: str, env: dict | None = None) -> int:
    """Run a command in the repository root; return its exit code."""
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env or ENV, check=False).returncode


def must(*command: str, env: dict | None = None) -> None:
    """Run a command that has to succeed."""
    code = sh(*command, env=env)
    if code:
        sys.exit(code)


def requirements() -> list[str]:
    """install_requires plus the test extra of setup.cfg."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    lines += config["options.extras_require"]["test"].splitlines()
    return [line.strip() for line in lines if line.strip()]


def setup() -> None:
    """Create .venv and install the dependencies (again only when setup.cfg changed)."""
    if STAMP.exists() and STAMP.stat().st_mtime >= (ROOT / "setup.cfg").stat().st_mtime:
        return
    print("== creating .venv and installing dependencies", flush=True)
    venv.create(VENV, with_pip=True)
    must(str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    must(str(BIN / "python"), "-m", "pip", "install", "--quiet", *requirements())
    STAMP.touch()


def flask(*args: str) -> None:
    """A `flask ...` command of the portal."""
    must(str(BIN / "flask"), *args)


def prepare() -> None:
    """Environment and compiled translations: what both commands need."""
    setup()
    flask("translations", "compile")


def run() -> None:
    """Set everything up on the embedded default and serve the portal (`--port N`)."""
    port = port_option(sys.argv[2:])
    prepare()
    (ROOT / "instance").mkdir(exist_ok=True)
    flask("db", "upgrade")
    flask("content", "load")
    flask("search", "rebuild")
    flask("dev", "demo-accounts")
    env = serving_environment(port)
    worker = subprocess.Popen([str(BIN / "flask"), "jobs", "work"], cwd=ROOT, env=env)
    try:  # the worker sends the mail and forwards alerts; it stops with the portal
        sh(str(BIN / "flask"), "run", "--host", "127.0.0.1", "--port", str(port), env=env)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def port_option(args: list[str]) -> int:
    """The port of `run --port N` (or --port=N); 5000 without one."""
    parser = argparse.ArgumentParser(prog="manage.py run")
    parser.add_argument("--port", type=int, default=5000, help="port to serve on (5000)")
    return parser.parse_args(args).port


def serving_environment(port: int) -> dict:
    """ENV with e-mailed links pointing at this port (unless CHAMPIONS_BASE_URL says else)."""
    return {"CHAMPIONS_BASE_URL": f"http://127.0.0.1:{port}", **ENV}


def test() -> None:
    """The whole suite on SQLite, then on PostgreSQL when one answers; exit code of the worst."""
    prepare()
    if shutil.which("bash"):
        sh("bash", ".ci/ensure-chromium")
    pytest = [str(BIN / "python"), "-m", "pytest"]
    print("== SQLite pass", flush=True)
    worst = sh(*pytest)
    url = postgres_url()
    if url:
        print("== PostgreSQL pass", flush=True)
        # the deploy test builds the wheel and uses PostgreSQL itself: once per run is enough
        worst = max(worst, sh(*pytest, "-m", "not browser and not deploy",
                             env={**ENV, "CHAMPIONS_TEST_DATABASE_URL": url}))
    else:
        print("== no PostgreSQL server answers here: PostgreSQL pass skipped", flush=True)
    sys.exit(worst)


def postgres_url() -> str:
    """A PostgreSQL test database URL from .ci/postgres-url (starts the server if needed)."""
    if not shutil.which("bash"):
        return ""
    found = subprocess.run(["bash", ".ci/postgres-url"], cwd=ROOT, capture_output=True,
                           text=True, check=False)
    return found.stdout.strip()


def benchmark() -> None:
    """Pages, index build, ALERT matching and spelling next to FTS5 (arguments passed on)."""
    prepare()
    must(str(BIN / "python"), "-m", "tests.benchmarks.run", *sys.argv[2:])


def loadtest() -> None:
    """Load and faults against a production server (arguments passed on)."""
    prepare()
    must(str(BIN / "python"), "-m", "tests.load.run", *sys.argv[2:])


def lint() -> None:
    """Ruff over the code and the tests."""
    setup()
    must(str(BIN / "ruff"), "check", "app", "tests", "manage.py")


COMMANDS = {"run": run, "test": test, "benchmark": benchmark, "loadtest": loadtest,
            "lint": lint}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]]()
