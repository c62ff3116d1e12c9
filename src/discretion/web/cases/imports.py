"""Import a docket CSV (the core's batch layout, docs/batch-csv.md) as new cases: all or nothing.

Every row is read by ``discretion.docket.Reader``; if any cell of any row is wrong, nothing is
imported and the report names each row and column, so one pass over the file fixes it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from discretion.facts import CaseFacts
from discretion.web.cases import actions

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    rows: list[CaseFacts] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, message)


def read_docket(data: bytes) -> ImportReport:
    from discretion.docket import BY_NAME, Reader, RowErrors

    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.problems.append(("file", f"larger than {MAX_BYTES // (1024 * 1024)} MB; split it"))
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problems.append(("file", "not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'"))
        return report
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        report.problems.append(("header", "the file is empty or has no header row"))
        return report
    header = tuple(cell.strip() for cell in rows[0])
    unknown = [name for name in header if name not in BY_NAME]
    if unknown:
        report.problems.append(
            ("header", "unknown column(s): " + ", ".join(unknown) + " (see docs/batch-csv.md)")
        )
        return report
    if len(rows) - 1 > MAX_ROWS:
        report.problems.append(("file", f"{len(rows) - 1} rows; at most {MAX_ROWS} per import"))
        return report
    reader = Reader(header)
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            report.problems.append((f"row {number}", f"{len(cells)} cells, but the header has {len(header)}"))
            continue
        try:
            report.rows.append(reader.facts(cells))
        except RowErrors as exc:
            for err in exc.errors:
                report.problems.append((f"row {number}", str(err)))
    if not report.rows and not report.problems:
        report.problems.append(("file", "no cases in the file"))
    return report


def import_cases(organisation, report: ImportReport, *, by, assigned_to=None, request=None) -> int:
    with transaction.atomic():
        for facts in report.rows:
            actions.create_case(organisation, facts=facts, by=by, assigned_to=assigned_to, request=request)
    return len(report.rows)
