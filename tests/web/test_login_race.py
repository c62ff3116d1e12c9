"""16 wrong passwords for one user sent at the same instant to a real `discretion serve` (two
server processes): no more than the limit (5) are checked, the rest are refused, and the right
password still works from another address. On SQLite, and on PostgreSQL when DATABASE_URL names
one (the second half of ./dev test), in a database of its own."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from test_booking_race import _databases, _pg_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_server import PASSWORD, running_server, server_env  # noqa: E402

pytestmark = pytest.mark.slow
ATTEMPTS = 16

COUNT = r"""
import django
django.setup()
from axes.models import AccessAttempt
print(sum(a.failures_since_start for a in AccessAttempt.objects.filter(username="alice")))
"""


def _csrf(response: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def _client(url: str, source: str = "127.0.0.1") -> httpx.Client:
    return httpx.Client(base_url=url, timeout=60, transport=httpx.HTTPTransport(local_address=source))


def _post_login(c: httpx.Client, token: str, password: str) -> httpx.Response:
    return c.post(
        "/accounts/login/", data={"csrfmiddlewaretoken": token, "username": "alice", "password": password}
    )


@pytest.mark.parametrize(("backend", "url"), list(_databases()), ids=[b for b, _ in _databases()])
def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(tmp_path, backend, url):
    drop = None
    if url:
        url, drop = _pg_database(url)
    try:
        with running_server(
            data=tmp_path, database_url=url, extra_args=("--processes", "2"), worker=False
        ) as server:
            clients = [_client(server.url) for _ in range(ATTEMPTS)]
            tokens = [_csrf(c.get("/accounts/login/")) for c in clients]
            barrier = threading.Barrier(ATTEMPTS)
            statuses: list[int] = []

            def attempt(c: httpx.Client, token: str) -> None:
                barrier.wait()
                statuses.append(_post_login(c, token, "wrong password, guessed").status_code)

            threads = [threading.Thread(target=attempt, args=ct) for ct in zip(clients, tokens, strict=True)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)

            c = clients[0]
            locked = _post_login(c, _csrf(c.get("/accounts/login/")), PASSWORD)
            elsewhere = _client(server.url, "127.0.0.2")
            ok = _post_login(elsewhere, _csrf(elsewhere.get("/accounts/login/")), PASSWORD)
            for c in [*clients, elsewhere]:
                c.close()
        checked = int(
            subprocess.run(
                [sys.executable, "-c", COUNT],
                env=server_env(tmp_path, url),
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        assert checked == 5, statuses
        assert sorted(statuses) == [400] * 4 + [429] * (ATTEMPTS - 4)
        assert locked.status_code == 429  # the right password from the guesser's address
        assert ok.status_code == 302 and ok.headers["location"] == "/"  # and from another one
    finally:
        if drop:
            drop()
