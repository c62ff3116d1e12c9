"""Pages reached from an e-mailed link: joining an organisation, and resetting a password.

Password reset is Django's own (its token is signed with the password hash and the last login,
so it works once and stops working when the password changes); these classes only add the
workbench's templates, a rate limit, mail failures that do not crash the page, and the audit row.
A reset changes the password only: someone with two-step sign-in still needs their code.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from discretion.web.accounts import actions
from discretion.web.accounts.forms import JoinForm
from discretion.web.client import throttle

log = logging.getLogger(__name__)


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    if throttle.is_limited(request, throttle.BAD_LINK):
        return render(request, "accounts/join_closed.html", {"limited": True}, status=429)
    invitation = actions.open_invitation(token)
    if invitation is None:
        throttle.count(request, throttle.BAD_LINK)
        return render(request, "accounts/join_closed.html", {}, status=410)
    if request.user.is_authenticated:
        messages.error(request, "Log out first: this invitation is for someone new.")
        return redirect("tracking:dashboard")
    form = JoinForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        user = actions.accept_invitation(request, invitation, form.cleaned_data)
        if user is None:
            return render(request, "accounts/join_closed.html", {}, status=410)
        messages.success(
            request,
            f"Welcome to {invitation.organisation}. You can set up two-step sign-in on your sign-in settings page.",
        )
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/join.html",
        {"form": form, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )


class ResetForm(PasswordResetForm):
    def send_mail(self, *args, **kwargs) -> None:
        try:
            super().send_mail(*args, **kwargs)
        except (smtplib.SMTPException, OSError) as exc:
            # The page says the same whether or not an account exists, so it cannot say this
            # either; the log does.
            log.warning("password reset e-mail could not be sent: %s", exc)


class PasswordReset(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = extra_context = {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600}

    def post(self, request, *args, **kwargs):
        if throttle.is_limited(request, throttle.PASSWORD_RESET):
            return render(
                request,
                "registration/password_reset_form.html",
                {"limited": True, "form": ResetForm()},
                status=429,
            )
        throttle.count(request, throttle.PASSWORD_RESET)
        return super().post(request, *args, **kwargs)


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False  # they log in as usual, with their second step if they have one

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.password_changed(
            self.request, form.user, how="Set a new password from an e-mailed reset link"
        )
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
