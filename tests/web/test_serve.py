"""`discretion serve` end to end: migrations, demo data, the worker and waitress, in a subprocess."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_demo_starts_a_working_workbench(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCRETION_") and k != "DATABASE_URL"}
    env["DISCRETION_POLICY_DIR"] = os.path.join(os.path.dirname(__file__), "policies")
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "discretion"),
            "serve",
            "--demo",
            "--demo-password",
            "serve-test-pass",
            "--data",
            str(tmp_path / "data"),
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(base + "/healthz", timeout=2).text == "ok":
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            log.seek(0)
            pytest.fail("server did not start:\n" + log.read())
        log.seek(0)
        output = log.read()
        assert "admin" in output and "serve-test-pass" in output
        with httpx.Client(base_url=base) as c:
            page = c.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            r = c.post(
                "/accounts/login/",
                data={"csrfmiddlewaretoken": token, "username": "ana", "password": "serve-test-pass"},
            )
            assert r.status_code == 302
            cases = c.get("/cases/")
            assert cases.status_code == 200
            assert re.search(r"1[0-9] cases", cases.text)
            assert c.get("/static/web/htmx.min.js").status_code == 200
        assert (tmp_path / "data" / "discretion.sqlite3").exists()
        # The background worker is running as a child process.
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid), "-f", "db_worker"], capture_output=True, text=True
        )
        assert children.stdout.strip(), "no db_worker child process"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
