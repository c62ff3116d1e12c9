"""`discretion backup` / `discretion restore` round trips, SQLite and PostgreSQL: every case,
revision, screening, file (its bytes' hash) and audit row comes back identical into an empty
deployment; the archive is sealed; a deployment that is not empty is refused."""

from __future__ import annotations

import json
import subprocess

import pytest
from deployments import BIN, SEED_CASE, UPLOAD_MARKER, backends, environment, fresh_database, python
from test_sealed_at_rest import KEYS, MAKE_DOCUMENTS

from object_store import ObjectStore

pytestmark = pytest.mark.slow

STATE = r"""
import hashlib, json, django
django.setup()
from django.forms.models import model_to_dict
from discretion.web.audit.models import AuditEvent
from discretion.web.cases.models import Case, CaseRevision, ScreeningRecord
from discretion.web.files.models import StoredFile
state = {
    "cases": [[str(c.code), c.version, c.status, c.facts, c.name, c.a_number] for c in Case.objects.order_by("code")],
    "revisions": [[str(r.case.code), r.version, r.facts] for r in CaseRevision.objects.select_related("case").order_by("case__code", "version")],
    "screenings": [[str(s.code), s.result, s.summary] for s in ScreeningRecord.objects.order_by("code")],
    "files": [[str(f.code), f.original_name, f.sha256, hashlib.sha256(f.read()).hexdigest()] for f in StoredFile.objects.order_by("code")],
    "audit": [{k: str(v) for k, v in model_to_dict(a).items()} | {"id": a.pk, "created": str(a.created)} for a in AuditEvent.objects.order_by("pk")],
}
print(json.dumps(state, sort_keys=True, default=str))
"""


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "discretion"), *args], env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("backend", backends())
def test_backup_and_restore_round_trip(tmp_path, backend):
    with (
        ObjectStore(tmp_path / "s3") as s3,
        fresh_database(backend) as source_url,
        fresh_database(backend) as target_url,
    ):
        storage = (lambda prefix: s3.env(prefix)) if backend == "postgres" else (lambda prefix: {})
        source = environment(
            tmp_path / "source", source_url, DISCRETION_ENCRYPTION_KEYS=KEYS, **storage("source")
        )
        target = environment(
            tmp_path / "target", target_url, DISCRETION_ENCRYPTION_KEYS=KEYS, **storage("target")
        )
        python(SEED_CASE, source)
        python(MAKE_DOCUMENTS, source)
        before = json.loads(python(STATE, source))
        assert len(before["files"]) >= 10 and before["audit"] and before["revisions"]

        archive = tmp_path / "backup.dbk"
        made = _cli(["backup", "-o", str(archive), "--data", str(tmp_path / "source")], source)
        assert made.returncode == 0, made.stderr
        assert "1 cases" in made.stdout and not (tmp_path / "backup.dbk.part").exists()
        sealed = archive.read_bytes()
        assert sealed.startswith(b"DSEAL1k2026a")
        assert not any(
            s in sealed for s in (b"Quintero", b"208555014", UPLOAD_MARKER.encode(), b"SQLite format")
        )

        done = _cli(["restore", str(archive), "--data", str(tmp_path / "target")], target)
        assert done.returncode == 0, done.stderr
        after = json.loads(python(STATE, target))
        assert after == before

        # Restoring again on top of it is refused, naming why; nothing is touched.
        again = _cli(["restore", str(archive), "--data", str(tmp_path / "target")], target)
        assert again.returncode == 1 and "restore only into an empty deployment" in again.stderr
        assert "Traceback" not in again.stderr
        assert json.loads(python(STATE, target)) == before


def test_backup_without_a_key_says_how_to_make_one(tmp_path):
    env = environment(tmp_path / "data")
    python(
        "import django; django.setup(); from django.core.management import call_command; call_command('migrate', verbosity=0)",
        env,
    )
    r = _cli(["backup", "-o", str(tmp_path / "b.dbk"), "--data", str(tmp_path / "data")], env)
    assert r.returncode == 1 and "discretion manage encryption_key new --file KEYFILE" in r.stderr
    assert not (tmp_path / "b.dbk").exists()
