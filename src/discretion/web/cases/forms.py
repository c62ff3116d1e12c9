from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model

from discretion.web.accounts.models import Role
from discretion.web.cases.models import ClosingReason, Status


class PersonChoiceField(forms.ModelChoiceField):
    """Choose a colleague, shown by name (the username only when no name was entered)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class NewCaseForm(forms.Form):
    name = forms.CharField(label="Full legal name (as on the NTA)", max_length=200)
    a_number = forms.CharField(
        label="A-number", max_length=20, required=False, help_text="9 digits, e.g. 012-345-678"
    )
    reference = forms.CharField(label="Your case reference", max_length=100, required=False)
    requested_action = forms.ChoiceField(
        label="What you will ask OPLA for",
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        help_text="You can change it later, in the case's first section.",
    )
    assigned_to = PersonChoiceField(
        label="Assigned attorney", queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        from discretion.web.cases.sections import request_action_choices

        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = representatives(organisation)
        cast(forms.ChoiceField, self.fields["requested_action"]).choices = [*request_action_choices(), ("", "Not decided yet")]


class CaseSettingsForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    closing_reason = forms.ChoiceField(
        label="Why is it closed", choices=[("", "—"), *ClosingReason.choices], required=False
    )
    why = forms.CharField(
        label="Note", max_length=200, required=False, help_text="Optional, for the status history."
    )
    assigned_to = PersonChoiceField(
        label="Assigned attorney", queryset=get_user_model().objects.none(), required=False
    )
    # What the form was drawn from (lib/concurrency.py); a stale save is refused, never lost.
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = representatives(organisation)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("status") == Status.CLOSED and not data.get("closing_reason"):
            self.add_error("closing_reason", "Choose why the case is closed.")
        if data.get("closing_reason") == ClosingReason.OTHER and not data.get("why"):
            self.add_error("why", "Say why the case is closed.")
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by everyone in your organisation who can open the case.",
        error_messages={"required": "Write the note first."},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write the note first.")
        return body


class CaseFilterForm(forms.Form):
    """The case list's search and filters (a GET form: every link keeps them)."""

    q = forms.CharField(
        label="Name, A-number or reference",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    status = forms.ChoiceField(label="Status", choices=[("", "Any"), *Status.choices], required=False)
    # Court, assignee and sort are offered as lists (set in __init__) but read as text: a court
    # no case has any more, or a colleague who left, is a filter that matches nothing, not an error.
    court = forms.CharField(label="Court", required=False, max_length=120, widget=forms.Select)
    assignee = forms.CharField(label="Assigned to", required=False, max_length=20, widget=forms.Select)
    within = forms.IntegerField(
        label="Hearing within (days)",
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3650, "inputmode": "numeric"}),
        error_messages={
            "invalid": "enter a number of days between 0 and 3650",
            "min_value": "enter a number of days between 0 and 3650",
            "max_value": "enter a number of days between 0 and 3650",
        },
    )
    sort = forms.CharField(label="Sort by", required=False, max_length=20, widget=forms.Select)
    page = forms.CharField(required=False, max_length=12)

    def __init__(self, *args, organisation, sorts, courts=(), **kwargs):
        kwargs.setdefault("auto_id", "%s")  # ids q, status, court...: the page's scripts and tests use them
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.people = list(representatives(organisation))
        self.sorts = sorts
        widgets = {name: cast(forms.Select, self.fields[name].widget) for name in ("court", "assignee", "sort")}
        court_choices = [("", "Any"), *((c, c) for c in courts)]
        asked = str(self.data.get("court", ""))[:120]
        if asked and all(asked != c for c, _ in court_choices):
            court_choices.append((asked, asked))  # an old link's court stays shown as chosen
        widgets["court"].choices = court_choices
        widgets["assignee"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Nobody"),
            *((str(p.pk), p.get_full_name() or p.get_username()) for p in self.people),
        ]
        widgets["sort"].choices = [(k, v[0]) for k, v in sorts.items()]

    def clean_assignee(self):
        value = self.cleaned_data["assignee"]
        if value in ("", "me", "none") or (value.isdigit() and any(str(p.pk) == value for p in self.people)):
            return value
        raise forms.ValidationError("choose someone from the list")

    def clean_sort(self):
        value = self.cleaned_data["sort"]
        return value if value in self.sorts else "updated"

    def problems(self) -> list[str]:
        """Each bad filter as "Label: what is wrong" (the list still shows, without that filter)."""
        out = []
        for name, errors in self.errors.items():
            label = "Next hearing within" if name == "within" else self.fields[name].label
            if name == "status":
                out.append(f"Status: {self.data.get('status')!r} is not a status")
            else:
                out.append(f"{label}: {' '.join(map(str, errors))}")
        return out

    def value(self, name: str):
        """The cleaned value of a filter, or its empty value when it was wrong."""
        if name in self.errors:
            return None if name == "within" else ""
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None


class AsOfForm(forms.Form):
    on = forms.DateField(label="As of", widget=forms.DateInput(attrs={"type": "date"}))
    policy = forms.ChoiceField(label="Policy", required=False)

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["policy"]).choices = [
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's file-upload documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # Each file is judged by the import itself, so an empty or bad file is reported by name
        # beside the others rather than failing the whole form.
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class ImportForm(forms.Form):
    file = MultipleFileField(
        label="Files",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".csv,.yaml,.yml,.json,text/csv,application/json"}),
    )
