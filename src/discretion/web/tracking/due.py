"""Tasks on a case, and What is due: a person's (or everyone's) tasks, follow-ups and hearings."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST, require_safe

from discretion.web import access
from discretion.web.access import AuthenticatedRequest
from discretion.web.lib import concurrency
from discretion.web.tracking import actions, defaults
from discretion.web.tracking.followups import due_between, undated, work_of
from discretion.web.tracking.forms import DigestForm, DueFilterForm, TaskForm
from discretion.web.tracking.models import DigestPreference


def _back_to_case(task_or_case) -> str:
    case = getattr(task_or_case, "case", task_or_case)
    return reverse("cases:detail", kwargs={"code": case.code}) + "#tasks"


@require_POST
def task_new(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code, write=True)
    form = TaskForm(request.POST, organisation=case.organisation)
    if not form.is_valid():
        return render(request, "tracking/task.html", {"case": case, "form": form, "task": None}, status=400)
    d = form.cleaned_data
    actions.add_task(
        case,
        title=d["title"],
        due_on=d["due_on"],
        assigned_to=d["assigned_to"],
        by=request.user,
        request=request,
    )
    messages.success(request, f"Task added: {d['title']}.")
    return redirect(_back_to_case(case))


def task_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    task = access.task_for_user(request, code, write=request.method == "POST")
    initial = {"title": task.title, "due_on": task.due_on, "assigned_to": task.assigned_to_id}
    form = TaskForm(request.POST or None, initial=initial, organisation=task.case.organisation)
    opened, conflict = actions.TASK_FIELDS.seal(task), None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.edit_task(
                task,
                title=d["title"],
                due_on=d["due_on"],
                assigned_to=d["assigned_to"],
                by=request.user,
                request=request,
                opened=concurrency.opened_from(request.POST),
            )
        except concurrency.Stale as stale:
            task.refresh_from_db()
            conflict, opened = stale, actions.TASK_FIELDS.seal(task)
        else:
            messages.success(request, f"Task saved: {d['title']}.")
            return redirect(_back_to_case(task))
    status = 409 if conflict else 400 if request.method == "POST" else 200
    context = {"case": task.case, "form": form, "task": task, "opened": opened, "conflict": conflict}
    return render(request, "tracking/task.html", context, status=status)


@require_POST
def task_done(request: HttpRequest, code: UUID) -> HttpResponse:
    """Tick a task off, or (done=0) open it again. Goes back where it was pressed."""
    task = access.task_for_user(request, code, write=True)
    done = request.POST.get("done", "1") != "0"
    actions.mark_task(task, done=done, by=request.user, request=request)
    messages.success(request, f"{'Done' if done else 'Reopened'}: {task.title}.")
    back = request.POST.get("next", "")
    return redirect(back if back == reverse("tracking:due") else _back_to_case(task))


@require_POST
def task_delete(request: HttpRequest, code: UUID) -> HttpResponse:
    task = access.task_for_user(request, code, write=True)
    actions.delete_task(task, by=request.user, request=request)
    messages.success(request, f"Task deleted: {task.title}.")
    return redirect(_back_to_case(task))


@require_safe
def due(request: AuthenticatedRequest) -> HttpResponse:
    """What is due: overdue, today, and the days ahead, for me, a colleague or everyone."""
    m = access.membership(request)
    today = localdate()
    form = DueFilterForm(request.GET, organisation=m.organisation)
    person, days = form.person(request.user), form.horizon()
    end = today + timedelta(days=days)
    cases, tasks = work_of(m.organisation, person)
    items = due_between(cases, None, end, today=today, tasks=tasks)
    pref = DigestPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "tracking/due.html",
        {
            "form": form,
            "person": person,
            "days": days,
            "today": today,
            "end": end,
            # Dated items only: tasks without a due date are in "undated".
            "overdue": [d for d in items if d.on is not None and d.on < today],
            "today_items": [d for d in items if d.on == today],
            "ahead": [d for d in items if d.on is not None and d.on > today],
            "undated": undated(tasks),
            "people": form.people,
            "who": "all" if person is None else ("me" if person == request.user else str(person.pk)),
            "digest_form": DigestForm(initial={"daily": pref.daily if pref else True}),
            "has_email": bool(request.user.email),
            "defaults_label": defaults.LABEL,
        },
    )


@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    access.membership(request)
    form = DigestForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    daily = bool(form.cleaned_data.get("daily"))
    actions.set_digest(request.user, daily=daily, request=request)
    messages.success(
        request, "You will get the daily e-mail of what is due." if daily else "Daily e-mail switched off."
    )
    return redirect("tracking:due")
