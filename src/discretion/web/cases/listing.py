"""The case list's query: search, filters and sort, shared by the list page and its CSV export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from discretion.web.cases.forms import CaseFilterForm
from discretion.web.cases.models import Case, a_number_key, search_key

SORTS: dict[str, tuple[str, list[Any]]] = {
    "updated": ("Recently updated", ["-updated", "-id"]),
    "name": ("Name (A to Z)", ["name_key", "id"]),
    "hearing": ("Next hearing (soonest first)", [F("next_hearing_on").asc(nulls_last=True), "id"]),
    "a_number": ("A-number", ["a_number", "id"]),
}


def filter_form(params, organisation, *, courts=()) -> CaseFilterForm:
    form = CaseFilterForm(params, organisation=organisation, sorts=SORTS, courts=courts)
    form.is_valid()  # a bad filter is reported and left out; the others still apply
    return form


def filtered_cases(form: CaseFilterForm, *, organisation, user, today: date) -> QuerySet[Case]:
    """The organisation's cases that match the form's valid filters, in its sort order."""
    qs = Case.objects.filter(organisation=organisation)
    q = (form.value("q") or "").strip()
    if q:
        stripped = q.replace("-", "").replace(" ", "").lstrip("Aa")
        digits = a_number_key(stripped)
        if stripped.isdigit() and len(stripped) >= 3:
            qs = qs.filter(a_number__startswith=digits) if len(digits) < 9 else qs.filter(a_number=digits)
        else:
            qs = qs.filter(Q(name_key__contains=search_key(q)) | Q(reference__icontains=q))
    if status := form.value("status"):
        qs = qs.filter(status=status)
    if court := form.value("court"):
        qs = qs.filter(court=court)
    assignee = form.value("assignee") or ""
    if assignee == "me":
        qs = qs.filter(assigned_to=user)
    elif assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assignee.isdigit():
        qs = qs.filter(assigned_to_id=int(assignee))
    within = form.value("within")
    if within is not None:
        qs = qs.filter(next_hearing_on__gte=today, next_hearing_on__lte=today + timedelta(days=within))
    return qs.order_by(*SORTS[form.value("sort") or "updated"][1])


def is_filtered(form: CaseFilterForm) -> bool:
    return any(form.value(name) not in (None, "") for name in ("q", "status", "court", "assignee", "within"))
