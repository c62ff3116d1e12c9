"""The backstop of two-step sign-in (accounts/two_factor.py), on every request after login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from discretion.web.accounts import two_factor

# Pages someone who still has to set up two-step sign-in may reach.
ENROLMENT_PAGES = {
    "accounts:two_factor",
    "accounts:two_factor_setup",
    "accounts:recovery_codes",
    "accounts:logout",
}


class TwoFactorMiddleware:
    """Keeps sessions honest about the second factor.

    - A session of someone who has a device but did not use it (a login that went round the
      workbench's login view, such as the back office's) is ended: they sign in again with a code.
    - An admin (or everyone, by settings) without a device reaches only the set-up pages until
      they set one up.
    Pages that need no login (the person's pages, the login itself) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        if user.is_verified():  # type: ignore[attr-defined]  # django-otp's OTPMiddleware adds it
            return None
        # Asked on every request, not cached in the session: a device set up in another session
        # must take effect here too (two indexed queries).
        if two_factor.has_device(user):
            logout(request)
            messages.info(request, "Sign in again with your password and a code from your app.")
            return redirect(f"{reverse('accounts:login')}?next={quote(request.get_full_path())}")
        if two_factor.is_required(user):
            match = request.resolver_match
            if match is None or match.view_name not in ENROLMENT_PAGES:
                messages.info(
                    request,
                    "Your organisation's admins must use two-step sign-in. Set it up to continue.",
                )
                return redirect("accounts:two_factor_setup")
        return None
