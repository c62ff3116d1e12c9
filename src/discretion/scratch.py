"""Temporary files and folders that never outlive the process that made them.

A packet converts its exhibits in a scratch folder (100 MB and more for a phone's photos) and
every output is written to a hidden temporary file beside its final name, renamed into place
when complete. Context managers remove them on every way out that Python sees (an error,
Ctrl-C, SIGTERM — the CLI turns that into an exit). ``kill -9``, a power cut or the OOM killer
leave them behind, so each one is also *locked* (``flock``) by the process that made it, for
as long as it lives: the kernel drops the lock when the process dies, however it dies.
``sweep`` (run as the CLI starts) and ``sweep_beside`` (run before writing a file) remove
every scratch folder and temporary file whose lock is free. A lock, not a process id: ids are
reused, and a lock can be tested without a race.

The standard library's ``tempfile`` makes the names; it has no notion of an owner that died,
hence this module. Where ``fcntl`` does not exist (Windows) nothing is locked and the sweep
only removes what is older than ``STALE_AFTER``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

PREFIX = "discretion-"
LOCK_NAME = ".discretion-lock"
STALE_AFTER = 24 * 3600.0  # seconds; for files nobody can lock (no fcntl, or an older version)
TEMP_SUFFIXES = (".tmp", ".part")


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _is_free(path: Path) -> bool:
    """Whether no living process holds the lock on ``path`` (False when it cannot be told)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its maker is alive
    finally:
        os.close(fd)  # closing drops the lock taken just now
    return True


@contextlib.contextmanager
def scratch_dir(kind: str, root: Path | None = None) -> Iterator[Path]:
    """A fresh folder ``discretion-<kind>-XXXX`` in the system's temporary folder (or ``root``),
    locked while it is in use and removed with everything in it on the way out."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-", dir=root))
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _lock(fd)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


@contextlib.contextmanager
def staged(path: Path, suffix: str = ".tmp") -> Iterator[tuple[int, Path]]:
    """A hidden temporary file beside ``path`` (``.<name>.XXXX<suffix>``), locked, as (fd, path).

    The caller writes it (through the fd or by name) and renames it onto ``path``; if it is
    still there on the way out it is removed. The fd is the caller's to close (after which the
    file is no longer locked: rename it first)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    temp = Path(name)
    try:
        _lock(fd)
        yield fd, temp
    finally:
        temp.unlink(missing_ok=True)


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the scratch folders in ``root`` (the system's temporary folder) whose maker died.

    Only folders this module made (named ``discretion-*`` with a lock file) are touched, and
    only when no process holds their lock; returns what was removed."""
    base = Path(root) if root is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            if (
                not entry.is_dir(follow_symlinks=False)
                or entry.stat(follow_symlinks=False).st_uid != os.getuid()
            ):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        folder = Path(entry.path)
        lock = folder / LOCK_NAME
        if (lock.exists() and _is_free(lock)) or (fcntl is None and age > STALE_AFTER):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def sweep_beside(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` (``.<name>.*.tmp`` / ``.part``) left by a
    process that died while writing it; a living writer's files are locked and kept."""
    folder = path.parent if str(path.parent) else Path(".")
    removed: list[Path] = []
    try:
        candidates = [
            p for p in folder.glob(f".{_glob_escape(path.name)}.*") if p.name.endswith(TEMP_SUFFIXES)
        ]
    except OSError:
        return removed
    for temp in candidates:
        try:
            stale = _is_free(temp) or (fcntl is None and time.time() - temp.stat().st_mtime > STALE_AFTER)
        except OSError:
            continue
        if stale and temp.is_file() and not temp.is_symlink():
            temp.unlink(missing_ok=True)
            removed.append(temp)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def die_with_parent(owner: int | None = None) -> None:
    """In a worker process: be killed when the parent dies (Linux), so a ``kill -9`` of the
    CLI leaves no orphan worker converting exhibits, or holding an inherited lock, for ever.

    ``owner`` is the pid of the process that started the pool: if it is already gone by the
    time the worker asks, the worker ends at once (the kernel only signals later deaths)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: workers end when their task queue closes, as before
    if owner is not None:
        try:
            os.kill(owner, 0)  # signal 0 only asks whether the process exists
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass  # it exists (perhaps as another user): keep working
