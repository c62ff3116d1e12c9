"""Health and metrics for operators: ``/healthz`` for load balancers, ``/metrics`` for Prometheus.

``/healthz`` answers 200 "ok" when this host can serve: its database answers and its file
storage (data folder or bucket) answers. A dead task worker does not take app hosts out of a load
balancer, so it is not part of that answer; ``/healthz?detail=1`` gives every check as JSON,
the worker's heartbeat included, and is 503 if any fails (for monitoring).

``/metrics`` is Prometheus' text format (prometheus_client): requests by method, view and status
class and their latency, counted by every server process (gunicorn workers write to
PROMETHEUS_MULTIPROC_DIR, which `discretion serve` sets), and the job queue and worker
heartbeats read from the database at each scrape. It needs ``Authorization: Bearer <token>``
with DISCRETION_METRICS_TOKEN; without a configured token it does not exist (404).
"""

from __future__ import annotations

import hmac
import json
import os
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.timezone import now
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("discretion_http_requests_total", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram(
    "discretion_http_request_seconds",
    "Time to answer an HTTP request",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def _check(run: Callable[[], Any]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = run()
    except Exception as exc:  # a health check reports, never raises
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    out = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if isinstance(detail, dict):
        out |= detail
    return out


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _storage() -> dict[str, str]:
    from discretion.web.files import blobs

    blobs.exists("healthz-probe")  # a HEAD in a bucket, a stat on disk: raises if unreachable
    return {"kind": settings.STORAGE_KIND}


def _worker() -> dict[str, Any]:
    from discretion.web.worker.lease import lease_seconds
    from discretion.web.worker.models import Heartbeat

    latest = Heartbeat.objects.filter(stopped__isnull=True).order_by("-beat").first()
    if latest is None:
        raise RuntimeError("no task worker has reported")
    age = (now() - latest.beat).total_seconds()
    if age > lease_seconds():
        raise RuntimeError(f"the last worker heartbeat is {age:.0f} s old (lease {lease_seconds():.0f} s)")
    return {"heartbeat_age_s": round(age, 1), "host": latest.host}


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    checks = {"database": _check(_database), "storage": _check(_storage)}
    if request.GET.get("detail") == "1":
        checks["worker"] = _check(_worker)
        status = 200 if all(c["ok"] for c in checks.values()) else 503
        return HttpResponse(json.dumps(checks, indent=2), status=status, content_type="application/json")
    failed = [f"{name}: {c['error']}" for name, c in checks.items() if not c["ok"]]
    if failed:
        return HttpResponse("unavailable\n" + "\n".join(failed), status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class RequestMetrics:
    """Middleware: count each request and time it, by the view's URL name (never the path, which
    holds case codes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method or "", view, f"{response.status_code // 100}xx").inc()
        return response


class JobCollector:
    """The job queue and the workers, read from the database at each scrape."""

    def collect(self):
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from discretion.web.worker.lease import live_workers
        from discretion.web.worker.models import Heartbeat

        jobs = GaugeMetricFamily("discretion_jobs", "Background jobs by status", labels=["status"])
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            jobs.add_metric([status.lower()], counts.get(status, 0))
        yield jobs
        oldest = (
            DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        )
        waiting = GaugeMetricFamily("discretion_jobs_oldest_ready_seconds", "Age of the oldest job waiting")
        waiting.add_metric([], (now() - oldest).total_seconds() if oldest else 0)
        yield waiting
        live = live_workers()
        workers = GaugeMetricFamily("discretion_workers_alive", "Task workers with a fresh heartbeat")
        workers.add_metric([], len(live))
        yield workers
        beat = GaugeMetricFamily(
            "discretion_worker_heartbeat_age_seconds",
            "Seconds since each live worker's last beat",
            labels=["worker"],
        )
        done = GaugeMetricFamily(
            "discretion_worker_jobs", "Jobs run by each live worker", labels=["worker", "outcome"]
        )
        for hb in Heartbeat.objects.filter(worker_id__in=live):
            beat.add_metric([hb.worker_id], (now() - hb.beat).total_seconds())
            done.add_metric([hb.worker_id, "done"], hb.jobs_done)
            done.add_metric([hb.worker_id, "failed"], hb.jobs_failed)
        yield beat
        yield done


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY  # one process (tests, the development server)
        if not getattr(_registry, "jobs_registered", False):
            registry.register(JobCollector())
            _registry.jobs_registered = True  # type: ignore[attr-defined]
        return registry
    registry.register(JobCollector())
    return registry


@login_not_required
@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "METRICS_TOKEN", None)
    if not token:
        raise Http404("Metrics are off: set DISCRETION_METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("Metrics need the bearer token\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type="text/plain; version=0.0.4; charset=utf-8")
