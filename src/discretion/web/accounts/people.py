"""People in an organisation, for its admins: invite colleagues by e-mail (or add them with a first
password), change roles, switch off access, reset a lost second factor."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from discretion.web import access
from discretion.web.access import AuthenticatedRequest
from discretion.web.accounts import actions
from discretion.web.accounts.actions import MEMBER_FIELDS
from discretion.web.accounts.forms import InvitationForm, MemberForm, NewMemberForm
from discretion.web.accounts.models import MemberInvitation, Membership, Role
from discretion.web.lib import concurrency


def _admin_membership(request: HttpRequest) -> Membership:
    return access.org_admin(request, why="Only organisation admins manage people")


def _page(request: HttpRequest, m: Membership, *, invite_form=None, form=None, status=200) -> HttpResponse:
    members = list(
        Membership.objects.filter(organisation=m.organisation)
        .select_related("user")
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)))
        .order_by("user__last_name", "user__first_name")
    )
    for member in members:
        member.opened = MEMBER_FIELDS.seal(member)  # type: ignore[attr-defined]
    invitations = MemberInvitation.objects.filter(
        organisation=m.organisation, accepted=None, withdrawn=None
    ).select_related("invited_by")
    return render(
        request,
        "accounts/people.html",
        {
            "members": members,
            "invitations": invitations,
            "now": now(),
            "invite_form": invite_form or InvitationForm(organisation=m.organisation),
            "form": form or NewMemberForm(),
            "roles": Role.choices,
        },
        status=status,
    )


def people(request: HttpRequest) -> HttpResponse:
    m = _admin_membership(request)
    if request.method != "POST":
        return _page(request, m)
    form = NewMemberForm(request.POST)
    if not form.is_valid():
        return _page(request, m, form=form, status=400)
    user = actions.add_member(request, m.organisation, form.cleaned_data)
    messages.success(request, f"{user.get_full_name()} can now log in as {user.get_username()}.")
    return redirect("accounts:people")


@require_POST
def invite(request: AuthenticatedRequest) -> HttpResponse:
    m = _admin_membership(request)
    form = InvitationForm(request.POST, organisation=m.organisation)
    if not form.is_valid():
        return _page(request, m, invite_form=form, status=400)
    invitation, sent = actions.invite(request, m.organisation, form.cleaned_data)
    if sent:
        messages.success(request, f"Invitation sent to {invitation.email}.")
    else:
        messages.error(
            request,
            f"The invitation to {invitation.email} is saved but the e-mail could not be sent. "
            "Check the mail settings, then use Send again.",
        )
    return redirect("accounts:people")


@require_POST
def invitation_resend(request: HttpRequest, code: UUID) -> HttpResponse:
    invitation = access.member_invitation_for_admin(request, code)
    if invitation.accepted or invitation.withdrawn:
        messages.error(request, "That invitation was already used or withdrawn.")
    elif actions.resend_invitation(request, invitation):
        messages.success(request, f"Sent the invitation to {invitation.email} again, with a new link.")
    else:
        messages.error(request, f"The e-mail to {invitation.email} could not be sent. Try again later.")
    return redirect("accounts:people")


@require_POST
def invitation_withdraw(request: HttpRequest, code: UUID) -> HttpResponse:
    invitation = access.member_invitation_for_admin(request, code)
    if invitation.accepted is None and invitation.withdrawn is None:
        actions.withdraw_invitation(request, invitation)
        messages.success(request, f"Withdrew the invitation to {invitation.email}; its link no longer works.")
    return redirect("accounts:people")


@require_POST
def member_update(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access.member_for_admin(request, user_id)
    form = MemberForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form[field].label if field in form.fields else field}: {' '.join(map(str, errors))}"
            )
        return redirect("accounts:people")
    d = form.cleaned_data
    if member.user_id == request.user.pk and (not d["is_org_admin"] or not d["is_active"]):
        messages.error(request, "You cannot remove your own admin rights or access; ask another admin.")
        return redirect("accounts:people")
    try:
        actions.update_member(request, member, d)
    except concurrency.Stale as conflict:
        member = access.member_for_admin(request, user_id)
        context = {"member": member, "form": form, "roles": Role.choices, "conflict": conflict}
        context["opened"] = MEMBER_FIELDS.seal(member)
        return render(request, "accounts/member_conflict.html", context, status=409)
    messages.success(request, f"Saved {member.user.get_full_name() or member.user.get_username()}.")
    return redirect("accounts:people")


@require_POST
def member_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """For a colleague who lost their phone and their recovery codes."""
    member = access.member_for_admin(request, user_id)
    if member.user_id == request.user.pk:
        messages.error(request, "Change your own two-step sign-in on your sign-in settings page.")
        return redirect("accounts:people")
    actions.remove_two_factor(request, member.user, by_admin=True)
    name = member.user.get_full_name() or member.user.get_username()
    messages.success(
        request,
        f"Two-step sign-in of {name} is reset: they sign in with their password and set it up again.",
    )
    return redirect("accounts:people")
