"""`discretion serve` end to end: migrations, demo data, the worker and gunicorn, in a subprocess."""

from __future__ import annotations

import os
import re
import signal
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


def _start(tmp_path, *extra: str) -> tuple[subprocess.Popen, str, object]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCRETION_") and k != "DATABASE_URL"}
    env["DISCRETION_POLICY_DIR"] = os.path.join(os.path.dirname(__file__), "policies")
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "discretion"), "serve", "--data", str(tmp_path / "data")]
        + ["--port", str(port), *extra],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if httpx.get(base + "/healthz", timeout=2).text == "ok":
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        log.seek(0)
        pytest.fail("server did not start:\n" + log.read())
    return proc, base, log


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _gone(pids: list[int], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_processes_share_the_port_and_all_stop_together(tmp_path, stop_signal):
    proc, base, log = _start(tmp_path, "--processes", "3")
    try:
        children = _children(proc.pid)
        workers = subprocess.run(
            ["pgrep", "-P", str(proc.pid), "-f", "db_worker"], capture_output=True, text=True
        ).stdout.split()
        assert len(workers) == 1, "exactly one task worker"
        (arbiter,) = [p for p in children if str(p) not in workers]  # gunicorn's own supervisor
        servers = _children(arbiter)
        assert len(servers) == 3, f"three server processes, got {servers}"
        children += servers
        # Many requests at once are answered (by whichever process accepts them).
        with httpx.Client(base_url=base) as c:
            assert all(c.get("/healthz").text == "ok" for _ in range(30))
        log.seek(0)
        assert "3 server process(es)" in log.read()
        proc.send_signal(stop_signal)
        proc.wait(timeout=20)
        assert _gone(children), "a server process or the task worker outlived serve"
        with pytest.raises(httpx.HTTPError):
            httpx.get(base + "/healthz", timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def test_serve_starts_a_killed_worker_again(tmp_path):
    proc, base, log = _start(tmp_path)
    try:

        def worker() -> list[str]:
            found = subprocess.run(
                ["pgrep", "-P", str(proc.pid), "-f", "db_worker"], capture_output=True, text=True
            )
            return found.stdout.split()

        (first,) = worker()
        os.kill(int(first), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and worker() in ([], [first]):
            time.sleep(0.2)
        (second,) = worker()
        assert second != first
        log.seek(0)
        assert f"The task worker (pid {first}) exited (code -9); starting it again" in log.read()
        assert httpx.get(base + "/healthz", timeout=5).status_code == 200  # the app server never stopped
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_serve_refuses_a_port_in_use_with_a_clear_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("DISCRETION_") and k != "DATABASE_URL"}
        env["DISCRETION_POLICY_DIR"] = os.path.join(os.path.dirname(__file__), "policies")
        r = subprocess.run(
            [str(Path(sys.executable).parent / "discretion"), "serve", "--no-worker"]
            + ["--data", str(tmp_path / "data"), "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in r.stderr
    assert "Traceback" not in r.stderr


def test_concurrent_case_page_views_on_sqlite_all_succeed(tmp_path):
    """Every case page view writes an audit row: many at once, over two processes, must all be
    answered (no "database is locked" 500s)."""
    from concurrent.futures import ThreadPoolExecutor

    proc, base, log = _start(tmp_path, "--demo", "--demo-password", "serve-test-pass", "--processes", "2")
    try:
        with httpx.Client(base_url=base) as c:
            page = c.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            c.post(
                "/accounts/login/",
                data={"csrfmiddlewaretoken": token, "username": "ana"} | {"password": "serve-test-pass"},
            )
            codes = re.findall(r'<tr id="case-([0-9a-f-]{36})"', c.get("/cases/").text)
            cookies = dict(c.cookies)
        assert codes

        def view(i: int) -> int:
            with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
                return [client.get(f"/cases/{codes[(i + k) % len(codes)]}/").status_code for k in range(8)]

        with ThreadPoolExecutor(24) as pool:
            statuses = [s for batch in pool.map(view, range(24)) for s in batch]
        assert statuses.count(200) == len(statuses), sorted(set(statuses))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
