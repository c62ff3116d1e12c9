"""Login throttling: django-axes, with the check and the count made one step.

django-axes counts failures per username *and* client address
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): guessing a colleague's password
from one place never locks them out from another, and an office behind one address is not
locked out by one person's typos. The address is the real client's (lib/proxy.py).

What axes does not do is make "is this login still allowed?" and "count this failure" atomic:
16 wrong passwords sent at once all pass the check before the first failure is written, so 15
are tried against a limit of 5. ``one_at_a_time`` serialises the attempts for one username
around ``authenticate()``: a PostgreSQL transaction-level advisory lock keyed by the username,
or on SQLite the IMMEDIATE transaction's write lock (settings.py). Each attempt then sees the
failures of the ones before it, so no more than AXES_FAILURE_LIMIT passwords are ever checked
per username and address in the cool-off window.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


def normalise(username: str) -> str:
    return username.strip().lower()[:150]


def username_key(request, credentials: dict) -> str:
    """AXES_USERNAME_CALLABLE: "Alice " and "alice" are the same person to the throttle."""
    return normalise(str((credentials or {}).get("username") or ""))


@contextmanager
def one_at_a_time(username: str) -> Iterator[None]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            key = int.from_bytes(
                hashlib.sha256(normalise(username).encode()).digest()[:8], "big", signed=True
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        yield
