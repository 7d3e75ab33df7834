"""The faults: a mail server that never answers (and one that works), a held index lock, a
damaged index segment, rebuilds in a loop, a killed worker, a filesystem that fills up."""

from __future__ import annotations

import os
import random
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from tests.load.server import CLOSING, flask_command, start, stop

CLEANUPS: list[Callable[[], None]] = []  # undone last-first: mounts, tablespaces
COPY_ROOM = 1 << 30  # tmpfs takes memory only for what is written
DAMAGE_BLOCKS, DAMAGE_BYTES = 32, 16 * 1024  # spread over the file: readers meet it


def run_cleanups(keep: int = 0) -> None:
    """Undo everything registered after the first `keep` entries, newest first."""
    while len(CLEANUPS) > keep:
        undo = CLEANUPS.pop()
        try:
            undo()
        except Exception as error:  # noqa: BLE001 - the rest must still be undone
            print(f"cleanup failed: {error}", file=sys.stderr, flush=True)


# Mail ------------------------------------------------------------------------------------
class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept a message; or, when the server hangs, silence."""

    def handle(self) -> None:
        """Greet and take messages, or hold the connection without a word."""
        if self.server.hang:
            while not self.server.stopping.is_set() and self.connection.recv(1024):
                pass  # the client gives up after its own timeout
            return
        self.wfile.write(b"220 load-test sink\r\n")
        while line := self.rfile.readline():
            if not self._answer(line[:4].upper()):
                return

    def _answer(self, verb: bytes) -> bool:
        """Answer one command; False after QUIT."""
        if verb == b"DATA":
            self.wfile.write(b"354 go on\r\n")
            while self.rfile.readline() not in (b".\r\n", b""):
                pass
            self.server.delivered += 1
        elif verb == b"QUIT":
            self.wfile.write(b"221 bye\r\n")
            return False
        self.wfile.write(b"250 ok\r\n")
        return True


class MailServer(socketserver.ThreadingTCPServer):
    """A local SMTP server on a free port: a sink that counts mail, or one that hangs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hang: bool) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.hang, self.delivered, self.stopping = hang, 0, threading.Event()
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop accepting and release held connections."""
        self.stopping.set()
        self.shutdown()
        self.server_close()


# Index -----------------------------------------------------------------------------------
def said(process, log: Path, words: str, timeout: float) -> bool:
    """Whether a helper process wrote `words` to its log within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if words in log.read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return False


class IndexLock:
    """Another process holding the Whoosh writer lock of the live index."""

    def __init__(self, index_dir: Path, env: dict[str, str], log: Path) -> None:
        command = [sys.executable, "-m", "tests.load.actors", "hold-lock", str(index_dir)]
        self.process = start(command, env, log)
        self.log = log

    def wait_locked(self, timeout: float = 60) -> bool:
        """Whether the holder said it has the lock within `timeout` seconds."""
        return said(self.process, self.log, "locked", timeout)

    def release(self) -> None:
        """Let go of the lock."""
        stop(self.process)


def live_index(index_dir: Path) -> Path:
    """The folder Whoosh's files of the live index are in: the generation the pointer file
    CURRENT names, or (the flat layout of older code) the index folder itself."""
    pointer = index_dir / "CURRENT"
    return index_dir / pointer.read_text().strip() if pointer.exists() else index_dir


def damage_segment(index_dir: Path, seed: int) -> str:
    """Overwrite DAMAGE_BLOCKS blocks of random bytes spread over the largest segment file of
    the live index, in place (open readers see the damage); which file was hit."""
    folder = live_index(index_dir)
    segments = sorted(folder.glob("*.seg"), key=lambda path: path.stat().st_size)
    if not segments:
        return "no segment file found"
    target, noise = segments[-1], random.Random(seed)
    size = target.stat().st_size
    step = max(size // DAMAGE_BLOCKS, 1)
    with target.open("r+b") as segment:
        for start in range(0, size - DAMAGE_BYTES, step):
            segment.seek(start + noise.randrange(min(step, size - DAMAGE_BYTES - start)))
            segment.write(noise.randbytes(DAMAGE_BYTES))
    return f"{target.name}: {DAMAGE_BLOCKS} blocks of {DAMAGE_BYTES // 1024} KiB overwritten"


class Repeatedly:
    """A command run again and again in the background until stopped (e.g. a rebuild)."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.runs, self.failures = 0, 0
        self.stopping = threading.Event()
        self.current: subprocess.Popen | None = None
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        """Run the command back to back."""
        while not self.stopping.is_set() and not CLOSING.is_set():
            self.current = start(self.command, self.env, self.log)
            code = self.current.wait()
            self.runs += 1
            self.failures += code != 0 and not self.stopping.is_set()

    def finish(self) -> None:
        """Let the run at hand end, then stop."""
        self.stopping.set()
        self.thread.join(timeout=300)
        if self.current is not None:
            stop(self.current)


def rebuild_loop(env: dict[str, str], log: Path) -> Repeatedly:
    """`flask search rebuild` back to back."""
    return Repeatedly(flask_command("search", "rebuild"), env, log)


class LibraryEditor:
    """Items saved and published during the load, by a separate process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.process = start([sys.executable, "-m", "tests.load.actors", "edit-library"], env,
                             log)

    def wait_first(self, timeout: float = 60) -> bool:
        """Whether the first item was published within `timeout` seconds."""
        return said(self.process, self.log, "published 1 ", timeout)

    def finish(self) -> str:
        """Stop; what it did."""
        stop(self.process)
        lines = self.log.read_text(errors="replace").splitlines()
        return next((line for line in reversed(lines) if line.startswith("editor:")),
                    "editor: no summary")


# Processes -------------------------------------------------------------------------------
def kill_worker(pids: list[int]) -> str:
    """kill -9 the gunicorn worker with the most open connections (requests in flight)."""
    if not pids:
        return "no worker found"
    busiest = max(pids, key=_sockets)
    connections = _sockets(busiest)
    os.kill(busiest, signal.SIGKILL)
    return f"a worker with {connections} sockets open killed"


def _sockets(pid: int) -> int:
    """Sockets a process holds open (its listener, clients, database, mail)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return 0
    return sum(link.startswith("socket:") for link in links)


# Disk ------------------------------------------------------------------------------------
@cache
def mount_problem() -> str | None:
    """Why a small tmpfs cannot be mounted here, or None (tried once)."""
    if os.geteuid() != 0:
        return "mounting a small filesystem needs root"
    with tempfile.TemporaryDirectory(prefix="champions-load-mount-") as folder:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder],
                                 capture_output=True, text=True, check=False)
        if mounted.returncode:
            return f"mount failed: {mounted.stderr.strip()}"
        subprocess.run(["umount", folder], check=False)
    return None


def small_filesystem(folder: Path) -> None:
    """Mount a tmpfs on `folder` (room enough to copy a database in; see leave_room); it is
    unmounted on cleanup."""
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={COPY_ROOM},mode=0755", "tmpfs",
                    str(folder)], check=True)
    CLEANUPS.append(lambda: subprocess.run(["umount", "-l", str(folder)], check=False))


def leave_room(folder: Path, room: int) -> None:
    """Shrink the tmpfs on `folder` to what it holds now plus `room` bytes (whole pages)."""
    stats = os.statvfs(folder)
    used = (stats.f_blocks - stats.f_bfree) * stats.f_frsize
    pages = -(-(used + room) // 4096)
    subprocess.run(["mount", "-o", f"remount,size={pages * 4096}", str(folder)], check=True)


def free_bytes(folder: Path) -> int:
    """Bytes still free on the filesystem of `folder`."""
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize

