"""`discretion serve --demo` prints the demo's public consultation page and an open invitation
beside the logins, both work, and starting without --demo turns them off."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_server import running_server  # noqa: E402

pytestmark = pytest.mark.slow


def test_demo_mode_prints_working_person_links_that_stop_outside_demo_mode(tmp_path):
    demo = ("--demo", "--demo-password", "demo-person-side-1", "--processes", "1")
    with running_server(data=tmp_path, seed=False, extra_args=demo, worker=False) as server:
        log = server.log_text()
        assert "demo-person-side-1" in log
        book = re.search(r"Public consultation page: (\S+)", log).group(1)
        invite = re.search(r"Open intake invitation \([^)]+\): (\S+)", log).group(1)
        assert book.startswith(server.url) and invite.startswith(server.url + "/i/")
        assert "Mail is written to" in log
        with httpx.Client() as c:
            page = c.get(book + "?lang=es")
            assert page.status_code == 200 and "Pida una cita gratis" in page.text
        with httpx.Client(follow_redirects=True) as c:
            opened = c.get(invite)
            assert opened.status_code == 200 and str(opened.url).endswith("/intake/")
            assert "le hace unas preguntas" in opened.text  # the demo invitation is in Spanish
    plain = ("--processes", "1")
    with (
        running_server(data=tmp_path, seed=False, extra_args=plain, worker=False) as server,
        httpx.Client() as c,
    ):
        assert "not taking bookings" in c.get(book.replace(book.split("/book/")[0], server.url)).text
        stopped = c.get(invite.replace(invite.split("/i/")[0], server.url))
        assert stopped.status_code == 410 and "This link was stopped" in stopped.text
