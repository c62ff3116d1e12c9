"""Many people book the same consultation time at the same instant, against a real
`discretion serve` (two server processes): exactly one booking is made, everyone else is told
the time was just taken. On SQLite always; on PostgreSQL too when DATABASE_URL names one (the
second half of ./dev test), in a database of its own that is dropped afterwards."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_server import running_server, server_env  # noqa: E402

pytestmark = pytest.mark.slow
PEOPLE = 12

SEED = r"""
import django
django.setup()
from datetime import time
from django.contrib.auth import get_user_model
from django.core.management import call_command
from discretion.web.accounts.models import Membership, Organisation
from discretion.web.booking.models import Availability, ConsultationPage, WeeklyHours
call_command("migrate", interactive=False, verbosity=0)
org = Organisation.objects.create(name="Race Legal", slug="race-legal")
user = get_user_model().objects.create_user(username="rae", password="not-used-here-123")
Membership.objects.create(user=user, organisation=org, role="attorney")
ConsultationPage.objects.create(organisation=org, slug="race", published=True, days_ahead=14, min_notice_hours=1)
a = Availability.objects.create(user=user, organisation=org, time_zone="America/New_York", length_minutes=30, buffer_minutes=0)
for d in range(7):
    WeeklyHours.objects.create(availability=a, weekday=d, start=time(6), end=time(22))
"""

COUNT = r"""
import django
django.setup()
from discretion.web.booking.models import Booking, SlotHold
print(Booking.objects.count(), SlotHold.objects.count(), SlotHold.objects.values("booking").distinct().count())
"""


def _databases():
    yield "sqlite", None
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        yield "postgresql", url


def _pg_database(url: str):
    """A fresh PostgreSQL database beside the tests' one; (its URL, a function dropping it)."""
    import psycopg

    parts = urlsplit(url)
    name = f"discretion_race_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def _csrf(response: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def _walk(client: httpx.Client) -> None:
    """Answer the pages up to "Check and book" for the first time of the first day."""
    court = client.get("/book/race/court/")
    client.post("/book/race/court/", data={"csrfmiddlewaretoken": _csrf(court), "answer": "yes"})
    page = client.get("/book/race/detained/")
    client.post("/book/race/detained/", data={"csrfmiddlewaretoken": _csrf(page), "answer": "no"})
    page = client.get("/book/race/court-date/")
    client.post("/book/race/court-date/", data={"csrfmiddlewaretoken": _csrf(page), "dont_know": "1"})
    days = client.get("/book/race/day/")
    first_day = re.search(r'href="(/book/race/day/[0-9-]+/)"', days.text).group(1)
    times = client.get(first_day)
    value = re.search(r'name="time" value="(\d+)"', times.text).group(1)
    client.post(first_day, data={"csrfmiddlewaretoken": _csrf(times), "time": value})
    page = client.get("/book/race/contact/")
    client.post(
        "/book/race/contact/",
        data={"csrfmiddlewaretoken": _csrf(page), "name": "Same Time", "phone": "212 555 0100"},
    )


@pytest.mark.parametrize(("backend", "url"), list(_databases()), ids=[b for b, _ in _databases()])
def test_one_booking_when_many_people_book_the_same_time_at_once(tmp_path, backend, url):
    drop = None
    if url:
        url, drop = _pg_database(url)
    try:
        env = server_env(tmp_path, url) | {
            "DISCRETION_BOOKING_RATE_LIMIT": "1000",
            "DISCRETION_CLIENT_RATE_LIMIT": "1000",
        }
        subprocess.run([sys.executable, "-c", SEED], env=env, check=True, timeout=300)
        with running_server(
            data=tmp_path,
            database_url=url,
            seed=False,
            extra_args=("--processes", "2"),
            worker=False,
            env_extra={k: env[k] for k in ("DISCRETION_BOOKING_RATE_LIMIT", "DISCRETION_CLIENT_RATE_LIMIT")},
        ) as server:
            clients = [httpx.Client(base_url=server.url, timeout=60) for _ in range(PEOPLE)]
            checks = []
            for c in clients:
                _walk(c)
                page = c.get("/book/race/check/")
                assert page.status_code == 200, page.text[:500]
                checks.append(_csrf(page))
            barrier = threading.Barrier(PEOPLE)
            outcomes: list[str] = []

            def book(c: httpx.Client, token: str) -> None:
                barrier.wait()
                r = c.post("/book/race/check/", data={"csrfmiddlewaretoken": token})
                outcomes.append(r.headers.get("location", f"status {r.status_code}"))

            threads = [
                threading.Thread(target=book, args=(c, t)) for c, t in zip(clients, checks, strict=True)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            for c in clients:
                c.close()
        booked = [o for o in outcomes if o.startswith("/booked/")]
        taken = [o for o in outcomes if o == "/book/race/day/?taken=1"]
        assert len(booked) == 1 and len(taken) == PEOPLE - 1, outcomes
        counts = subprocess.run(
            [sys.executable, "-c", COUNT], env=env, check=True, capture_output=True, text=True
        ).stdout
        bookings, holds, holders = map(int, counts.split())
        assert (bookings, holders) == (1, 1) and holds == 6  # 30 minutes in 5-minute holds
    finally:
        if drop:
            drop()
