from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from discretion.web.accounts.models import Role


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
        data = super().clean()
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
