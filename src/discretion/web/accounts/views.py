from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from discretion.web.accounts import throttle
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
                login(request, user)
                record(request, Action.LOGIN, user=user, summary="Logged in")
                if next_url and url_has_allowed_host_and_scheme(
                    next_url, {request.get_host()}, request.is_secure()
                ):
                    return redirect(next_url)
                return redirect("tracking:dashboard")
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


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    record(request, Action.LOGOUT, summary="Logged out")
    logout(request)
    messages.info(request, "You have logged out.")
    return redirect("accounts:login")


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def password_change(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import PasswordChangeForm

    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        record(request, Action.CHANGE, obj=user, summary="Changed their password")
        messages.success(request, "Your password has been changed.")
        return redirect("tracking:dashboard")
    return render(
        request, "accounts/password.html", {"form": form}, status=400 if request.method == "POST" else 200
    )
