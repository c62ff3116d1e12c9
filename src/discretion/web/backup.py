"""`discretion backup` and `discretion restore`: one encrypted archive of the database and the files.

The archive is a tar stream sealed like a stored file (files.sealing: AES-256-GCM frames under
the current key; the key id is in its header, the key is never in it):

    manifest.json         format, when, database vendor, migrations applied, counts, files
    database.sqlite3      SQLite: an online snapshot (sqlite3's backup API), or
    database.pgdump       PostgreSQL: pg_dump --format=custom (one consistent snapshot)
    files/<stored name>   every stored file's bytes as stored (sealed when encryption is on)

Consistent while serving: the database is snapshotted first, then the files its rows name are
copied; stored files are never rewritten in place (uuid names; rotation writes new names), so
every row of the snapshot finds its bytes. ``restore`` only writes into an empty deployment (no
tables, no stored files), then runs the migrations, so an archive from an older version is
upgraded on the way in.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

FORMAT = "discretion-backup/1"


class BackupError(click.ClickException):
    pass


class _SealingWriter(io.RawIOBase):
    """A write-only file that seals what is written to it into ``out``."""

    def __init__(self, out: IO[bytes]) -> None:
        from discretion.web.files import sealing

        current = sealing.current()
        if current is None:
            raise BackupError(
                "Backups are encrypted and no encryption key is configured. Create one with\n"
                "  discretion manage encryption_key new --file KEYFILE\n"
                "and set DISCRETION_ENCRYPTION_KEY_FILE=KEYFILE (keep a copy of it apart from the backups)."
            )
        self.sealer = sealing.Sealer(*current)
        self.out = out
        self.out.write(self.sealer.header())
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.out.write(self.sealer.feed(data))
        self.size += len(data)
        return len(data)

    def finish(self) -> None:
        self.out.write(self.sealer.finish())


class _OpeningReader(io.RawIOBase):
    """A read-only file of the clear bytes of a sealed archive."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        from discretion.web.files import sealing

        self.chunks = sealing.open_stream(raw, name)
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self.buffer:
            try:
                self.buffer = next(self.chunks)
            except StopIteration:
                return 0
        n = min(len(target), len(self.buffer))
        target[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        return n


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(time.time())
    info.mode = 0o600
    with open(path, "rb") as f:
        tar.addfile(info, f)


def _database_snapshot(folder: Path) -> tuple[str, Path]:
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(str(settings_dict["NAME"]), timeout=30)
        try:
            copy = sqlite3.connect(str(target))
            with copy:
                source.backup(copy)  # a consistent copy while others write
            copy.close()
        finally:
            source.close()
        return "sqlite", target
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        _pg("pg_dump", ["--format=custom", "--no-owner", "--no-acl", f"--file={target}"], settings_dict)
        return "postgresql", target
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}")


def _pg(tool: str, args: list[str], settings_dict: dict[str, Any]) -> None:
    env = os.environ.copy()
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    connect = [
        f"--host={settings_dict.get('HOST') or 'localhost'}",
        f"--port={settings_dict.get('PORT') or 5432}",
        f"--username={settings_dict.get('USER') or 'postgres'}",
        f"--dbname={settings_dict['NAME']}",
    ]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is needed for PostgreSQL backups and restores (Debian: postgresql-client)")
    done = subprocess.run([tool, *connect, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-2000:]}")


def _migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def backup(out_path: Path) -> dict[str, Any]:
    """Write the archive to ``out_path`` (via a .part file, renamed when complete)."""
    from django.db import connection

    from discretion.web.cases.models import Case
    from discretion.web.files import blobs
    from discretion.web.files.models import StoredFile

    started = time.monotonic()
    out_path = out_path.resolve()
    part = out_path.with_name(out_path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="discretion-backup-") as tmp:
        vendor, snapshot = _database_snapshot(Path(tmp))
        paths = sorted(set(StoredFile.objects.values_list("path", flat=True)))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "database": vendor,
            "migrations": _migrations(),
            "cases": Case.objects.count(),
            "files": [],
        }
        missing = []
        try:
            with open(part, "wb") as raw:
                writer = _SealingWriter(raw)
                with tarfile.open(fileobj=writer, mode="w|") as tar:
                    _add_file(tar, snapshot.name, snapshot)
                    for name in paths:
                        try:
                            data = b"".join(_stored_chunks(blobs.storage(), name))
                        except FileNotFoundError:
                            missing.append(name)  # deleted since the snapshot was taken
                            continue
                        _add(tar, f"files/{name}", data)
                        manifest["files"].append(
                            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                        )
                    manifest["missing"] = missing
                    _add(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
                writer.finish()
            os.replace(part, out_path)
        finally:
            part.unlink(missing_ok=True)
    connection.close()
    return {
        "path": str(out_path),
        "bytes": out_path.stat().st_size,
        "seconds": round(time.monotonic() - started, 2),
        "cases": manifest["cases"],
        "files": len(manifest["files"]),
        "missing": missing,
    }


def _stored_chunks(storage, name: str) -> Iterator[bytes]:
    """The bytes as stored (sealed or not): a backup never opens a file, it carries it."""
    with storage.open(name, "rb") as f:
        while chunk := f.read(1024 * 1024):
            yield chunk


def _assert_empty() -> None:
    from django.db import connection

    tables = [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]
    if tables:
        raise BackupError(
            f"The target database already has {len(tables)} tables: restore only into an empty deployment "
            "(a new data folder, or a new PostgreSQL database)"
        )


def restore(archive: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from discretion.web.files import blobs

    started = time.monotonic()
    _assert_empty()
    manifest: dict[str, Any] | None = None
    restored_files = 0
    with tempfile.TemporaryDirectory(prefix="discretion-restore-") as tmp, open(archive, "rb") as raw:
        reader = io.BufferedReader(_OpeningReader(raw, str(archive)), buffer_size=1024 * 1024)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                        raise BackupError(f"{archive}: unexpected entry {member.name!r}")
                    data = tar.extractfile(member)
                    assert data is not None
                    if member.name == "manifest.json":
                        manifest = json.loads(data.read())
                    elif member.name in ("database.sqlite3", "database.pgdump"):
                        with open(Path(tmp) / member.name, "wb") as out:
                            shutil.copyfileobj(data, out)
                    elif member.name.startswith("files/"):
                        name = member.name.removeprefix("files/")
                        if blobs.exists(name):
                            raise BackupError(f"The storage already holds {name}: restore into empty storage")
                        from django.core.files.base import File

                        # A bucket upload needs a seekable file; a tar stream member is not one.
                        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
                            shutil.copyfileobj(data, spool)
                            spool.seek(0)
                            stored = blobs.storage().save(name, File(spool, name=os.path.basename(name)))
                        if stored != name:
                            raise BackupError(f"The storage renamed {name} to {stored}")
                        restored_files += 1
        except tarfile.TarError as exc:
            raise BackupError(f"{archive} is not a discretion backup (or it is damaged): {exc}") from None
        if manifest is None or manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} has no discretion manifest")
        vendor = manifest["database"]
        if vendor != connection.vendor:
            raise BackupError(
                f"The archive holds a {vendor} database; the target is {connection.vendor}. "
                "Restore a SQLite backup with --data alone, a PostgreSQL one with DATABASE_URL set"
            )
        if vendor == "sqlite":
            connection.close()
            target = Path(settings.DATABASES["default"]["NAME"])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(Path(tmp) / "database.sqlite3", target)
            os.chmod(target, 0o600)
        else:
            _pg(
                "pg_restore",
                ["--no-owner", "--no-acl", "--exit-on-error", str(Path(tmp) / "database.pgdump")],
                connection.settings_dict,
            )
    connection.close()
    call_command("migrate", interactive=False, verbosity=0)  # an older archive is upgraded here
    return {
        "cases": manifest["cases"],
        "files": restored_files,
        "seconds": round(time.monotonic() - started, 2),
        "created": manifest["created"],
    }
