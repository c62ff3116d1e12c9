"""Every write of the tracking app: PD requests and their timelines, tasks, calendar feeds.

Each verb is called by a view after the permission check (``discretion.web.access``) and a
Django form; none checks permissions. A change to a case's PD requests moves the case's status
with it (``follow_the_work``), so the dashboard, the case list and the case page agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.timezone import localdate, now

from discretion.web.accounts.models import CalendarFeed
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.models import Case, Status
from discretion.web.lib import concurrency
from discretion.web.tracking.models import AWAITING, DECIDED, DigestPreference, PDRequest, RequestStatus, Task

# What a request's status says about its case.
_STATUS_OF_REQUEST = {
    RequestStatus.SENT: Status.SUBMITTED,
    RequestStatus.ACKNOWLEDGED: Status.SUBMITTED,
    RequestStatus.NO_RESPONSE: Status.SUBMITTED,
    RequestStatus.DRAFTED: Status.PREPARING,
    RequestStatus.GRANTED: Status.DECIDED,
    RequestStatus.PARTIALLY_GRANTED: Status.DECIDED,
    RequestStatus.DENIED: Status.DECIDED,
}


def status_for_requests(current: str, newest_first: Iterable[str]) -> str:
    """The case status that the statuses of the case's PD requests (newest request first) call for.

    A closed case stays closed: closing and reopening are a person's decisions. A request out with
    OPLA (sent or acknowledged) makes the case "Request submitted" whatever else there is.
    Otherwise the newest request that was not withdrawn decides: drafted is "Preparing request"
    (a new request after a denial is new work), never answered is "Request submitted", granted or
    denied is "Decision received". With only withdrawn requests, or none, a case that had moved on
    goes back to "Preparing request"; an intake stays an intake.
    """
    if current == Status.CLOSED:
        return current
    statuses = [s for s in newest_first if s != RequestStatus.WITHDRAWN]
    if any(s in AWAITING for s in statuses):
        return Status.SUBMITTED
    if statuses:
        return _STATUS_OF_REQUEST[RequestStatus(statuses[0])]
    return Status.PREPARING if current in (Status.SUBMITTED, Status.DECIDED) else current


def follow_the_work(case: Case, *, by, reason: str, request=None) -> str | None:
    """Move the case's status to what its requests call for; the new status's label if it moved."""
    statuses = (
        PDRequest.objects.filter(case=case).order_by("-created", "-id").values_list("status", flat=True)
    )
    current = Case.objects.only("status").get(pk=case.pk).status
    new = status_for_requests(current, list(statuses))
    change = case.set_status(new, by=by, reason=reason)
    if change is None:
        return None
    label = Status(new).label
    record(
        request,
        Action.CHANGE,
        case=case,
        user=by,
        summary=f"Case status {Status(change.old_status).label} → {label} ({reason})",
    )
    return label


# --- PD requests -----------------------------------------------------------------------------


def record_request(
    case: Case,
    *,
    kind: str,
    office: str,
    channel: str,
    sent_on: date | None,
    follow_up_on: date | None,
    by,
    request=None,
) -> tuple[PDRequest, str | None]:
    """A new PD request: Drafted (and Sent, if it has gone out). Returns it and the case's new status."""
    with transaction.atomic():
        pd = PDRequest.objects.create(
            case=case, kind=kind, office=office, channel=channel, follow_up_on=follow_up_on, created_by=by
        )
        drafted_on = min(localdate(), sent_on) if sent_on else localdate()
        pd.set_status(RequestStatus.DRAFTED, by=by, on=drafted_on, note="Request recorded")
        if sent_on:
            pd.set_status(RequestStatus.SENT, by=by, on=sent_on)
        record(
            request, Action.CREATE, obj=pd, case=case, user=by, summary=f"PD request: {pd.get_kind_display()}"
        )
        moved = follow_the_work(
            case,
            by=by,
            reason=f"PD request {'sent' if sent_on else 'recorded'} ({pd.get_kind_display().lower()})",
            request=request,
        )
    return pd, moved


# What the request-details and task forms edit, for the concurrency check (lib/concurrency.py).
REQUEST_FIELDS = concurrency.Fields(
    {
        "office": ("OPLA field location", concurrency.field("office")),
        "channel": ("Sent by", lambda pd: pd.get_channel_display()),
        "sent_on": ("Date sent", concurrency.field("sent_on")),
        "follow_up_on": ("Follow up on", concurrency.field("follow_up_on")),
    }
)
TASK_FIELDS = concurrency.Fields(
    {
        "title": ("Task", concurrency.field("title")),
        "due_on": ("Due", concurrency.field("due_on")),
        "assigned_to": ("For", concurrency.field("assigned_to")),
    }
)


@transaction.atomic
def edit_request(
    pd: PDRequest,
    *,
    office: str,
    channel: str,
    sent_on: date | None,
    follow_up_on: date | None,
    by,
    request=None,
    opened: str | None = None,
) -> None:
    """Raises concurrency.Stale if someone changed the details since the form was ``opened``."""
    locked = PDRequest.objects.select_for_update().get(pk=pd.pk)
    REQUEST_FIELDS.check(opened, locked, by=concurrency.last_editor(pd))
    PDRequest.objects.filter(pk=pd.pk).update(
        office=office, channel=channel, sent_on=sent_on, follow_up_on=follow_up_on
    )
    record(request, Action.CHANGE, obj=pd, case=pd.case, user=by, summary="Edited the request details")


def record_event(
    pd: PDRequest,
    *,
    new_status: str,
    on: date,
    note: str,
    outcome: str,
    attachment,
    by,
    request=None,
) -> tuple[str, str | None]:
    """Add to the timeline (a status change, or a note when ``new_status`` is empty).

    Returns what was recorded (the status's label or "note") and the case's new status, if it moved.
    """
    status = new_status or pd.status  # a note keeps the status
    with transaction.atomic():
        pd.set_status(status, by=by, on=on, note=note, attachment=attachment)
        if outcome and status in DECIDED:
            PDRequest.objects.filter(pk=pd.pk).update(outcome=outcome)
        label = RequestStatus(status).label if new_status else "note"
        record(request, Action.CHANGE, obj=pd, case=pd.case, user=by, summary=f"Request timeline: {label}")
        moved = None
        if new_status:
            what = {
                RequestStatus.SENT: "PD request sent",
                RequestStatus.GRANTED: "OPLA granted the PD request",
                RequestStatus.PARTIALLY_GRANTED: "OPLA partly granted the PD request",
                RequestStatus.DENIED: "OPLA denied the PD request",
            }.get(RequestStatus(status), f"PD request {label.lower()}")
            moved = follow_the_work(pd.case, by=by, reason=what, request=request)
    return label, moved


# --- tasks -----------------------------------------------------------------------------------


def add_task(case: Case, *, title: str, due_on: date | None, assigned_to, by, request=None) -> Task:
    task = Task.objects.create(case=case, title=title, due_on=due_on, assigned_to=assigned_to, created_by=by)
    record(request, Action.CREATE, obj=task, case=case, user=by, summary=_task_summary("Task added", task))
    return task


@transaction.atomic
def edit_task(
    task: Task, *, title: str, due_on: date | None, assigned_to, by, request=None, opened: str | None = None
) -> None:
    """Raises concurrency.Stale if someone changed the task since the form was ``opened``."""
    locked = Task.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=task.pk)
    TASK_FIELDS.check(opened, locked, by=concurrency.last_editor(task))
    task.title, task.due_on, task.assigned_to = title, due_on, assigned_to
    task.save(update_fields=["title", "due_on", "assigned_to"])
    record(
        request, Action.CHANGE, obj=task, case=task.case, user=by, summary=_task_summary("Task changed", task)
    )


def mark_task(task: Task, *, done: bool, by, request=None) -> None:
    task.done = done
    task.done_at, task.done_by = (now(), by) if done else (None, None)
    task.save(update_fields=["done", "done_at", "done_by"])
    verb = "Task done" if done else "Task reopened"
    record(request, Action.CHANGE, obj=task, case=task.case, user=by, summary=f"{verb}: {task.title}"[:300])


def delete_task(task: Task, *, by, request=None) -> None:
    record(
        request, Action.DELETE, obj=task, case=task.case, user=by, summary=f"Task deleted: {task.title}"[:300]
    )
    task.delete()


def _task_summary(verb: str, task: Task) -> str:
    due = f", due {task.due_on:%b} {task.due_on.day}" if task.due_on else ""
    who = f", for {task.assignee_name}" if task.assigned_to_id else ""
    return f"{verb}: {task.title}{due}{who}"[:300]


def set_digest(user, *, daily: bool, request=None) -> None:
    DigestPreference.objects.update_or_create(user=user, defaults={"daily": daily, "changed": now()})
    record(
        request,
        Action.CHANGE,
        user=user,
        summary="Daily e-mail of what is due switched " + ("on" if daily else "off"),
    )


# --- calendar feeds --------------------------------------------------------------------------


def calendar_feed_of(user) -> CalendarFeed:
    """The user's private feed, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def rotate_feed(user, *, request=None) -> CalendarFeed:
    """A new feed address; the old one stops working at once."""
    feed = calendar_feed_of(user)
    feed.rotate()
    record(request, Action.CHANGE, obj=feed, user=user, summary="Replaced the calendar feed address")
    return feed
