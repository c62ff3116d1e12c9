"""Where the bytes of stored files live: Django's storage API, sealed at rest.

Every upload, letter and packet goes through ``storages["default"]``: the data folder by default
(``FileSystemStorage``), an S3-compatible bucket with ``DISCRETION_STORAGE=s3`` (django-storages'
``S3Storage`` with boto3). Nothing else in the web app opens a stored file by path, so several
app hosts and the worker share one bucket.

With an encryption key configured (``files.sealing``), the bytes are sealed with AES-GCM before
they reach the storage and opened again on the way out: the bucket and the data folder hold no
uploaded byte in clear. The core (packets, preflight) reads files from disk, so
``local_copies`` writes the clear bytes of the files it needs into a private temporary folder for
the length of one build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages

from discretion.web.files import sealing

CHUNK = 1024 * 1024
# Temporary folders carry the pid of the process that made them, so a worker that was killed
# can have its leftovers swept by the next one (worker.lease.sweep_leftovers).
TEMP_PREFIX = "discretion-files-"


def storage() -> Storage:
    return storages["default"]


def put(name: str, chunks: Iterable[bytes]) -> tuple[str, int, str]:
    """Store the bytes under ``name`` (sealed when a key is configured).

    Returns (stored name, clear size, clear SHA-256). The bytes are spooled through a private
    temporary file so that a file of any size is never held in memory whole.
    """
    digest = hashlib.sha256()
    size = 0
    with tempfile.TemporaryFile(prefix="discretion-blob-") as spool:
        sealer = sealing.Sealer.for_writing(name)
        if sealer is not None:
            spool.write(sealer.header())
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            spool.write(sealer.feed(chunk) if sealer is not None else chunk)
        if sealer is not None:
            spool.write(sealer.finish())
        spool.seek(0)
        stored = storage().save(name, File(spool, name=os.path.basename(name)))
    if isinstance(storage(), FileSystemStorage):
        with contextlib.suppress(OSError):
            os.chmod(storage().path(stored), 0o600)
    return stored, size, digest.hexdigest()


def put_bytes(name: str, data: bytes) -> tuple[str, int, str]:
    return put(name, [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""])


def _raw(name: str) -> IO[bytes]:
    return storage().open(name, "rb")


def chunks(name: str) -> Iterator[bytes]:
    """The clear bytes of a stored file, a chunk at a time (authenticated as they are read)."""
    with _raw(name) as raw:
        yield from sealing.open_stream(raw, name)


def read(name: str) -> bytes:
    return b"".join(chunks(name))


def exists(name: str) -> bool:
    return storage().exists(name)


def delete(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        storage().delete(name)


def rewrite(name: str) -> str | None:
    """Seal the file again with the current key (key rotation), under a new name; None if it
    already is. The caller points its row at the new name, then deletes the old file, so a
    crash half-way loses nothing."""
    with _raw(name) as raw:
        head = raw.read(sealing.HEADER_SIZE)
    if sealing.sealed_with_current_key(head):
        return None
    base, dot, ext = name.rpartition(".")
    stored, _size, _sha = put(f"{base}-r{os.urandom(3).hex()}{dot}{ext}" if dot else f"{name}-r", chunks(name))
    return stored


@contextlib.contextmanager
def local_copies(names: Iterable[str]) -> Iterator[dict[str, Path]]:
    """``{stored name: path}`` of readable clear copies, for code that reads files from disk.

    Clear files in the data folder are used where they are; anything sealed or in a bucket is
    written into a private temporary folder under the same base name (preflight messages name
    files by it) and removed when the block ends, on every exit path.
    """
    folder: Path | None = None
    paths: dict[str, Path] = {}
    try:
        for name in names:
            if name in paths:
                continue
            local = _clear_local_path(name)
            if local is None:
                if folder is None:
                    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
                local = folder / os.path.basename(name)  # uuid names: unique
                with open(local, "xb") as out:
                    for chunk in chunks(name):
                        out.write(chunk)
            paths[name] = local
        yield paths
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _clear_local_path(name: str) -> Path | None:
    store = storage()
    if not isinstance(store, FileSystemStorage):
        return None
    path = Path(store.path(name))
    try:
        with open(path, "rb") as raw:
            head = raw.read(sealing.HEADER_SIZE)
    except FileNotFoundError:
        raise FileNotFoundError(f"{name} is missing from storage") from None
    return None if sealing.is_sealed(head) else path
