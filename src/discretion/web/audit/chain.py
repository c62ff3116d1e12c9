"""The audit log's hash chain: every row carries sha256(previous row's hash + this row's fields).

Changing, removing or reordering a row breaks every link after it, so ``discretion audit verify``
(``verify()``) finds the first broken one even when the database's own guards were bypassed
(a superuser, a copied SQLite file). The chain cannot show rows cut from the end: compare the
count and head hash that verify prints with a copy kept elsewhere (docs/web.md).

Rows are appended one at a time: on PostgreSQL under a transaction-level advisory lock, on
SQLite under the IMMEDIATE transaction's write lock, so two writers never chain to the same
previous row and the chain's order is the id order.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection, transaction

GENESIS = "0" * 64
_LOCK = 0x61756469745F6C67  # "audit_lg": the advisory lock key of the chain's head
FIELDS = (
    "created",
    "organisation_id",
    "user_id",
    "username",
    "action",
    "case_id",
    "object_type",
    "object_id",
    "summary",
    "address",
)


def _text(name: str, value: Any) -> str:
    if value is None:
        return "\x00"  # unlike any text: None and "" hash differently
    if name == "created":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "address":  # as the database keeps it (IPv6 compressed)
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return str(value)
    return str(value)


def link(previous: str, row: Any) -> str:
    """The hash of ``row`` (an AuditEvent or a dict of FIELDS) chained to ``previous``."""
    get = row.get if isinstance(row, dict) else lambda f: getattr(row, f)
    payload = "\x1f".join([previous, *(_text(f, get(f)) for f in FIELDS)])
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def append(event: Any) -> Any:
    """Save a new AuditEvent as the chain's next link."""
    from discretion.web.audit.models import AuditEvent

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        previous = AuditEvent.objects.order_by("-id").values_list("chain", flat=True).first() or GENESIS
        event.chain = link(previous, event)
        event.save()
    return event


@dataclass(frozen=True)
class Broken:
    id: int
    created: Any
    username: str
    action: str
    summary: str
    expected: str
    stored: str


@dataclass(frozen=True)
class Report:
    checked: int
    head: str
    broken: Broken | None


def rows(chunk: int = 2000) -> Iterator[dict[str, Any]]:
    from discretion.web.audit.models import AuditEvent

    yield from AuditEvent.objects.order_by("id").values("id", "chain", *FIELDS).iterator(chunk_size=chunk)


def verify() -> Report:
    """Walk the log in id order; the first row whose stored hash is not the recomputed one."""
    previous, checked = GENESIS, 0
    for row in rows():
        expected = link(previous, row)
        if row["chain"] != expected:
            return Report(
                checked,
                previous,
                Broken(
                    row["id"],
                    row["created"],
                    row["username"],
                    row["action"],
                    row["summary"],
                    expected,
                    row["chain"],
                ),
            )
        previous, checked = row["chain"], checked + 1
    return Report(checked, previous, None)
