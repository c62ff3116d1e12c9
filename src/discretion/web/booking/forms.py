"""Forms of the booking pages (the person's, translated) and of the practitioner's settings."""

from __future__ import annotations

import re
from datetime import date
from typing import cast
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from discretion.web.booking.models import Answer, ConsultationPage

YES_NO_UNKNOWN = [
    (Answer.YES.value, _("Yes")),
    (Answer.NO.value, _("No")),
    (Answer.UNKNOWN.value, _("I don't know")),
]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer."), "invalid_choice": _("Choose one answer.")},
    )


class HearingForm(forms.Form):
    hearing_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write the date like this: 2027-03-25.")},
    )

    def clean_hearing_on(self):
        value = self.cleaned_data["hearing_on"]
        if value is not None and not date(2000, 1, 1) <= value <= date(2100, 12, 31):
            raise ValidationError(_("Check the year of the date."))
        return value


class TimeForm(forms.Form):
    time = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a time."),
            "invalid_choice": _("That time is no longer free. Choose another."),
        },
    )

    def __init__(self, *args, times: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time"]).choices = times


PHONE = re.compile(r"^[+()0-9 .\-]{7,25}$")


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={"required": _("Write your name.")},
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        help_text=_("We call you at this number."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Write your phone number.")},
    )
    email = forms.EmailField(
        label=_("Your email (you can leave this empty)"),
        required=False,
        help_text=_("We send the time to this email."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Check the email. It looks like name@example.com.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_name(self):
        value = " ".join(self.cleaned_data["name"].split())
        if any(ord(c) < 32 for c in value):
            raise ValidationError(_("Write your name."))
        return value

    def clean_phone(self):
        value = " ".join(self.cleaned_data["phone"].split())
        if not PHONE.match(value) or sum(c.isdigit() for c in value) < 7:
            raise ValidationError(_("Check the phone number. Use numbers only, like 212 555 0100."))
        return value


# --- practitioner settings (English) ----------------------------------------------------------

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _five(value: int, field: str) -> None:
    if value % 5:
        raise ValidationError(f"{field}: use a multiple of 5 minutes.")


class AvailabilityForm(forms.Form):
    active = forms.BooleanField(label="Take bookings from the public page", required=False)
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="e.g. America/New_York",
        widget=forms.TextInput(attrs={"list": "us-zones", "autocomplete": "off"}),
    )
    length_minutes = forms.IntegerField(
        label="Length of a consultation (minutes)", min_value=15, max_value=180
    )
    buffer_minutes = forms.IntegerField(
        label="Buffer after each consultation (minutes)", min_value=0, max_value=120
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            for part in (1, 2):
                for edge in ("start", "end"):
                    self.fields[f"d{day}_{part}_{edge}"] = forms.TimeField(
                        label=f"{name}, hours {part}: {'from' if edge == 'start' else 'to'}",
                        required=False,
                        widget=forms.TimeInput(attrs={"type": "time", "step": 300}),
                    )

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value not in available_timezones():
            raise ValidationError("Time zone: use a name such as America/New_York or America/Los_Angeles.")
        ZoneInfo(value)
        return value

    def clean_length_minutes(self):
        value = self.cleaned_data["length_minutes"]
        _five(value, "Length")
        return value

    def clean_buffer_minutes(self):
        value = self.cleaned_data["buffer_minutes"]
        _five(value, "Buffer")
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        windows = []
        for day, name in enumerate(WEEKDAYS):
            spans = []
            for part in (1, 2):
                start, end = data.get(f"d{day}_{part}_start"), data.get(f"d{day}_{part}_end")
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    self.add_error(f"d{day}_{part}_start", f"{name}: give both the start and the end.")
                    continue
                if end <= start:
                    self.add_error(f"d{day}_{part}_end", f"{name}: the end must be after the start.")
                    continue
                if start.minute % 5 or end.minute % 5 or start.second or end.second:
                    self.add_error(f"d{day}_{part}_start", f"{name}: use times on a 5-minute mark.")
                    continue
                spans.append((start, end))
            spans.sort()
            if len(spans) == 2 and spans[1][0] < spans[0][1]:
                self.add_error(f"d{day}_2_start", f"{name}: the two windows overlap.")
            windows += [(day, s, e) for s, e in spans]
        data["windows"] = windows
        return data


class BlackoutForm(forms.Form):
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="To (included)", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note (only you see it)", max_length=100, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "To: the last day must be on or after the first.")
        return data


class PageForm(forms.ModelForm):
    class Meta:
        model = ConsultationPage
        fields = ["published", "slug", "phone", "reply_to", "days_ahead", "min_notice_hours"]
        labels = {
            "published": "Published (people can book)",
            "slug": "Page address",
            "phone": "Phone number shown to people",
            "reply_to": "Reply-to e-mail for confirmations",
            "days_ahead": "Offer times up to this many days ahead",
            "min_notice_hours": "Earliest booking: hours from now",
        }

    def clean_days_ahead(self):
        value = self.cleaned_data["days_ahead"]
        if not 1 <= value <= 120:
            raise ValidationError("Days ahead: between 1 and 120.")
        return value

    def clean_min_notice_hours(self):
        value = self.cleaned_data["min_notice_hours"]
        if value > 24 * 14:
            raise ValidationError("Earliest booking: at most 336 hours (two weeks).")
        return value
