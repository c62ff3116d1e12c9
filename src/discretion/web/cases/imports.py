"""Import cases: a docket CSV (the core's batch layout, docs/batch-csv.md) or case files (YAML or
JSON, exactly what ``discretion screen`` reads), several files at once, all or nothing.

Every CSV row is read by ``discretion.docket.Reader``, every case file by the core's
``casefile.load_case``; if any cell, line or field of any file is wrong, nothing is imported and
the report names each file, row or line, and field, so one pass over the files fixes them.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from discretion.facts import CaseFacts
from discretion.web.cases import actions
from discretion.web.cases.models import Case

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_CASE_FILE_BYTES = 1024 * 1024
MAX_FILES = 50
CASE_FILE_SUFFIXES = (".yaml", ".yml", ".json")


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


def read_case_file(name: str, data: bytes) -> tuple[CaseFacts | None, tuple[str, str] | None]:
    """One uploaded case file, read exactly as ``discretion screen`` reads it: the facts, or
    (where, problem) with ``where`` the file name and line."""
    from discretion.casefile import load_case
    from discretion.errors import CaseFileError

    if len(data) > MAX_CASE_FILE_BYTES:
        return None, (name, "larger than 1 MB; a case file is a few kilobytes")
    # The core reads case files from disk (load_case), with its messages and line numbers; the
    # upload goes to a private temporary folder under a safe version of its own name so the
    # web import and the CLI can never disagree about a file.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).lstrip(".") or "case.yaml"
    with tempfile.TemporaryDirectory(prefix="discretion-import-") as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        try:
            return load_case(path), None
        except CaseFileError as exc:
            message = str(exc).replace(str(path), name, 1)
    where, _, problem = message.partition(": ")
    return None, (where, problem or message)


def read_uploads(uploads) -> ImportReport:
    """Any mix of docket CSVs and case files; every problem of every file in one report."""
    report = ImportReport()
    if not uploads:
        report.problems.append(("File", "choose a file to import (.csv, .yaml, .yml or .json)"))
        return report
    if len(uploads) > MAX_FILES:
        report.problems.append(("Files", f"{len(uploads)} files; import at most {MAX_FILES} at a time"))
        return report
    for upload in uploads:
        name = upload.name or "upload"
        suffix = Path(name).suffix.lower()
        if not upload.size and suffix == ".csv":
            report.problems.append((name, "the file is empty"))
        elif suffix in CASE_FILE_SUFFIXES:
            if upload.size and upload.size > MAX_CASE_FILE_BYTES:
                report.problems.append((name, "larger than 1 MB; a case file is a few kilobytes"))
                continue
            facts, problem = read_case_file(name, upload.read())
            if facts is not None:
                report.rows.append(facts)
            elif problem is not None:
                report.problems.append(problem)
        elif suffix == ".csv":
            if upload.size and upload.size > MAX_BYTES:
                report.problems.append((name, "larger than 5 MB; split it"))
                continue
            docket = read_docket(upload.read())
            report.rows += docket.rows
            report.problems += [
                (name if where == "file" else f"{name}, {where}", message)
                for where, message in docket.problems
            ]
        else:
            report.problems.append(
                (name, "not a file this import reads: use a docket .csv or a case file (.yaml, .yml, .json)")
            )
    return report


def import_cases(organisation, report: ImportReport, *, by, assigned_to=None, request=None) -> list[Case]:
    with transaction.atomic():
        return [
            actions.create_case(organisation, facts=facts, by=by, assigned_to=assigned_to, request=request)
            for facts in report.rows
        ]


def same_a_number(created: list[Case]) -> list[tuple[Case, Case]]:
    """Imported cases whose A-number another case of the organisation already had."""
    out = []
    new_ids = {c.pk for c in created}
    for case in created:
        if not case.a_number:
            continue
        other = (
            Case.objects.filter(organisation_id=case.organisation_id)
            .with_a_number(case.a_number)
            .exclude(pk__in=new_ids)
            .first()
        )
        if other is not None:
            out.append((case, other))
    return out
