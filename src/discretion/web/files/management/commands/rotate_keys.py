"""`discretion manage rotate_keys`: seal every value and file again with the current key, online.

Run it once every host has the new key file (the new key listed first, the old ones still there
to read). Rows are re-written one at a time (a case only if nobody saved it meanwhile: whoever
did sealed it with the new key already), files one at a time; the site stays up. When it
reports nothing left under an old key, the old key can be removed from the file.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from discretion.web.files import blobs, sealing
from discretion.web.sealed import SealedJSONField, SealedTextField


def sealed_models():
    from django.apps import apps

    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SealedTextField | SealedJSONField)]
        if fields:
            yield model, fields


def old_key_counts() -> dict[str, int]:
    """How many sealed values each key id holds (raw column values, not opened)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model, fields in sealed_models():
            for f in fields:
                cursor.execute(f'SELECT "{f.column}" FROM "{model._meta.db_table}"')  # noqa: S608 - our own names
                for (value,) in cursor.fetchall():
                    key = sealing.text_key_id(value) if isinstance(value, str) else None
                    key = key or ("clear" if value not in (None, "") else None)
                    if key:
                        counts[key] = counts.get(key, 0) + 1
    return counts


class Command(BaseCommand):
    help = "Re-seal every stored value and file with the current encryption key"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="only count what each key holds")

    def handle(self, *args, check: bool, **options) -> None:
        current = sealing.current()
        if current is None:
            raise CommandError("No encryption key is configured (DISCRETION_ENCRYPTION_KEY_FILE)")
        if not check:
            self._rows()
            self._files()
        counts = old_key_counts()
        left = {k: n for k, n in counts.items() if k != current[0]}
        self.stdout.write(f"Values sealed with {current[0]}: {counts.get(current[0], 0)}")
        if left:
            self.stdout.write(
                "Still under another key: " + ", ".join(f"{k}: {n}" for k, n in sorted(left.items()))
            )
        else:
            self.stdout.write("Nothing is left under an older key.")

    def _rows(self) -> None:
        from discretion.web.cases.models import Case

        total = 0
        for model, fields in sealed_models():
            names = [f.name for f in fields]
            for obj in (
                model.objects.all()
                .only("pk", *names, *(["version"] if model is Case else []))
                .iterator(chunk_size=500)
            ):
                values = {n: getattr(obj, n) for n in names}
                qs = model.objects.filter(pk=obj.pk)
                if model is Case:
                    probe = Case()  # a throw-away row: only its search keys are read
                    probe.apply_facts(obj.to_facts())
                    values |= {"name_key": probe.name_key, "a_number_key": probe.a_number_key}
                    qs = qs.filter(version=obj.version)
                total += qs.update(**values)
        self.stdout.write(f"Re-sealed {total} rows.")

    def _files(self) -> None:
        from discretion.web.files.models import StoredFile

        done = 0
        for pk, path in StoredFile.objects.values_list("pk", "path").iterator():
            fresh = blobs.rewrite(path)
            if fresh is not None:
                StoredFile.objects.filter(pk=pk).update(path=fresh)
                blobs.delete(path)
                done += 1
        self.stdout.write(f"Re-sealed {done} files.")
