"""/healthz for load balancers and /metrics (Prometheus text, bearer token) for operators."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils.timezone import now

from discretion.web.worker.models import Heartbeat


def test_healthz_is_ok_when_the_database_and_storage_answer(client, db):
    r = client.get("/healthz")
    assert (r.status_code, r.content) == (200, b"ok")
    assert "no-store" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]


def test_healthz_is_503_naming_the_storage_when_it_cannot_be_reached(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "nowhere",
                "endpoint_url": "http://127.0.0.1:9",  # nothing listens on the discard port
                "access_key": "x",
                "secret_key": "y",
                "region_name": "us-east-1",
            },
        },
    }
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.content.decode().startswith("unavailable\nstorage: ")


def test_healthz_detail_reports_the_worker_heartbeat(client, db, settings):
    settings.WORKER_LEASE_SECONDS = 30
    r = client.get("/healthz?detail=1")
    assert (
        r.status_code == 503
        and json.loads(r.content)["worker"]["error"] == "RuntimeError: no task worker has reported"
    )
    Heartbeat.objects.create(worker_id="w1", host="h", pid=1, beat=now() - timedelta(seconds=90))
    assert "90 s old" in json.loads(client.get("/healthz?detail=1").content)["worker"]["error"]
    Heartbeat.objects.create(worker_id="w2", host="h2", pid=2, beat=now())
    r = client.get("/healthz?detail=1")
    checks = json.loads(r.content)
    assert r.status_code == 200 and all(c["ok"] for c in checks.values()) and checks["worker"]["host"] == "h2"


def test_metrics_need_the_token_and_count_requests_and_jobs(client, db, settings, alice):
    assert client.get("/metrics").status_code == 404  # off without a token
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    client.force_login(alice)
    assert client.get("/metrics").status_code == 401  # a login is not the token
    client.get("/cases/")
    r = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain; version=0.0.4")
    text = r.content.decode()
    assert 'discretion_http_requests_total{method="GET",status="2xx",view="cases:list"}' in text
    assert 'discretion_http_request_seconds_bucket{le="0.01",view="cases:list"}' in text
    assert 'discretion_jobs{status="ready"}' in text and "discretion_workers_alive 0.0" in text
    assert "/cases/" not in text  # views by name, never paths with case codes
