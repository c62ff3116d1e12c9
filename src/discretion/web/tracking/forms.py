from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model

from discretion.web.cases.forms import PersonChoiceField
from discretion.web.files.store import ACCEPT
from discretion.web.tracking.models import REQUEST_CHOICES, Channel, Outcome, RequestStatus


class PDRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Action requested", choices=REQUEST_CHOICES)
    office = forms.CharField(
        label="OPLA field location",
        max_length=120,
        required=False,
        help_text="The OPLA office with jurisdiction, e.g. OPLA New York City.",
    )
    channel = forms.ChoiceField(label="Sent by", choices=Channel.choices)
    sent_on = forms.DateField(
        label="Date sent",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty while the request is still a draft.",
    )
    follow_up_on = forms.DateField(
        label="Follow up on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for the practice default: 30 days after sending.",
    )


class EventForm(forms.Form):
    new_status = forms.ChoiceField(
        label="What happened",
        choices=[("", "A note only (status unchanged)"), *RequestStatus.choices],
        required=False,
        help_text="For example: called the OPLA office, left a voicemail.",
    )
    on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        required=False,
        help_text="For a grant: what OPLA agreed to.",
    )
    attachment = forms.FileField(
        label="Response letter",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class PDRequestEditForm(forms.Form):
    office = forms.CharField(label="OPLA field location", max_length=120, required=False)
    channel = forms.ChoiceField(label="Sent by", choices=Channel.choices)
    sent_on = forms.DateField(
        label="Date sent", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up_on = forms.DateField(
        label="Follow up on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for the practice default: 30 days after sending.",
    )


def task_assignees(organisation):
    """Who a task can go to: the organisation's active members who can change cases."""
    from discretion.web.accounts.models import Role

    return (
        get_user_model()
        .objects.filter(membership__organisation=organisation, is_active=True)
        .exclude(membership__role=Role.READ_ONLY)
        .order_by("first_name", "last_name", "username")
    )


class TaskForm(forms.Form):
    title = forms.CharField(
        label="Task",
        max_length=200,
        help_text="For example: ask the client for school records.",
        error_messages={"required": "Say what needs doing."},
    )
    due_on = forms.DateField(label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    assigned_to = PersonChoiceField(
        label="For",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="(the case's attorney)",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = task_assignees(organisation)

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Say what needs doing.")
        return title


HORIZONS = [
    (7, "the next 7 days"),
    (14, "the next 2 weeks"),
    (30, "the next 30 days"),
    (90, "the next 90 days"),
]


class DueFilterForm(forms.Form):
    """Whose work, and how far ahead, on the What is due page."""

    who = forms.CharField(label="Whose", required=False, max_length=20)
    days = forms.TypedChoiceField(
        label="Through",
        choices=HORIZONS,
        coerce=int,
        required=False,
        empty_value=7,  # type: ignore[arg-type]  # any value; the stubs say str
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(task_assignees(organisation))

    def clean_who(self):
        value = self.cleaned_data["who"] or "me"
        if value in ("me", "all") or (value.isdigit() and any(str(p.pk) == value for p in self.people)):
            return value
        raise forms.ValidationError("choose someone from the list")

    def person(self, user):
        """The person whose work to show (None: everyone's); me when the choice was wrong."""
        self.is_valid()
        who = self.cleaned_data.get("who", "me")
        if who == "all":
            return None
        return next((p for p in self.people if str(p.pk) == who), user)

    def horizon(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("days") or 7


class ScopeForm(forms.Form):
    """This week: my cases or everyone's."""

    scope = forms.ChoiceField(choices=[("mine", "My cases"), ("all", "Everyone's")], required=False)

    def mine(self) -> bool:
        return not (self.is_valid() and self.cleaned_data["scope"] == "all")


class DigestForm(forms.Form):
    daily = forms.BooleanField(label="E-mail me what is due every morning", required=False)
