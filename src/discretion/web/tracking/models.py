"""PD requests and their timelines (the healthchecks Flip pattern).

A PDRequest's status only changes through ``set_status()``, which writes a RequestEvent row and
the new status in one transaction; the timeline and the follow-up reports read the events.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.utils.timezone import localdate, now

from discretion.web.cases.models import ACTION_CHOICES
from discretion.web.tracking import defaults

# What a PD request can ask OPLA for: every requested action but "none: not in proceedings",
# which is the case's way of saying there is nothing to ask for.
REQUEST_CHOICES = [c for c in ACTION_CHOICES if c[0] != "none_not_in_proceedings"]


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    ESERVICE = "eservice", "OPLA eService (ECAS/PLAnet)"
    IN_PERSON = "in_person", "In person"
    MAIL = "mail", "Mail"
    OTHER = "other", "Other"


class RequestStatus(models.TextChoices):
    DRAFTED = "drafted", "Drafted"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    GRANTED = "granted", "Granted"
    PARTIALLY_GRANTED = "partially_granted", "Partially granted"
    DENIED = "denied", "Denied"
    NO_RESPONSE = "no_response", "No response"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Sent and not yet answered: these get follow-up reminders.
AWAITING = (RequestStatus.SENT, RequestStatus.ACKNOWLEDGED)
DECIDED = (RequestStatus.GRANTED, RequestStatus.PARTIALLY_GRANTED, RequestStatus.DENIED)


class Outcome(models.TextChoices):
    NONE = "", "(none yet)"
    DISMISSAL = "dismissal", "Dismissal"
    ADMINISTRATIVE_CLOSURE = "administrative_closure", "Administrative closure"
    CONTINUANCE = "continuance", "Continuance"
    STIPULATION = "stipulation", "Stipulation"
    JOINT_MOTION = "joint_motion", "Joint motion"
    NTA_CANCELLED = "nta_cancelled", "NTA cancelled"
    NO_APPEAL = "no_appeal", "OPLA did not appeal"
    BOND = "bond", "Bond stipulation"
    OTHER = "other", "Other"


class PDRequest(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="pd_requests")
    kind = models.CharField("action requested", max_length=40, choices=REQUEST_CHOICES)
    office = models.CharField("OPLA field location", max_length=120, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    sent_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFTED)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True, default="")
    follow_up_on = models.DateField(
        null=True, blank=True, help_text="Leave empty for the default (30 days after sending)."
    )
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created"]
        # The dashboard: open requests across an organisation's cases by status.
        indexes = [models.Index(fields=["status", "sent_on"], name="pdrequest_status_sent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_awaiting(self) -> bool:
        return self.status in AWAITING

    def follow_up_due(self) -> date | None:
        """When to chase OPLA: the date set by hand, else the practice default after sending."""
        if not self.is_awaiting:
            return None
        if self.follow_up_on:
            return self.follow_up_on
        return self.sent_on + defaults.FOLLOW_UP_AFTER_SENDING if self.sent_on else None

    def drafted_on(self) -> date | None:
        """The date of the timeline's "Drafted" event: nothing can happen to a request before it."""
        first = self.events.filter(new_status=RequestStatus.DRAFTED).order_by("on", "created", "id").first()
        return first.on if first else None

    def hearing_follow_up_due(self, hearing_on: date | None) -> date | None:
        """When to chase an open request before the hearing: 14 days before it (practice
        default), but never before the request was sent, so a request sent close to the hearing
        is not overdue the day it goes out. Never after the hearing itself."""
        if not self.is_awaiting or hearing_on is None:
            return None
        due = hearing_on - defaults.FOLLOW_UP_BEFORE_HEARING
        if self.sent_on:
            due = min(max(due, self.sent_on), hearing_on)
        return due

    def set_status(
        self, new: str, *, by, on: date | None = None, note: str = "", attachment=None
    ) -> RequestEvent:
        """Change the status and write the event row, in one transaction."""
        on = on or localdate()
        with transaction.atomic():
            locked = PDRequest.objects.select_for_update().get(pk=self.pk)
            event = RequestEvent.objects.create(
                request=locked,
                on=on,
                by=by,
                old_status=locked.status,
                new_status=new,
                note=note,
                attachment=attachment,
            )
            fields = ["status"]
            locked.status = new
            if new == RequestStatus.SENT and not locked.sent_on:
                locked.sent_on = on
                fields.append("sent_on")
            locked.save(update_fields=fields)
        self.status, self.sent_on = locked.status, locked.sent_on
        return event


class RequestEvent(models.Model):
    request = models.ForeignKey(PDRequest, models.CASCADE, related_name="events")
    created = models.DateTimeField(default=now)
    on = models.DateField("date", default=localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    old_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    note = models.TextField(blank=True)
    attachment = models.ForeignKey(
        "files.StoredFile", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "created", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.old_status} -> {self.new_status}"


class Task(models.Model):
    """Something a person must do on a case by a date ("call the client about the lease")."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    due_on = models.DateField("due", null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["done", models.F("due_on").asc(nulls_last=True), "created", "id"]
        indexes = [
            # What is due and the digest: a person's open tasks by date.
            models.Index(fields=["assigned_to", "done", "due_on"], name="task_assignee_open_due"),
            # The case page: one case's tasks.
            models.Index(fields=["case", "done"], name="task_case_done"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee_name(self) -> str:
        u = self.assigned_to
        return (u.get_full_name() or u.get_username()) if u is not None else ""


class DigestPreference(models.Model):
    """A member's choice about the daily e-mail of what is due (sent unless they switch it off)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="digest_preference")
    daily = models.BooleanField("e-mail me what is due every morning", default=True)
    changed = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Digest for {self.user}: {'on' if self.daily else 'off'}"


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class DigestDelivery(models.Model):
    """One person's digest for one day. The row is claimed (unique per person and day) before
    the e-mail goes out, so two workers running the digest at once cannot both send it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    on = models.DateField()
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING)
    items = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=now)
    sent = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.on}: {self.status}"


class ScheduledRun(models.Model):
    """The next enqueued run of a recurring background job (the daily digest): at most one is
    waiting at a time, whoever enqueues it (tracking/schedule.py)."""

    name = models.CharField(max_length=40, unique=True)
    task_id = models.CharField(max_length=64, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    last_started = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} after {self.run_after}"
