from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from discretion.web.access import AuthenticatedRequest
from discretion.web.accounts import actions, throttle, two_factor
from discretion.web.accounts.forms import CodeForm
from discretion.web.audit.log import record
from discretion.web.audit.models import Action


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracking:dashboard")
    form = AuthenticationForm(request)
    error = ""
    status = 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        password = request.POST.get("password", "")
        form = AuthenticationForm(request, data={"username": username, "password": ""})
        if not username or not password:
            error = "Enter your username and password."
            status = 400
        else:
            # django-axes checks and counts inside authenticate(); one attempt per username at a
            # time makes the two one step (accounts/throttle.py).
            with throttle.one_at_a_time(username):
                user = authenticate(request, username=username, password=password)
            if getattr(request, "axes_locked_out", False):
                error, status = LOCKED_OUT, 429
                if user is None:
                    record(request, Action.LOGIN_FAILED, summary=f"Login refused for {username!r}: locked")
            elif user is None:
                record(request, Action.LOGIN_FAILED, summary=f"Failed login for {username!r}")
                error = "That username and password do not match. Check both and try again."
                status = 400
            else:
                return _password_accepted(request, user, next_url)
    return render(
        request, "registration/login.html", {"form": form, "error": error, "next": next_url}, status=status
    )


LOCKED_OUT = (
    "Too many failed attempts from this address. Wait 15 minutes, log in from your usual place, "
    "or ask your organisation admin to help."
)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page with the reason, never a bare error page."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    form = AuthenticationForm(request, data={"username": username, "password": ""})
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    context = {"form": form, "error": LOCKED_OUT, "next": next_url}
    return render(request, "registration/login.html", context, status=429)


def _safe_next(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse("tracking:dashboard")


def _password_accepted(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """The password was right: log in, or first ask for the second step if the user has one."""
    if two_factor.has_device(user):
        two_factor.begin(request, user, next_url)
        return redirect("accounts:login_code")
    actions.sign_in(request, user)
    return redirect(_safe_next(request, next_url))


@login_not_required
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    waiting = two_factor.pending(request)
    if waiting is None:
        messages.info(request, "Sign in with your username and password first.")
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        user = waiting.user
        user.backend = waiting.backend
        device = two_factor.matching_device(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.clear(request)
            recovery = not form.cleaned_data["code"].isdigit()
            actions.sign_in(
                request, user, device=device, how=" with a recovery code" if recovery else " with a code"
            )
            if recovery:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. If your phone is lost, set up the app again "
                    "and make new recovery codes.",
                )
            return redirect(_safe_next(request, waiting.next_url))
        actions.wrong_code(request, user)
        left = two_factor.count_wrong_code(request)
        if left <= 0:
            two_factor.clear(request)
            messages.error(request, "Too many wrong codes. Sign in again with your password.")
            return redirect("accounts:login")
        if two_factor.backing_off(user):
            error = f"That code does not match. Wait a few seconds before the next try ({left} left)."
        else:
            error = f"That code does not match. Check the app shows the right account and try again ({left} left)."
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "registration/login_code.html", {"form": form, "error": error}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    record(request, Action.LOGOUT, summary="Logged out")
    logout(request)
    messages.info(request, "You have logged out.")
    return redirect("accounts:login")


def password_change(request: AuthenticatedRequest) -> HttpResponse:
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import PasswordChangeForm

    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        actions.password_changed(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("tracking:dashboard")
    return render(
        request, "accounts/password.html", {"form": form}, status=400 if request.method == "POST" else 200
    )
