from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from discretion.web.accounts.models import Role
from discretion.web.cases.models import Status


class NewCaseForm(forms.Form):
    name = forms.CharField(label="Full legal name (as on the NTA)", max_length=200)
    a_number = forms.CharField(
        label="A-number", max_length=20, required=False, help_text="9 digits, e.g. 012-345-678"
    )
    reference = forms.CharField(label="Your case reference", max_length=100, required=False)
    assigned_to = forms.ModelChoiceField(
        label="Assigned attorney", queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = representatives(organisation)


class CaseSettingsForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    assigned_to = forms.ModelChoiceField(
        label="Assigned attorney", queryset=get_user_model().objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = representatives(organisation)


class AsOfForm(forms.Form):
    on = forms.DateField(label="As of", widget=forms.DateInput(attrs={"type": "date"}))
    policy = forms.ChoiceField(label="Policy", required=False)

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [
            ("", "The policy in force on that date"),
            *[(p.id, f"{p.title} ({p.effective})") for p in policies],
        ]


def representatives(organisation):
    return (
        get_user_model()
        .objects.filter(
            membership__organisation=organisation,
            is_active=True,
            membership__role__in=[Role.ATTORNEY, Role.ACCREDITED],
        )
        .order_by("first_name", "last_name", "username")
    )
