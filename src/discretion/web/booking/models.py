"""Consultations a person books from an organisation's public page.

A practitioner's ``Availability`` says when they take consultations (weekly hours in their own
time zone, the length of one consultation, a buffer after it, blackout dates). A ``Booking``
takes a time; the 5-minute blocks it occupies, buffer included, are ``SlotHold`` rows with a
unique constraint per practitioner, so the database itself refuses a second booking of any
part of the same time, however the two requests race (tests/web/test_booking_race.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.timezone import now

TICK = timedelta(minutes=5)  # the grain of holds; lengths, buffers and hours are multiples of it


class ConsultationPage(models.Model):
    """An organisation's public booking page: /book/<slug>/, no login."""

    organisation = models.OneToOneField(
        "accounts.Organisation", models.CASCADE, related_name="consultation_page"
    )
    slug = models.SlugField(unique=True, help_text="The page's address: /book/<slug>/")
    published = models.BooleanField(default=False, help_text="Off: the address shows “not taking bookings”.")
    phone = models.CharField(
        max_length=40, blank=True, help_text="Shown to the person, e.g. for urgent calls."
    )
    reply_to = models.EmailField(blank=True, help_text="Where replies to the confirmation e-mail go.")
    days_ahead = models.PositiveSmallIntegerField(default=21)
    min_notice_hours = models.PositiveSmallIntegerField(default=12)
    created = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Consultation page of {self.organisation}"


class Availability(models.Model):
    """When one practitioner takes consultations."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="availability")
    organisation = models.ForeignKey("accounts.Organisation", models.CASCADE, related_name="+")
    time_zone = models.CharField(max_length=64, default="America/New_York")
    length_minutes = models.PositiveSmallIntegerField(default=45)
    buffer_minutes = models.PositiveSmallIntegerField(default=15)
    active = models.BooleanField(default=True, help_text="Takes new bookings.")
    updated = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Availability of {self.user}"

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.length_minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)


class WeeklyHours(models.Model):
    """One window of a weekday, in the availability's time zone (0 = Monday)."""

    availability = models.ForeignKey(Availability, models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField()
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="hours_end_after_start"
            ),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start}-{self.end}"


class Blackout(models.Model):
    """Days without consultations (holidays, leave), both ends included."""

    availability = models.ForeignKey(Availability, models.CASCADE, related_name="blackouts")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="blackout_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Does not know"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", models.CASCADE, related_name="bookings")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="consultations")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    # What the person told us: safety first, then how to reach them.
    in_court = models.CharField("has a case in immigration court", max_length=8, choices=Answer.choices)
    detained = models.CharField("is detained", max_length=8, choices=Answer.choices)
    hearing_on = models.DateField("next court date", null=True, blank=True)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=40)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="en")
    link_base = models.CharField(max_length=200, blank=True)  # the site address the person used
    created = models.DateTimeField(default=now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_person = models.BooleanField(default=False)
    moves = models.PositiveSmallIntegerField(default=0)
    reminders_sent = models.JSONField(default=list, blank=True)  # ISO times of the starts they were sent for

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organisation", "status", "starts_at"], name="booking_org_upcoming")]

    def __str__(self) -> str:
        return f"Consultation {self.starts_at:%Y-%m-%d %H:%M} with {self.practitioner}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= now()

    def local_start(self) -> datetime:
        from zoneinfo import ZoneInfo

        return self.starts_at.astimezone(ZoneInfo(self.time_zone))


class SlotHold(models.Model):
    """One 5-minute block of a practitioner's time taken by a booking (its buffer included)."""

    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    tick = models.DateTimeField()
    booking = models.ForeignKey(Booking, models.CASCADE, related_name="holds")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practitioner", "tick"], name="one_booking_per_slot")]

    def __str__(self) -> str:
        return f"{self.practitioner} {self.tick:%Y-%m-%d %H:%M}"
