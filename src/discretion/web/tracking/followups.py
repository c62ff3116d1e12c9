"""What needs doing when: tasks, follow-ups on open PD requests and upcoming hearings.

The follow-up periods are practice defaults (tracking/defaults.py), not law. A closed case has
no follow-ups and no hearing reminders; its open tasks still show, as someone still owes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from discretion.web.cases.models import Case, Status
from discretion.web.tracking import defaults
from discretion.web.tracking.models import AWAITING, PDRequest, Task


@dataclass(frozen=True)
class Due:
    on: date | None  # None: a task with no due date
    kind: str  # task | follow_up | hearing_follow_up | hearing
    title: str
    case: Case
    request: PDRequest | None = None
    task: Task | None = None

    @property
    def uid(self) -> str:
        if self.task is not None:
            # One event per task: moving its due date moves the event in the calendar.
            return f"task-{self.task.code}@discretion"
        ref = self.request.code if self.request else self.case.code
        return f"{self.kind}-{ref}-{self.on:%Y%m%d}@discretion"

    @property
    def person_name(self) -> str:
        """Whose it is: the task's assignee, else the case's attorney."""
        if self.task is not None and self.task.assigned_to_id:
            return self.task.assignee_name
        return self.case.assignee_name


def work_of(organisation, person=None) -> tuple[QuerySet[Case], QuerySet[Task]]:
    """The cases whose follow-ups and hearings concern ``person``, and their open tasks
    (everyone's when ``person`` is None). A person's tasks are those assigned to them, and the
    unassigned tasks of the cases assigned to them."""
    cases = Case.objects.filter(organisation=organisation).exclude(status=Status.CLOSED)
    tasks = Task.objects.filter(case__organisation=organisation, done=False)
    if person is not None:
        cases = cases.filter(assigned_to=person)
        tasks = tasks.filter(Q(assigned_to=person) | Q(assigned_to__isnull=True, case__assigned_to=person))
    return cases, tasks


def due_between(
    cases, start: date | None, end: date, *, today: date, tasks: QuerySet[Task] | None = None
) -> list[Due]:
    """Everything due up to ``end`` in ``cases`` (and ``tasks``): from ``start``, or, if start is
    None, overdue follow-ups and tasks too (hearings are never overdue: past ones are left out)."""
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
        open_request = cases_with_open.get(case.pk)
        remind = (
            open_request.hearing_follow_up_due(case.next_hearing_on) if open_request is not None else None
        )
        if remind is not None and remind <= end and (start is None or remind >= start):
            out.append(
                Due(
                    remind,
                    "hearing_follow_up",
                    "Chase the open PD request before the hearing",
                    case,
                    open_request,
                )
            )
    if tasks is not None:
        dated = tasks.filter(due_on__isnull=False, due_on__lte=end)
        if start is not None:
            dated = dated.filter(due_on__gte=start)
        for t in dated.select_related("case", "case__assigned_to", "assigned_to"):
            out.append(Due(t.due_on, "task", t.title, t.case, task=t))
    out.sort(key=lambda d: (d.on, d.kind != "hearing", d.case.name_key))
    return out


def undated(tasks: QuerySet[Task]) -> list[Due]:
    """Open tasks with no due date, oldest first."""
    found = tasks.filter(due_on__isnull=True).select_related("case", "case__assigned_to", "assigned_to")
    return [Due(None, "task", t.title, t.case, task=t) for t in found.order_by("created", "id")]


def due_on_case(case: Case, *, today: date, until: date) -> list[Due]:
    """The case's follow-ups (overdue ones too) and hearings through ``until`` (tasks are listed apart)."""
    if case.status == Status.CLOSED:
        return []
    return due_between(Case.objects.filter(pk=case.pk), None, until, today=today)
