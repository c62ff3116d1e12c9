"""The case list's query: search, filters and sort, shared by the list page and its CSV export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from discretion.web.cases.forms import CaseFilterForm
from discretion.web.cases.models import NAME_PREFIX_MIN, Case, a_number_key, name_search_words, search_key
from discretion.web.files import sealing

SORTS: dict[str, tuple[str, list[Any]]] = {
    "updated": ("Recently updated", ["-updated", "-id"]),
    "name": ("Name (A to Z)", ["name_key", "id"]),
    "hearing": ("Next hearing (soonest first)", [F("next_hearing_on").asc(nulls_last=True), "id"]),
    "a_number": ("A-number", ["a_number", "id"]),
}

SEALED_SORTS = {"name", "a_number"}


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
        if sealing.enabled():
            qs = qs.filter(sealed_search(q, stripped, digits))
        elif stripped.isdigit() and len(stripped) >= 3:
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
    sort = form.value("sort") or "updated"
    if sealing.enabled() and sort in SEALED_SORTS:
        sort = "updated"  # names and A-numbers are sealed: the database cannot order them
    return qs.order_by(*SORTS[sort][1])


def sealed_search(q: str, stripped: str, digits: str) -> Q:
    """With encryption on: keyed hashes of the A-number's leading digits, or of each word the
    name starts with (every word must match), never the clear value (models.name_tokens)."""
    if stripped.isdigit() and len(stripped) >= 3:
        return Q(a_number_key__contains=f" {sealing.search_digest(digits, purpose='a-number')} ")
    # One-letter words are not hashed (too revealing, too common): they do not narrow the search.
    words = [w for w in name_search_words(q) if len(w) >= NAME_PREFIX_MIN]
    by_name = Q()
    for word in words:
        by_name &= Q(name_key__contains=f" {sealing.search_digest(word[:24], purpose='case name')} ")
    return (by_name if words else Q(pk__in=[])) | Q(reference__icontains=q)


def is_filtered(form: CaseFilterForm) -> bool:
    return any(form.value(name) not in (None, "") for name in ("q", "status", "court", "assignee", "within"))
