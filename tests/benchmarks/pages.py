"""Page throughput: gunicorn (2 sync workers) serves the portal, wrk loads one page at a time.

Every page is compared with a hello-world route of the same app, served the same way in the
same run, so the figures are shares of what the server could do at best on this machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.measure import progress

ROOT = Path(__file__).resolve().parents[2]
WSGI_APP = "tests.benchmarks.hello_app:app"
WORKERS = 2
CONNECTIONS = 4  # two per worker: one is answered while the next waits
WARM_UP_SECONDS = 2
ALERT = ("A pupil in year 9 keeps showing classmates short videos from TikTok and Telegram "
         "channels that call migrants invaders. Yesterday he posted a swastika sticker photo in "
         "the class chat group and two girls were insulted as traitors. Parents are worried, "
         "the teacher does not know whether to call the police or talk to the family first.")
SEARCHES = (("en", "online"), ("pl", "radykalizacja"))  # words of the taxonomy's lexicons
MATCH_BODY = {"text": ALERT, "lang": "en", "categories": ["online_radicalisation"],
              "country": "DE", "setting": "school"}


@dataclass(frozen=True)
class Page:
    """One measured address; `target`: the share of hello-world it should reach."""

    name: str
    path: str
    target: float | None = None
    body: str | None = None  # JSON, POSTed


@dataclass
class Load:
    """The outcome of one page at one library size: status, requests per second per round."""

    status: int
    rates: list[float] = field(default_factory=list)
    errors: int = 0  # non-2xx/3xx answers and socket errors under load

    @property
    def rate(self) -> float:
        """Median requests per second (NaN when the page was not loaded)."""
        return statistics.median(self.rates) if self.rates else float("nan")


def pages(chapter: str) -> list[Page]:
    """hello-world first, then the pages users open most, with their targets."""
    return [
        Page("hello-world", "/hello"),
        Page("home", "/en/", 0.25),
        Page("library", "/en/library/", 0.15),
        *(Page(f"search ({lang})", f"/{lang}/library/?q={word}", 0.10) for lang, word in SEARCHES),
        Page("handbook chapter", f"/en/library/handbooks/{chapter}", 0.15),
        Page("alert form", "/en/alert/"),
        Page("match API (POST)", "/api/v1/match", 0.05, json.dumps(MATCH_BODY)),
    ]


def missing_tools() -> str | None:
    """Why pages cannot be measured here (wrk or gunicorn missing), or None."""
    if importlib.util.find_spec("gunicorn") is None:
        return "gunicorn is not installed (pip install -e '.[test]')"
    if not ensure_wrk():
        return "wrk is missing and this user cannot install it (apt-get install wrk)"
    return None


def ensure_wrk() -> bool:
    """wrk is there, or installed now from Debian when we are root (as .ci/ensure-chromium)."""
    if shutil.which("wrk"):
        return True
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    progress("Installing Debian's wrk for the page benchmark...")
    quiet = {"env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, "check": False,
             "stdout": subprocess.DEVNULL}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet)
    return shutil.which("wrk") is not None


def measure_pages(environment: dict[str, str], chapter: str, folder: Path,
                  rounds: int, seconds: float) -> dict[str, Load]:
    """Serve the library, check every page once, then load each page `rounds` times in turn."""
    script = post_script(folder / "post.lua")
    with serve(environment, folder / "gunicorn.log") as base:
        loads = {page.name: Load(status(base, page)) for page in pages(chapter)}
        working = [page for page in pages(chapter) if loads[page.name].status == 200]
        for page in working:
            run_wrk(base, page, WARM_UP_SECONDS, script)
        for number in range(1, rounds + 1):
            progress(f"  pages: round {number} of {rounds}")
            for page in working:
                rate, errors = run_wrk(base, page, seconds, script)
                loads[page.name].rates.append(rate)
                loads[page.name].errors += errors
    return loads


def post_script(path: Path) -> Path:
    """The wrk Lua script that POSTs the match API's JSON body."""
    path.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [==[{json.dumps(MATCH_BODY)}]==]\n", encoding="utf-8")
    return path


@contextmanager
def serve(environment: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn with WORKERS sync workers on a free local port; yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
               "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", WSGI_APP]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment},
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait until hello-world answers; fail with gunicorn's log when the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-2000:]}")
        if status(base, Page("hello-world", "/hello")) == 200:
            return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    """Stop the gunicorn we started (TERM, then KILL after 30 s)."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def status(base: str, page: Page) -> int:
    """The HTTP status of one request (0 when the server does not answer)."""
    data = page.body.encode() if page.body else None
    request = urllib.request.Request(base + page.path, data=data,  # noqa: S310 - our server
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def run_wrk(base: str, page: Page, seconds: float, script: Path) -> tuple[float, int]:
    """Requests per second and failed requests of one wrk run against one page."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "10s"]
    if page.body:
        command += ["-s", str(script)]
    output = subprocess.run([*command, base + page.path], capture_output=True, text=True,
                            check=True).stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", output)
    failed = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    sockets = re.search(r"Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)", output)
    errors = int(failed[1]) if failed else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return (float(rate[1]) if rate else 0.0), errors
