"""The built wheel, installed in a fresh venv, runs the portal in production: `champions serve`
with 4 gunicorn workers on PostgreSQL, from a folder outside the checkout (nothing imported
from it), and a smoke journey goes through it over HTTP; backup and restore on PostgreSQL."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.fixtures.alerts import receipt_from, valid_alert
from tests.fixtures.app import csrf_token_from

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 300  # seconds for any one command (the whole test stays near 3 minutes)
SEARCHED_ITEM = "/en/library/case/antisemitic-chants-football-match-budapest"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command that must succeed; its output is shown when it does not."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=STEP_TIMEOUT,
                          check=False, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_server_url() -> str:
    """The CI PostgreSQL server (.ci/postgres-url starts it when needed), or a skip."""
    found = subprocess.run(["bash", str(ROOT / ".ci" / "postgres-url")], capture_output=True,
                           text=True, check=False, timeout=60).stdout.strip()
    if not found:
        pytest.skip("no PostgreSQL server answers on this machine")
    return found


@pytest.fixture(scope="module")
def fresh_database(postgres_server_url: str) -> Iterator[str]:
    """A new, empty database for this test on that server; dropped afterwards."""
    import psycopg

    server = make_url(postgres_server_url)
    name = f"champions_deploy_{secrets.token_hex(4)}"
    admin = server.set(drivername="postgresql", database="postgres")
    address = admin.render_as_string(hide_password=False)
    with psycopg.connect(address, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(address, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from the checkout's sdist (as `python -m build`
    does) and the PostgreSQL driver; its bin/ folder."""
    build = tmp_path_factory.mktemp("build")
    code = "import setuptools.build_meta as b, sys; print(b.build_sdist(sys.argv[1]))"
    sdist = run([sys.executable, "-c", code, str(build)], cwd=ROOT).stdout.split()[-1]
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(build),
         str(build / sdist)])
    wheel = next(build.glob("champions_portal-*.whl"))
    folder = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(folder)])
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel),
         "psycopg[binary]>=3.1,<4"])
    return bin_dir


def clean_environment(bin_dir: Path) -> dict[str, str]:
    """This machine's environment without the portal's, Flask's or Python's settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CHAMPIONS_", "FLASK_", "PYTHON"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def production(venv: Path, fresh_database: str, tmp_path_factory) -> dict[str, str]:
    """Production settings as an operator sets them (deploy/champions.env.example)."""
    data = tmp_path_factory.mktemp("data")
    return {**clean_environment(venv),
            "CHAMPIONS_ENV_MODE": "production",
            "CHAMPIONS_SECRET_KEY": secrets.token_hex(32),
            "CHAMPIONS_BASE_URL": "https://portal.example.org",
            "CHAMPIONS_DATABASE_URL": fresh_database,
            "CHAMPIONS_DATA_DIR": str(data),
            "CHAMPIONS_MAIL_BACKEND": "smtp",
            "CHAMPIONS_MAIL_SERVER": "127.0.0.1",
            "CHAMPIONS_MAIL_PORT": str(free_port()),  # nobody listens: mail stays queued
            "CHAMPIONS_PRIVACY_CONTROLLER": "Example NGO, 1 Street, City",
            "CHAMPIONS_PRIVACY_CONTACT": "privacy@example.org",
            "CHAMPIONS_PROXY_HOPS": "1",
            "CHAMPIONS_SERVE_BIND": f"127.0.0.1:{free_port()}",
            "CHAMPIONS_SERVE_WORKERS": "4"}


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A working folder outside the checkout: nothing can be imported from it by accident."""
    return tmp_path_factory.mktemp("operator")


def champions(venv: Path, env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`champions ARGS` of the venv, as the operator runs it."""
    return run([str(venv / "champions"), *args], env=env, cwd=cwd)


def test_help_works_in_a_fresh_venv_without_any_setting(venv, outside) -> None:
    shown = champions(venv, clean_environment(venv), outside, "--help").stdout
    for command in ("serve", "backup", "restore", "db", "content", "search", "jobs"):
        assert re.search(rf"^\s+{command}\s", shown, re.MULTILINE), command


def test_the_app_is_imported_from_the_venv(venv, production, outside) -> None:
    code = "import app; print(app.__file__)"
    found = run([str(venv / "python"), "-c", code], env=production, cwd=outside).stdout.strip()
    assert Path(found).is_relative_to(venv.parent)


@dataclass
class Browser:
    """A small HTTP client behind an https proxy: the cookies handled by hand (Secure cookies
    would never go back over plain http otherwise), redirects followed by path."""

    address: str  # host:port of gunicorn
    master: int = 0  # the gunicorn master's process id
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, form: dict | None = None) -> tuple[int, str]:
        """GET (or POST `form`) `path`, following redirects; (status, body)."""
        for _hop in range(5):
            status, location, body = self._once(path, form)
            if status not in (301, 302, 303):
                return status, body
            target = urllib.parse.urlsplit(location)
            path, form = target.path + (f"?{target.query}" if target.query else ""), None
        raise AssertionError(f"too many redirects from {path}")

    def _once(self, path: str, form: dict | None) -> tuple[int, str, str]:
        """One request: status, Location and body."""
        headers = {"X-Forwarded-Proto": "https", "Host": "portal.example.org"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://portal.example.org{path}"  # CSRF checks it on https
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.address, timeout=60)
        try:
            connection.request("POST" if form is not None else "GET", path, body, headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            text = response.read().decode("utf-8", "replace")
            return response.status, response.headers.get("Location", ""), text
        finally:
            connection.close()


def wait_until_serving(address: str, server: subprocess.Popen, seconds: float = 90) -> None:
    """Poll /healthz until it answers, the server dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            if Browser(address).request("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"nothing answered on {address} within {seconds:.0f} s")


def worker_count(master: int) -> int:
    """Processes whose parent is the gunicorn master."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if re.search(rf"^PPid:\s+{master}$", status.read_text(), re.MULTILINE):
                count += 1
        except OSError:
            continue  # a process that ended meanwhile
    return count


def log_tail(log: Path) -> str:
    """The end of the server's log, for a failure message."""
    return "server log:\n" + (log.read_text()[-20000:] if log.exists() else "(none)")


@pytest.fixture(scope="module")
def server(venv, production, outside) -> Iterator[Browser]:
    """The database migrated and filled, the index built, `champions serve` running; stopped
    with SIGTERM (gunicorn's graceful stop) afterwards, and killed if it will not stop."""
    for step in (("db", "upgrade"), ("content", "load"), ("search", "rebuild")):
        champions(venv, production, outside, *step)
    log = outside / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen([str(venv / "champions"), "serve"], env=production,
                                   cwd=outside, stdout=output, stderr=subprocess.STDOUT)
    try:
        address = production["CHAMPIONS_SERVE_BIND"]
        try:
            wait_until_serving(address, process)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{log_tail(log)}") from error
        yield Browser(address, master=process.pid)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, f"gunicorn did not stop cleanly\n{log_tail(log)}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(autouse=True)
def server_log_on_failure(request, capsys, outside) -> Iterator[None]:
    """Show the server's log when a test here fails (its report is logged before teardown)."""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before and (outside / "server.log").exists():
        with capsys.disabled():
            print(log_tail(outside / "server.log"))  # noqa: T201 - the evidence


def test_gunicorn_runs_four_workers(server) -> None:
    assert worker_count(server.master) == 4


def test_home_page_in_two_languages(server) -> None:
    english_status, english = server.request("/en/")
    german_status, german = server.request("/de/")
    assert (english_status, german_status) == (200, 200)
    assert '<html lang="en"' in english
    assert '<html lang="de"' in german
    assert "Bibliothek" in german  # the compiled catalogs are in the wheel
    assert "Bibliothek" not in english


def test_library_search_finds_an_item(server) -> None:
    status, page = server.request("/en/library/?q=football+antisemitic+chants")
    assert status == 200
    assert SEARCHED_ITEM in page


def test_alert_report_and_its_receipt_page(server) -> None:
    _status, form_page = server.request("/en/alert/")
    sent_status, result = server.request(
        "/en/alert/", {"csrf_token": csrf_token_from(form_page), **valid_alert()})
    assert sent_status == 200
    code = receipt_from(result)
    _status, receipt_form = server.request("/en/alert/follow-up")
    opened_status, follow_up = server.request(
        "/en/alert/follow-up", {"csrf_token": csrf_token_from(receipt_form), "code": code})
    assert opened_status == 200
    assert "Withdraw the alert" in follow_up


def test_health_and_readiness(server) -> None:
    assert server.request("/healthz")[0] == 200
    status, body = server.request("/readyz")
    assert status == 200, body


def test_backup_and_restore_on_postgresql(server, venv, production, outside) -> None:
    backup = outside / "before-restore.dump"
    champions(venv, production, outside, "backup", str(backup))
    restored = champions(venv, production, outside, "restore", "--yes", str(backup))
    assert "Search index rebuilt" in restored.stdout
    status, page = server.request("/en/library/?q=football+antisemitic+chants")
    assert SEARCHED_ITEM in page


def test_runtime_data_stays_out_of_the_package(server, venv, production) -> None:
    written = [path for pattern in ("**/*.sqlite", "**/search_index", "**/backups")
               for path in venv.parent.glob(pattern)]
    assert written == []
    assert (Path(production["CHAMPIONS_DATA_DIR"]) / "search_index").is_dir()
