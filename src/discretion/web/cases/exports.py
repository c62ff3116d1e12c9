"""What leaves the workbench as a file: a case as a case file (YAML or JSON, exactly the format
``discretion screen`` reads) and the case list as CSV for a spreadsheet. Every export is audited."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from uuid import UUID

import yaml
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.timezone import localdate, localtime
from django.views.decorators.http import require_safe

from discretion.web import access
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases import listing
from discretion.web.cases.models import Case, dump_facts
from discretion.web.lib.downloads import attach

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The cell as text that a spreadsheet shows and never runs: a leading ' stops a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def case_file_data(case: Case) -> dict:
    """The case's facts as a case file: validated by the core on the way out, so what leaves
    is what the CLI reads back."""
    return dump_facts(case.to_facts())


def _file_stem(case: Case) -> str:
    return "case-" + (case.reference or str(case.code)[:8])


def _download(body: str, content_type: str, stem: str, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    attach(response, stem, suffix)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def case_json(request: HttpRequest, code: UUID) -> HttpResponse:
    """The facts as a JSON case file (`discretion screen case.json`)."""
    case = access.case_for_user(request, code)
    record(request, Action.EXPORT, case=case, summary="Exported the facts as a case file (JSON)")
    body = json.dumps(case_file_data(case), indent=2, ensure_ascii=False) + "\n"
    return _download(body, "application/json; charset=utf-8", _file_stem(case), ".json")


@require_safe
def case_yaml(request: HttpRequest, code: UUID) -> HttpResponse:
    """The facts as a YAML case file (`discretion screen case.yaml`), the format people edit."""
    case = access.case_for_user(request, code)
    record(request, Action.EXPORT, case=case, summary="Exported the facts as a case file (YAML)")
    header = (
        f"# Case file exported from the PD workbench on {localdate():%Y-%m-%d}.\n"
        "# Screen it with: discretion screen THIS-FILE --as-of YYYY-MM-DD (docs/case-file.md).\n"
        "# Contains client data: keep it as carefully as the case itself.\n"
    )
    body = header + yaml.safe_dump(case_file_data(case), sort_keys=False, allow_unicode=True, width=100)
    return _download(body, "application/yaml; charset=utf-8", _file_stem(case), ".yaml")


COLUMNS = [
    "Reference",
    "Name",
    "A-number",
    "Court",
    "Next hearing",
    "Detained",
    "Status",
    "Assigned to",
    "Action requested",
    "Enforcement priority (latest screening)",
    "High risks (latest screening)",
    "Last updated",
    "Link",
]


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream (Django's docs)."""

    def write(self, value: str) -> str:
        return value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@require_safe
def case_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The case list, with the same search and filters as the page, as a CSV for a spreadsheet."""
    m = access.membership(request)
    today = localdate()
    form = listing.filter_form(request.GET, m.organisation)
    cases = (
        listing.filtered_cases(form, organisation=m.organisation, user=request.user, today=today)
        .select_related("assigned_to")
        .defer("facts")
    )
    link = request.build_absolute_uri(reverse("cases:list"))

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff"  # a byte-order mark, so spreadsheets read the accents in names as UTF-8
        yield writer.writerow(COLUMNS)
        for c in cases.iterator(chunk_size=500):
            cells = [
                c.reference,
                c.name,
                c.a_number_display,
                c.court,
                c.next_hearing_on.isoformat() if c.next_hearing_on else "",
                _yes_no(c.detained),
                c.get_status_display(),
                c.assignee_name,
                c.get_requested_action_display() if c.requested_action else "",
                _yes_no(c.priority_met),
                c.high_risks,
                localtime(c.updated).strftime("%Y-%m-%d %H:%M"),
                f"{link}{c.code}/",
            ]
            yield writer.writerow([spreadsheet_safe(cell) for cell in cells])

    filters = "; ".join(f"{k}={v}" for k, v in request.GET.items() if v and k != "page") or "all cases"
    record(request, Action.EXPORT, summary=f"Exported the case list as CSV ({filters})")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    attach(response, f"cases-{today:%Y-%m-%d}", ".csv")
    response["Cache-Control"] = "private, no-store"
    return response
