"""Encryption at rest: after a case is entered, screened, given an upload, a letter and a packet,
neither its name nor its A-number nor a byte of the upload is in clear in the SQLite file (with its
WAL), the PostgreSQL dump, the data folder or the bucket; and the workbench still reads it all and
finds the case by name and A-number."""

from __future__ import annotations

import json
import subprocess

import pytest
from deployments import SEED_CASE, UPLOAD_MARKER, backends, environment, fresh_database, python

from object_store import ObjectStore

pytestmark = pytest.mark.slow
KEYS = "k2026a " + "B" * 43 + "\nsearch " + "C" * 43
SECRETS = [b"Alma", b"Quintero", b"208555014", b"208-555-014", UPLOAD_MARKER.encode()]

MAKE_DOCUMENTS = r"""
import json, django
django.setup()
from django.contrib.auth import get_user_model
from discretion.web.cases.forms import CaseFilterForm
from discretion.web.cases.listing import filter_form, filtered_cases
from discretion.web.cases.models import Case
from discretion.web.documents import actions
from discretion.web.documents.tasks import build_packet_task
from django.db import transaction
from django.utils.timezone import localdate
alice = get_user_model().objects.get(username="alice")
case = Case.objects.get()
actions.generate_letter(case, by=alice)
with transaction.atomic():
    doc = actions.queue_packet(case, by=alice)
build_packet_task.call(doc.pk)
doc.refresh_from_db()
found = {q: [c.name for c in filtered_cases(filter_form({"q": q}, case.organisation), organisation=case.organisation, user=alice, today=localdate())]
         for q in ("quintero", "alma q", "Quin", "208555014", "208-555", "smith", "999")}
print(json.dumps({"packet": doc.status, "error": doc.error, "name": case.name, "a_number": case.a_number_display,
                  "upload": case.files.filter(kind="evidence").get().read()[:5].decode(), "found": found}))
"""


@pytest.mark.parametrize("backend", backends())
def test_no_name_a_number_or_upload_byte_in_clear_at_rest(tmp_path, backend):
    with ObjectStore(tmp_path / "s3") as s3, fresh_database(backend) as url:
        data = tmp_path / "data"
        # SQLite keeps files in the data folder, PostgreSQL in the bucket: both stores are checked.
        storage = s3.env("sealed") if backend == "postgres" else {}
        env = environment(data, url, DISCRETION_ENCRYPTION_KEYS=KEYS, **storage)
        python(SEED_CASE, env)
        out = json.loads(python(MAKE_DOCUMENTS, env).strip().splitlines()[-1])

        # The workbench reads everything back, and finds the case by what the list searches on.
        assert out["packet"] == "done", out["error"]
        assert (out["name"], out["a_number"], out["upload"]) == ("Alma Quintero Sol", "208-555-014", "%PDF-")
        hit = ["Alma Quintero Sol"]
        assert out["found"] == {
            "quintero": hit,
            "alma q": hit,
            "Quin": hit,
            "208555014": hit,
            "208-555": hit,
            "smith": [],
            "999": [],
        }

        places: dict[str, bytes] = {}
        for path in data.rglob("*"):
            if path.is_file() and "static" not in path.parts:
                places[str(path.relative_to(tmp_path))] = path.read_bytes()
        if url:
            dump = subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True).stdout
            places["pg_dump"] = dump
            assert b"COPY public.cases_case" in dump  # the dump holds the cases, sealed
        else:
            assert any(p.endswith("discretion.sqlite3") for p in places)
        for key, body in s3.objects("sealed").items():
            places[f"bucket:{key}"] = body
        assert len(places) >= 3
        leaks = {
            (where, secret.decode()) for where, body in places.items() for secret in SECRETS if secret in body
        }
        assert not leaks, f"in clear at rest: {sorted(leaks)}"
