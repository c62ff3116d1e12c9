"""What needs doing when: follow-ups on open PD requests and upcoming hearings.

The periods are practice defaults (tracking/defaults.py), not law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from discretion.web.cases.models import Case
from discretion.web.tracking import defaults
from discretion.web.tracking.models import AWAITING, PDRequest


@dataclass(frozen=True)
class Due:
    on: date
    kind: str  # follow_up | hearing_follow_up | hearing
    title: str
    case: Case
    request: PDRequest | None = None

    @property
    def uid(self) -> str:
        ref = self.request.code if self.request else self.case.code
        return f"{self.kind}-{ref}-{self.on:%Y%m%d}@discretion"


def due_between(cases, start: date | None, end: date, *, today: date) -> list[Due]:
    """Everything due up to ``end`` in ``cases``: from ``start``, or, if start is None, overdue
    follow-ups too (hearings are never overdue: past ones are left out)."""
    out: list[Due] = []
    open_requests = PDRequest.objects.filter(case__in=cases, status__in=AWAITING).select_related(
        "case", "case__assigned_to"
    )
    cases_with_open = {}
    for r in open_requests:
        cases_with_open[r.case_id] = r
        due = r.follow_up_due()
        if due and due <= end and (start is None or due >= start):
            out.append(
                Due(
                    due,
                    "follow_up",
                    f"Follow up on the PD request ({r.get_kind_display().lower()})",
                    r.case,
                    r,
                )
            )
    hearing_window = cases.filter(
        next_hearing_on__isnull=False, next_hearing_on__lte=end + defaults.FOLLOW_UP_BEFORE_HEARING
    )
    hearing_window = hearing_window.filter(next_hearing_on__gte=start or today)
    for case in hearing_window.select_related("assigned_to"):
        if case.next_hearing_on <= end:
            out.append(Due(case.next_hearing_on, "hearing", "Hearing", case))
        r = cases_with_open.get(case.pk)
        remind = r.hearing_follow_up_due(case.next_hearing_on) if r is not None else None
        if remind is not None and remind <= end and (start is None or remind >= start):
            out.append(
                Due(remind, "hearing_follow_up", "Chase the open PD request before the hearing", case, r)
            )
    out.sort(key=lambda d: (d.on, d.case.name_key))
    return out
