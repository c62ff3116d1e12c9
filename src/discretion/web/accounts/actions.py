"""Every write of the accounts app: people, invitations, passwords and two-step sign-in.

Each verb is called by a view after the permission check (``discretion.web.access`` or the
admin check in ``accounts.people``) and a Django form; none checks permissions itself. Each one
writes its audit row in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.timezone import now
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from discretion.web.access import AuthenticatedRequest
from discretion.web.accounts import two_factor
from discretion.web.accounts.models import MemberInvitation, Membership, Organisation, Role
from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.lib import concurrency, mail

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# --- signing in ------------------------------------------------------------------------------


def sign_in(request: HttpRequest, user: Any, *, device: Any = None, how: str = "") -> None:
    """Log the user in (with the device that verified them, if any) and audit it."""
    if device is not None:
        user.otp_device = device  # django-otp marks the session verified on user_logged_in
    login(request, user, backend=getattr(user, "backend", None) or MODEL_BACKEND)
    if device is not None:
        otp_login(request, device)
    record(request, Action.LOGIN, user=user, summary=f"Logged in{how}")


def wrong_code(request: HttpRequest, user: Any) -> None:
    record(request, Action.LOGIN_FAILED, user=user, summary="Wrong two-step sign-in code")


def password_changed(request: HttpRequest, user: Any, *, how: str = "Changed their password") -> None:
    record(request, Action.CHANGE, obj=user, user=user, summary=how)


# --- people ----------------------------------------------------------------------------------


def add_member(request: HttpRequest, organisation: Organisation, data: dict[str, Any]) -> Any:
    """A new login and membership with a first password (given to the person privately)."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
        )
        Membership.objects.create(
            user=user, organisation=organisation, role=data["role"], is_org_admin=data["is_org_admin"]
        )
        record(
            request,
            Action.CREATE,
            obj=user,
            summary=f"Added {user.get_username()} as {Role(data['role']).label}",
        )
    return user


# What a row of the people table edits, for the concurrency check (lib/concurrency.py).
MEMBER_FIELDS = concurrency.Fields(
    {
        "role": ("Role", lambda m: m.get_role_display()),
        "is_org_admin": ("Organisation admin", concurrency.field("is_org_admin")),
        "is_active": ("Can log in", lambda m: m.user.is_active),
    }
)


def update_member(request: HttpRequest, member: Membership, data: dict[str, Any]) -> None:
    """Role, admin flag and access; ``concurrency.Stale`` if someone changed them since the page
    was opened (the form's ``opened`` seal)."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
        MEMBER_FIELDS.check(
            concurrency.opened_from(request.POST), locked, by=concurrency.last_editor(member.user)
        )
        Membership.objects.filter(pk=member.pk).update(role=data["role"], is_org_admin=data["is_org_admin"])
        get_user_model().objects.filter(pk=member.user_id).update(is_active=data["is_active"])
        record(
            request,
            Action.CHANGE,
            obj=member.user,
            summary=f"{member.user.get_username()}: {Role(data['role']).label}, "
            f"admin={data['is_org_admin']}, active={data['is_active']}",
        )


# --- invitations -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(invitation: MemberInvitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.sent = now()
    invitation.expires = invitation.sent + timedelta(days=settings.INVITATION_DAYS)
    return token


def _send_invitation(request: HttpRequest, invitation: MemberInvitation, token: str) -> bool:
    inviter = request.user
    return mail.send(
        to=invitation.email,
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "inviter": inviter.get_full_name() or inviter.get_username(),  # type: ignore[union-attr]
            "link": request.build_absolute_uri(reverse("accounts:join", args=[token])),
            "days": settings.INVITATION_DAYS,
        },
        reply_to=getattr(inviter, "email", "") or "",
    )


def invite(
    request: AuthenticatedRequest, organisation: Organisation, data: dict[str, Any]
) -> tuple[MemberInvitation, bool]:
    """Save an invitation and e-mail its link; (the invitation, whether the e-mail went)."""
    invitation = MemberInvitation(
        organisation=organisation,
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=data["role"],
        is_org_admin=data["is_org_admin"],
        invited_by=request.user,
    )
    token = _new_link(invitation)
    with transaction.atomic():
        invitation.save()
        record(
            request,
            Action.CREATE,
            obj=invitation,
            summary=f"Invited {invitation.email} as {Role(invitation.role).label}",
        )
    return invitation, _send_invitation(request, invitation, token)


def resend_invitation(request: HttpRequest, invitation: MemberInvitation) -> bool:
    """A new link (the old one stops working) and a new expiry, e-mailed again."""
    token = _new_link(invitation)
    with transaction.atomic():
        invitation.save(update_fields=["token_hash", "sent", "expires"])
        record(
            request, Action.CHANGE, obj=invitation, summary=f"Sent the invitation to {invitation.email} again"
        )
    return _send_invitation(request, invitation, token)


def withdraw_invitation(request: HttpRequest, invitation: MemberInvitation) -> None:
    with transaction.atomic():
        MemberInvitation.objects.filter(pk=invitation.pk).update(withdrawn=now())
        record(
            request, Action.DELETE, obj=invitation, summary=f"Withdrew the invitation to {invitation.email}"
        )


def open_invitation(token: str) -> MemberInvitation | None:
    """The invitation a link's token opens, if it is still open."""
    invitation = (
        MemberInvitation.objects.select_related("organisation").filter(token_hash=token_hash(token)).first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(request: HttpRequest, invitation: MemberInvitation, data: dict[str, Any]) -> Any:
    """Create the invited person's login and membership, and log them in."""
    with transaction.atomic():
        # Locked so that one link cannot create two logins when submitted twice at once.
        locked = MemberInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            return None
        user = get_user_model().objects.create_user(
            username=data["username"],
            password=data["password1"],
            first_name=invitation.first_name,
            last_name=invitation.last_name,
            email=invitation.email,
        )
        Membership.objects.create(
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            is_org_admin=invitation.is_org_admin,
        )
        MemberInvitation.objects.filter(pk=invitation.pk).update(accepted=now(), accepted_by=user)
        record(
            request,
            Action.CREATE,
            obj=user,
            user=user,
            organisation=invitation.organisation,
            summary=f"Joined as {user.get_username()} ({Role(invitation.role).label}) by invitation",
        )
    sign_in(request, user, how=" for the first time, from an invitation")
    return user


# --- two-step sign-in ------------------------------------------------------------------------


def start_totp(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (a new secret unless one is waiting)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def _new_recovery_codes(user: Any) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_totp(request: HttpRequest, device: TOTPDevice) -> list[str]:
    """Switch two-step sign-in on with the device whose code was just checked; the recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(device.user)
        record(request, Action.CHANGE, obj=device.user, summary="Turned on two-step sign-in")
    otp_login(request, device)  # this session has just used the second factor
    return codes


def new_recovery_codes(request: HttpRequest, user: Any) -> list[str]:
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record(
            request, Action.CHANGE, obj=user, summary="Made new recovery codes (the old ones stop working)"
        )
    return codes


def remove_two_factor(request: HttpRequest, user: Any, *, by_admin: bool = False) -> None:
    """Delete the user's devices: they sign in with a password alone until they set up a new one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        summary = (
            f"Reset two-step sign-in of {user.get_username()} (lost device)"
            if by_admin
            else "Turned off two-step sign-in"
        )
        record(request, Action.CHANGE, obj=user, summary=summary)
