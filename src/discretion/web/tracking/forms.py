from __future__ import annotations

from django import forms

from discretion.web.cases.models import ACTION_CHOICES
from discretion.web.files.store import ACCEPT
from discretion.web.tracking.models import Channel, Outcome, RequestStatus


class PDRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Action requested", choices=ACTION_CHOICES)
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
