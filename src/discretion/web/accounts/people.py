"""People in an organisation, for its admins: add colleagues, change roles, switch off access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from discretion.web.accounts.forms import MemberForm, NewMemberForm
from discretion.web.accounts.models import Membership, Role
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.lib import concurrency


def _admin_membership(request: HttpRequest) -> Membership:
    m = getattr(request.user, "membership", None)
    if m is None:
        raise Http404("You are not a member of any organisation")
    if not m.is_org_admin:
        raise PermissionDenied("Only organisation admins manage people")
    return m


def _get_member_for_admin(request: HttpRequest, user_id: int) -> Membership:
    m = _admin_membership(request)
    try:
        return Membership.objects.select_related("user").get(user_id=user_id, organisation=m.organisation)
    except Membership.DoesNotExist:
        raise Http404("No such person in your organisation") from None


def people(request: HttpRequest) -> HttpResponse:
    m = _admin_membership(request)
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=d["username"],
                password=d["password"],
                first_name=d["first_name"],
                last_name=d["last_name"],
                email=d["email"],
            )
            Membership.objects.create(
                user=user, organisation=m.organisation, role=d["role"], is_org_admin=d["is_org_admin"]
            )
            record(
                request,
                Action.CREATE,
                obj=user,
                summary=f"Added {user.get_username()} as {Role(d['role']).label}",
            )
        messages.success(request, f"{user.get_full_name()} can now log in as {user.get_username()}.")
        return redirect("accounts:people")
    members = list(
        Membership.objects.filter(organisation=m.organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    for member in members:
        member.opened = MEMBER_FIELDS.seal(member)  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/people.html",
        {"members": members, "form": form, "roles": Role.choices},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def member_update(request: HttpRequest, user_id: int) -> HttpResponse:
    member = _get_member_for_admin(request, user_id)
    form = MemberForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form[field].label if field in form.fields else field}: {' '.join(errors)}"
            )
        return redirect("accounts:people")
    d = form.cleaned_data
    if member.user_id == request.user.pk and (not d["is_org_admin"] or not d["is_active"]):
        messages.error(request, "You cannot remove your own admin rights or access; ask another admin.")
        return redirect("accounts:people")
    try:
        _save_member(request, member, d)
    except concurrency.Stale as conflict:
        member = _get_member_for_admin(request, user_id)
        context = {"member": member, "form": form, "roles": Role.choices, "conflict": conflict}
        context["opened"] = MEMBER_FIELDS.seal(member)
        return render(request, "accounts/member_conflict.html", context, status=409)
    messages.success(request, f"Saved {member.user.get_full_name() or member.user.get_username()}.")
    return redirect("accounts:people")


# What a row of the people table edits, for the concurrency check (lib/concurrency.py).
MEMBER_FIELDS = concurrency.Fields(
    {
        "role": ("Role", lambda m: m.get_role_display()),
        "is_org_admin": ("Organisation admin", concurrency.field("is_org_admin")),
        "is_active": ("Can log in", lambda m: m.user.is_active),
    }
)


def _save_member(request: HttpRequest, member: Membership, d: dict) -> None:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
        MEMBER_FIELDS.check(
            concurrency.opened_from(request.POST), locked, by=concurrency.last_editor(member.user)
        )
        Membership.objects.filter(pk=member.pk).update(role=d["role"], is_org_admin=d["is_org_admin"])
        get_user_model().objects.filter(pk=member.user_id).update(is_active=d["is_active"])
        record(
            request,
            Action.CHANGE,
            obj=member.user,
            summary=f"{member.user.get_username()}: {Role(d['role']).label}, admin={d['is_org_admin']}, active={d['is_active']}",
        )
