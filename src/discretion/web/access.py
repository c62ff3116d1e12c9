"""Who may see and change what: the one module every view asks before it touches an object.

A member sees only their own organisation's objects. An object of another organisation does not
exist for them (404, never 403, so its existence is not confirmed); a read-only member who asks
to change something gets 403. Requests, tasks, notes, files and documents are checked through
their case. ``tests/web/test_access_matrix.py`` proves it for every URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from discretion.web.accounts.models import MemberInvitation, Membership
    from discretion.web.booking.models import Booking
    from discretion.web.cases.models import Case, CaseNote
    from discretion.web.documents.models import GeneratedDocument
    from discretion.web.intake.models import Invitation
    from discretion.web.tracking.models import PDRequest, Task


class AuthenticatedRequest(HttpRequest):
    """The request of every view not marked @login_not_required: LoginRequiredMiddleware has
    already sent anyone else to the login page, so ``user`` is a signed-in user (for the type
    checker; at run time it is the same HttpRequest)."""

    user: User


def membership(request: HttpRequest) -> Membership:
    """The user's membership; 404 for someone who belongs to no organisation."""
    m = getattr(request.user, "membership", None)
    if m is None:
        raise Http404("You are not a member of any organisation")
    return m


def editor(request: HttpRequest) -> Membership:
    """The membership of someone who may change cases; 403 for read-only members."""
    m = membership(request)
    if not m.can_edit:
        raise PermissionDenied("Read-only members cannot change cases")
    return m


def org_admin(request: HttpRequest, *, why: str = "Only organisation admins can do that") -> Membership:
    """The membership of an organisation admin; 403 (with ``why``) for other members."""
    m = membership(request)
    if not m.is_org_admin:
        raise PermissionDenied(why)
    return m


def member_for_admin(request: HttpRequest, user_id: int) -> Membership:
    """A person of the admin's own organisation, for the People page; 404 for anyone else."""
    from discretion.web.accounts.models import Membership

    m = org_admin(request, why="Only organisation admins manage people")
    found = Membership.objects.select_related("user").filter(user_id=user_id, organisation=m.organisation).first()
    if found is None:
        raise Http404("No such person in your organisation")
    return found


def member_invitation_for_admin(request: HttpRequest, code: UUID) -> MemberInvitation:
    """An invitation to join the admin's own organisation; 404 for another organisation's."""
    from discretion.web.accounts.models import MemberInvitation

    m = org_admin(request, why="Only organisation admins manage people")
    invitation = MemberInvitation.objects.filter(code=code, organisation=m.organisation).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def document_for_user(request: HttpRequest, code: UUID) -> GeneratedDocument:
    """A generated letter or packet, checked through its case."""
    from discretion.web.documents.models import GeneratedDocument

    doc = GeneratedDocument.objects.select_related("case").filter(code=code).first()
    if doc is None:
        raise Http404("No such document")
    doc.case = case_for_user(request, doc.case.code)
    return doc


def case_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> Case:
    """The case, if it belongs to the user's organisation; ``write`` refuses read-only members."""
    from discretion.web.cases.models import Case

    try:
        case = (
            Case.objects.for_user(request.user).select_related("assigned_to", "organisation").get(code=code)
        )
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    if write and not membership(request).can_edit:
        raise PermissionDenied("Read-only members cannot change cases")
    return case


def request_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> PDRequest:
    from discretion.web.tracking.models import PDRequest

    try:
        pd = PDRequest.objects.select_related("case").get(code=code)
    except PDRequest.DoesNotExist:
        raise Http404("No such request") from None
    pd.case = case_for_user(request, pd.case.code, write=write)
    return pd


def task_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> Task:
    from discretion.web.tracking.models import Task

    try:
        task = Task.objects.select_related("case", "assigned_to").get(code=code)
    except Task.DoesNotExist:
        raise Http404("No such task") from None
    task.case = case_for_user(request, task.case.code, write=write)
    return task


def note_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> CaseNote:
    """A note of a case the user may see; changing it is for its author or an organisation admin."""
    from discretion.web.cases.models import CaseNote

    try:
        note = CaseNote.objects.select_related("case", "author").get(code=code)
    except CaseNote.DoesNotExist:
        raise Http404("No such note") from None
    note.case = case_for_user(request, note.case.code, write=write)
    if write and note.author_id != request.user.pk and not membership(request).is_org_admin:
        raise PermissionDenied("Only the note's author or an organisation admin can change it")
    return note


def invitation_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> Invitation:
    """An intake invitation, checked through its case."""
    from discretion.web.intake.models import Invitation

    inv = Invitation.objects.select_related("case").filter(code=code).first()
    if inv is None:
        raise Http404("No such invitation")
    inv.case = case_for_user(request, inv.case.code, write=write)
    return inv


def booking_for_user(request: HttpRequest, code: UUID, *, write: bool = False) -> Booking:
    """A consultation booked with the user's organisation; ``write`` needs an editor."""
    from discretion.web.booking.models import Booking

    m = editor(request) if write else membership(request)
    booking = (
        Booking.objects.select_related("organisation", "practitioner")
        .filter(code=code, organisation_id=m.organisation_id)
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    return booking


__all__ = [
    "AuthenticatedRequest",
    "booking_for_user",
    "case_for_user",
    "document_for_user",
    "editor",
    "invitation_for_user",
    "member_for_admin",
    "member_invitation_for_admin",
    "membership",
    "org_admin",
    "note_for_user",
    "request_for_user",
    "task_for_user",
]
