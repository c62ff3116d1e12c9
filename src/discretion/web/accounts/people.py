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
    members = (
        Membership.objects.filter(organisation=m.organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
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
    with transaction.atomic():
        Membership.objects.filter(pk=member.pk).update(role=d["role"], is_org_admin=d["is_org_admin"])
        get_user_model().objects.filter(pk=member.user_id).update(is_active=d["is_active"])
        record(
            request,
            Action.CHANGE,
            obj=member.user,
            summary=f"{member.user.get_username()}: {Role(d['role']).label}, admin={d['is_org_admin']}, active={d['is_active']}",
        )
    messages.success(request, f"Saved {member.user.get_full_name() or member.user.get_username()}.")
    return redirect("accounts:people")
