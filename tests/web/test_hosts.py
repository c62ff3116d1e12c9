"""Several app hosts: two `discretion serve` processes with different data folders, one
PostgreSQL database and one bucket (SeaweedFS), and a separate task worker, all sealed with the
same keys. A case edited through one host is current through the other; a packet requested on
one is built by the worker and downloaded from the other; a killed worker's packet is finished by
the worker started after it. Runs in the PostgreSQL pass of `./dev test`."""

from __future__ import annotations

import os
import re
import signal
import sys
import uuid

import httpx
import pytest
from deployments import (
    BIN,
    SEED_CASE,
    environment,
    fresh_database,
    postgres_base,
    python,
    start,
    stop,
    wait_for,
)
from test_worker_lease import SLOW_WORKER

from object_store import ObjectStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not postgres_base(), reason="several hosts share PostgreSQL: the PostgreSQL pass runs it"
    ),
]
KEYS = "k1 " + "A" * 43


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(base: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60)
    page = c.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = c.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "alice", "password": "correct horse battery"},
    )
    assert r.status_code == 302, r.text[:500]
    return c


def _token(c: httpx.Client, path: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', c.get(path).text).group(1)


def _packet_link(c: httpx.Client, code: str) -> str | None:
    page = c.get(f"/cases/{code}/documents/").text
    found = re.search(r'<a href="(/files/[0-9a-f-]{36}/)">Filing packet', page)
    return found.group(1) if found else None


def test_two_hosts_one_database_one_bucket_and_a_worker(tmp_path):
    with ObjectStore(tmp_path / "s3") as s3, fresh_database("postgres") as url:
        prefix = f"hosts-{uuid.uuid4().hex[:8]}"
        shared = s3.env(prefix) | {"DISCRETION_ENCRYPTION_KEYS": KEYS, "DISCRETION_WORKER_LEASE_SECONDS": "3"}
        env_a = environment(tmp_path / "host-a", url, **shared)
        env_b = environment(tmp_path / "host-b", url, **shared)
        env_w = environment(tmp_path / "worker", url, **shared)
        code = python(SEED_CASE, env_a).split()[-1]
        port_a, port_b = _free_port(), _free_port()
        serve = [str(BIN / "discretion"), "serve", "--no-worker", "--processes", "1", "--threads", "4"]
        host_a = start(
            [*serve, "--data", str(tmp_path / "host-a"), "--port", str(port_a)], env_a, tmp_path / "a.log"
        )
        host_b = start(
            [*serve, "--data", str(tmp_path / "host-b"), "--port", str(port_b)], env_b, tmp_path / "b.log"
        )
        workers = []
        try:
            for port in (port_a, port_b):
                wait_for(lambda p=port: _up(p), timeout=180, what=f"host on port {port}")
            a, b = _login(f"http://127.0.0.1:{port_a}"), _login(f"http://127.0.0.1:{port_b}")

            # Edited through A, current through B.
            section = f"/cases/{code}/facts/identity/"
            r = a.post(
                section,
                data={
                    "csrfmiddlewaretoken": _token(a, section),
                    "version": "1",
                    "identity.name": "Rosa Delgado Paz",
                    "identity.a_number": "208555014",
                },
            )
            assert r.status_code == 302, r.text[:2000]
            assert "Rosa Delgado Paz" in b.get(f"/cases/{code}/").text

            # A packet requested on A; the first worker is killed half-way through the build.
            documents = f"/cases/{code}/documents/"
            r = a.post(f"{documents}packet/", data={"csrfmiddlewaretoken": _token(a, documents)})
            assert r.status_code == 302, r.text[:2000]
            flag = tmp_path / "stuck"
            slow = start(
                [sys.executable, "-c", SLOW_WORKER], env_w | {"STUCK_FLAG": str(flag)}, tmp_path / "w1.log"
            )
            workers.append(slow)
            wait_for(flag.exists, timeout=180, what="the first worker to start the build")
            os.kill(slow.pid, signal.SIGKILL)
            slow.wait()

            # A restarted worker finishes it; B serves the packet, from the bucket.
            worker = start(
                [sys.executable, "-m", "discretion.web.manage", "db_worker", "--interval", "0.3"],
                env_w,
                tmp_path / "w2.log",
            )
            workers.append(worker)
            link = wait_for(
                lambda: _packet_link(b, code), timeout=240, every=1, what="the packet to be built"
            )
            packet = b.get(link)
            assert packet.status_code == 200 and packet.content.startswith(b"%PDF")
            assert a.get(link).content == packet.content

            # The bucket holds the upload and the packet, sealed: neither is a PDF in the clear.
            stored = s3.objects(prefix)
            assert len(stored) >= 2 and all(not v.startswith(b"%PDF") for v in stored.values())
            assert all(b"208555014" not in v and b"Rosa Delgado" not in v for v in stored.values())
            # Nothing was written to either host's data folder but its static files.
            for host in ("host-a", "host-b", "worker"):
                files = [p for p in (tmp_path / host).rglob("*") if p.is_file() and "static" not in p.parts]
                assert files == [], files
        finally:
            for p in (*workers, host_a, host_b):
                stop(p)


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
