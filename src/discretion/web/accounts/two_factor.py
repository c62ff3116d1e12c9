"""Two-step sign-in: who must use it, and the sign-in that waits for its second step.

Why django-otp rather than django-allauth's MFA: allauth's MFA runs inside allauth's own account
views (login, signup, password reset, its templates and flows), which would replace the audited
login view that the login throttle also guards. django-otp is only the devices (TOTP, one-time
recovery codes), their verification with replay protection and back-off, and the session's
"verified" mark, so the workbench keeps its own login view and adds one step after it.

A correct password does not log anyone in who has a device: the user is kept here, in the
session, as a *pending* sign-in (who, which backend, where to go next, when, how many wrong codes),
and logged in only when a code from their app or a recovery code matches. ``TwoFactorMiddleware``
is the backstop for every other way into a session.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "discretion_pending_sign_in"
PENDING_SECONDS = 10 * 60
PENDING_TRIES = 5
RECOVERY_CODES = 10


def is_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this user must use two-step sign-in (settings.TWO_FACTOR_REQUIRED)."""
    rule = settings.TWO_FACTOR_REQUIRED
    if rule == "everyone":
        return True
    if rule == "admins":
        membership = getattr(user, "membership", None)
        return bool(getattr(user, "is_superuser", False) or (membership and membership.is_org_admin))
    return False


def has_device(user: AbstractBaseUser) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def display_code(token: str) -> str:
    """A recovery code as shown to people: ``abcd-efgh``, easier to copy by hand."""
    return f"{token[:4]}-{token[4:]}" if len(token) == 8 else token


def normalised_code(typed: str) -> str:
    """What someone typed, without spaces and dashes, lower case (codes are shown grouped)."""
    return re.sub(r"[\s-]+", "", typed).lower()


@dataclass(frozen=True)
class Pending:
    user: Any
    backend: str
    next_url: str
    tries: int


def begin(request: HttpRequest, user: Any, next_url: str) -> None:
    """Remember a sign-in whose password was right; it completes with ``code_step``."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None) or "django.contrib.auth.backends.ModelBackend",
        "next": next_url,
        "at": time.time(),
        "tries": 0,
    }
    request.session.cycle_key()


def pending(request: HttpRequest) -> Pending | None:
    """The sign-in waiting for its second step, or None (none, expired, or too many wrong codes)."""
    data = request.session.get(PENDING_KEY)
    if not data:
        return None
    if time.time() - data.get("at", 0) > PENDING_SECONDS or data.get("tries", 0) >= PENDING_TRIES:
        clear(request)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        clear(request)
        return None
    return Pending(user=user, backend=data["backend"], next_url=data.get("next", ""), tries=data["tries"])


def count_wrong_code(request: HttpRequest) -> int:
    """One more wrong code for the pending sign-in; the tries left."""
    data = dict(request.session[PENDING_KEY])
    data["tries"] = data.get("tries", 0) + 1
    request.session[PENDING_KEY] = data
    return PENDING_TRIES - data["tries"]


def clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def matching_device(user: Any, typed: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts ``typed``: the app's 6-digit code, or one recovery code (used up).

    django-otp's devices refuse a code while they are backing off after wrong ones, and refuse an
    app code that was already used (each 30-second code works once).
    """
    code = normalised_code(typed)
    if code.isdigit():
        device: TOTPDevice | StaticDevice | None = totp_device(user)
    else:
        device = recovery_device(user)
    if device is not None and device.verify_token(code):
        return device
    return None


def backing_off(user: Any) -> bool:
    """Whether the user's devices are refusing codes for now after wrong ones."""
    return any(
        d is not None and not d.verify_is_allowed()[0] for d in (totp_device(user), recovery_device(user))
    )
