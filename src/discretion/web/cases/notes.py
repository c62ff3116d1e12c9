"""Notes on a case: written by anyone who can change the case; changed only by their author or an
organisation admin. Every note added, edited or deleted is in the audit log."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from discretion.web import access
from discretion.web.cases import actions
from discretion.web.cases.forms import NoteForm
from discretion.web.lib import concurrency


def _notes_of(case) -> str:
    return reverse("cases:detail", kwargs={"code": case.code}) + "#notes"


@require_POST
def note_new(request: HttpRequest, code: UUID) -> HttpResponse:
    case = access.case_for_user(request, code, write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/note.html", {"case": case, "form": form, "note": None}, status=400)
    actions.add_note(case, body=form.cleaned_data["body"], by=request.user, request=request)
    messages.success(request, "Note added.")
    return redirect(_notes_of(case))


def note_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    note = access.note_for_user(request, code, write=True)
    form = NoteForm(request.POST or None, initial={"body": note.body})
    opened = actions.NOTE_FIELDS.seal(note)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_note(
                note,
                body=form.cleaned_data["body"],
                by=request.user,
                request=request,
                opened=concurrency.opened_from(request.POST),
            )
        except concurrency.Stale as stale:
            note.refresh_from_db()
            conflict, opened = stale, actions.NOTE_FIELDS.seal(note)
        else:
            messages.success(request, "Note saved.")
            return redirect(_notes_of(note.case))
    status = 409 if conflict else 400 if request.method == "POST" else 200
    context = {"case": note.case, "form": form, "note": note, "opened": opened, "conflict": conflict}
    return render(request, "cases/note.html", context, status=status)


@require_POST
def note_delete(request: HttpRequest, code: UUID) -> HttpResponse:
    note = access.note_for_user(request, code, write=True)
    actions.delete_note(note, by=request.user, request=request)
    messages.success(request, "Note deleted.")
    return redirect(_notes_of(note.case))
