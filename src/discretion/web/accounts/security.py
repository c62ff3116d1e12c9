"""The signed-in person's own sign-in settings: two-step sign-in and its recovery codes."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discretion.web.access import AuthenticatedRequest
from discretion.web.accounts import actions, two_factor
from discretion.web.accounts.forms import CodeForm, PasswordCheckForm

NEW_CODES_KEY = "discretion_new_recovery_codes"


@require_safe
def overview(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    device = two_factor.totp_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "required": two_factor.is_required(user),
            "codes_left": two_factor.recovery_codes_left(user) if device else 0,
            "form": PasswordCheckForm(user=user),
        },
    )


def _secret_groups(device) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """Set up the authenticator app; with one already set up, move to a new phone (the old app's
    codes stop working once the new one's code is confirmed)."""
    user = request.user
    device = actions.start_totp(user)
    form = CodeForm(request.POST or None, numeric=True)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["code"].isdigit() and device.verify_token(form.cleaned_data["code"]):
            codes = actions.confirm_totp(request, device)
            request.session[NEW_CODES_KEY] = codes
            return redirect("accounts:recovery_codes")
        if not device.verify_is_allowed()[0]:
            form.add_error("code", "That code does not match. Wait a few seconds, then type the code the app shows now.")
        else:
            form.add_error(
                "code",
                "That code does not match. Check the time on your phone is set automatically, "
                "and type the code the app shows now.",
            )
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=2, title="QR code for your authenticator app")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(svg),  # noqa: S308 - segno's own SVG markup of the otpauth link
            "secret": _secret_groups(device),
            "account": user.get_username(),
            "required": two_factor.is_required(user),
            "replacing": two_factor.totp_device(user) is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """GET shows codes just made, once; POST (with the password) makes new ones."""
    user = request.user
    if request.method == "POST":
        if two_factor.totp_device(user) is None:
            return redirect("accounts:two_factor")
        form = PasswordCheckForm(request.POST, user=user)
        if not form.is_valid():
            messages.error(request, "New recovery codes: that is not your password.")
            return redirect("accounts:two_factor")
        request.session[NEW_CODES_KEY] = actions.new_recovery_codes(request, user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": [two_factor.display_code(c) for c in codes]},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_required(user):
        messages.error(
            request, "Your organisation requires two-step sign-in for you: it cannot be turned off."
        )
        return redirect("accounts:two_factor")
    form = PasswordCheckForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "Turn off two-step sign-in: that is not your password.")
        return redirect("accounts:two_factor")
    actions.remove_two_factor(request, user)
    messages.success(request, "Two-step sign-in is off. You sign in with your password alone.")
    return redirect("accounts:two_factor")
