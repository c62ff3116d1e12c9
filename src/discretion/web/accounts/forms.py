from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.timezone import now

from discretion.web.accounts import two_factor
from discretion.web.accounts.models import MemberInvitation, Role


class NewMemberForm(forms.Form):
    username = forms.SlugField(
        label="Username", max_length=150, help_text="Letters, numbers, - and _; used to log in."
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email", required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    is_org_admin = forms.BooleanField(
        label="Organisation admin (sees the audit log, manages people)", required=False
    )
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Give it to them privately; they can change it.",
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken.")
        return username

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password"):
            user = get_user_model()(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                validate_password(data["password"], user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class MemberForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    is_org_admin = forms.BooleanField(label="Organisation admin", required=False)
    is_active = forms.BooleanField(label="Can log in", required=False)


class InvitationForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email", help_text="The invitation link is sent here.")
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    is_org_admin = forms.BooleanField(
        label="Organisation admin (sees the audit log, manages people)", required=False
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email, membership__isnull=False).exists():
            raise forms.ValidationError("Someone with that e-mail address already has a login.")
        if MemberInvitation.objects.filter(
            organisation=self.organisation,
            email__iexact=email,
            accepted=None,
            withdrawn=None,
            expires__gt=now(),
        ).exists():
            raise forms.ValidationError("They already have an open invitation: send it again from the list.")
        return email


class JoinForm(forms.Form):
    """The invited person chooses their username and password."""

    username = forms.SlugField(
        label="Username", max_length=150, help_text="Letters, numbers, - and _; you log in with it."
    )
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password.",
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken: choose another.")
        return username

    def clean(self):
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are not the same.")
        elif p1:
            user = get_user_model()(
                username=data.get("username", ""),
                first_name=self.invitation.first_name,
                last_name=self.invitation.last_name,
                email=self.invitation.email,
            )
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CodeForm(forms.Form):
    """A code from the authenticator app, or (at sign-in) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code."},
    )

    def __init__(self, *args, numeric=False, **kwargs):
        super().__init__(*args, **kwargs)
        if numeric:
            self.fields["code"].label = "6-digit code from the app"
            self.fields["code"].widget.attrs.update(inputmode="numeric", pattern="[0-9 ]*", maxlength="7")
        else:
            self.fields[
                "code"
            ].help_text = "The 6-digit code your authenticator app shows now, or one of your recovery codes."

    def clean_code(self):
        code = two_factor.normalised_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6) and not (code.isalnum() and len(code) == 8):
            raise forms.ValidationError(
                "Enter the 6 digits your app shows, or a recovery code like abcd-efgh."
            )
        return code


class PasswordCheckForm(forms.Form):
    """The user's password again, before a change to how they sign in."""

    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
