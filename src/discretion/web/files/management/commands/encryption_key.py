"""`discretion manage encryption_key new --file PATH`: add a new sealing key on top of a key file.

A new file also gets the ``search`` key (the keyed hashes of the case list), which is not
rotated with the sealing keys. The file is written with mode 0600; keep a copy apart from the
backups (docs/web.md, "Operations").
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from discretion.web.files.sealing import new_key_line, parse_keys


class Command(BaseCommand):
    help = "Add a new encryption key on top of a key file (or print one)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["new"])
        parser.add_argument("--file", type=Path, help="the key file to create or add to")
        parser.add_argument("--id", default=None, help="the new key's id (default: a random one)")

    def handle(self, *args, action: str, file: Path | None, id: str | None, **options) -> None:
        line = new_key_line(id)
        if file is None:
            self.stdout.write(line)
            return
        old = file.read_text(encoding="utf-8") if file.exists() else ""
        existing = parse_keys(old, where=str(file))
        if any(k == line.split()[0] for k, _ in existing):
            raise CommandError(f"{file} already has a key {line.split()[0]!r}")
        if not any(k == "search" for k, _ in existing):
            old = old + new_key_line("search") + "\n"
        file.parent.mkdir(parents=True, exist_ok=True)
        temp = file.with_name(file.name + ".new")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(line + "\n" + old)
        os.replace(temp, file)
        self.stdout.write(
            f"Added key {line.split()[0]} to {file}: restart every host with it, then run rotate_keys."
        )
