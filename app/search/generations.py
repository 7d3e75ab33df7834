"""The index folder's layout: the live index is a generation subfolder named by the pointer
file CURRENT, so a rebuild never renames INDEX_DIR itself (it may be a mount point) and
whatever is left over is recognisable by name and deleted later."""

from __future__ import annotations

import errno
import os
import re
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

POINTER = "CURRENT"
STAMP_FILE = "SCHEMA_VERSION"  # inside each generation: the schema it was built with
MB = 1024 * 1024
# gen-<UTC time>-<pid>: a built generation; building-<UTC time>-<pid>: one being built.
_FOLDER_RE = re.compile(r"^(?P<kind>gen|building)-(?P<stamp>\d{8}T\d{12})-(?P<pid>\d+)$")
# Temporary files of a pointer update or a write probe: .CURRENT-<pid>.tmp, .probe-<pid>-<n>.tmp
_TEMP_RE = re.compile(r"^\.(?:CURRENT|probe)-(?P<pid>\d+)(?:-\d+)?\.tmp$")
# The flat layout of schema 8 and before: the stamp and Whoosh's files right in INDEX_DIR.
_FLAT_RE = re.compile(r"^(?:SCHEMA_VERSION|_MAIN_\d+\.toc|MAIN_\w+(?:\.\w+)?)$")
_WRITE_ERRORS = {
    errno.EROFS: "index folder is read-only",
    errno.ENOSPC: "index folder is full",
    errno.EDQUOT: "index folder is over its disk quota",
    errno.EACCES: "index folder is not writable (permission denied)",
    errno.EPERM: "index folder is not writable (permission denied)",
}


def new_folder_name(kind: str) -> str:
    """A generation's folder name: kind ("gen" or "building"), UTC time, this process's id."""
    return f"{kind}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"


def built_name(building: str) -> str:
    """The generation name a building folder gets once its index is complete."""
    return "gen-" + building.removeprefix("building-")


def current_generation(folder: Path) -> tuple[str, tuple[int, int]]:
    """The generation CURRENT names and CURRENT's (inode, mtime), which change with every
    rebuild; OSError when there is no usable pointer."""
    pointer = folder / POINTER
    info = os.stat(pointer)
    name = pointer.read_text(encoding="ascii").strip()
    found = _FOLDER_RE.match(name)
    if not found or found["kind"] != "gen":
        raise OSError(errno.EINVAL, "CURRENT names no generation")
    return name, (info.st_ino, info.st_mtime_ns)


def point_to(folder: Path, name: str) -> None:
    """Make CURRENT name a generation: a temporary file, synced, renamed over CURRENT (readers
    see the old pointer or the new one, never half of one)."""
    temp = folder / f".{POINTER}-{os.getpid()}.tmp"
    with open(temp, "w", encoding="ascii") as handle:
        handle.write(f"{name}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, folder / POINTER)
    descriptor = os.open(folder, os.O_RDONLY)  # persist the rename itself
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs here (processes of another container sharing the
    volume are invisible: their folders would count as dead ones)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def building_now(folder: Path) -> bool:
    """True while a live process builds a new generation in the folder."""
    return any(found["kind"] == "building" and process_alive(int(found["pid"]))
               for found in _owned_folders(folder))


def _owned_folders(folder: Path) -> list[re.Match]:
    """The generation and building folders in the folder, as name matches."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [found for name in names if (found := _FOLDER_RE.match(name))]


def stale_entries(folder: Path) -> list[Path]:
    """What nothing reads or writes any more: generations other than CURRENT's (except a newer
    one a live process is about to point to), builds and temporary files of dead processes,
    and, once CURRENT exists, the flat layout's files; unknown files are never listed."""
    try:
        current = current_generation(folder)[0]
    except OSError:
        current = None
    stale = [folder / found.string for found in _owned_folders(folder)
             if found.string != current and not _in_progress(found, current)]
    for name in os.listdir(folder):
        temp = _TEMP_RE.match(name)
        if (temp and not process_alive(int(temp["pid"]))) or (current and _FLAT_RE.match(name)):
            stale.append(folder / name)
    return stale + legacy_siblings(folder)


def legacy_siblings(folder: Path) -> list[Path]:
    """Folders the old swap-by-rename left beside the index folder (".index.old-PID",
    ".index.building-PID") whose process is gone."""
    pattern = re.compile(rf"\.{re.escape(folder.name)}\.(old|building)-(?P<pid>\d+)")
    try:
        names = os.listdir(folder.parent)
    except OSError:
        return []
    return [folder.parent / name for name in names
            if (found := pattern.fullmatch(name)) and not process_alive(int(found["pid"]))]


def _in_progress(found: re.Match, current: str | None) -> bool:
    """A build of a live process, or the generation it just finished and will point to."""
    newer = current is None or found["stamp"] > _FOLDER_RE.match(current)["stamp"]
    alive = process_alive(int(found["pid"]))
    return alive and (found["kind"] == "building" or newer)


def remove_stale(folder: Path) -> int:
    """Delete the stale entries; what cannot be deleted now (a reader on Windows, a busy
    network share) is tried again by the next rebuild or the hourly task. Returns how many
    went."""
    removed = 0
    for path in stale_entries(folder) if folder.is_dir() else []:
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError:
            continue
        removed += 1
    return removed


def folder_problem(folder: Path, min_free_mb: int) -> str | None:
    """Why the folder cannot take saves or a rebuild (read-only, not writable, nearly full), or
    None; reading may still work."""
    try:
        read_only = os.statvfs(folder).f_flag & os.ST_RDONLY
        free_mb = shutil.disk_usage(folder).free // MB
    except OSError as error:
        return f"index folder cannot be checked ({errno.errorcode.get(error.errno, 'error')})"
    if read_only:
        return "index folder is read-only"
    if free_mb < min_free_mb:
        return f"index folder has {free_mb} MB free, below {min_free_mb} MB"
    return write_problem(folder)


def write_problem(folder: Path) -> str | None:
    """Create and delete a file in the folder: the only honest test (permission bits do not
    bind root, and a full or read-only mount only shows on a write)."""
    probe = folder / f".probe-{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.unlink(probe)
    except OSError as error:
        return _WRITE_ERRORS.get(error.errno, "index folder is not writable")
    return None
