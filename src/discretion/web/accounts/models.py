"""Organisations, the people in them and what each may do.

A user belongs to exactly one organisation (one Membership). Every case belongs to one
organisation, and nobody sees another organisation's cases: views find cases only through
``cases.views._get_case_for_user``.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    created = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ATTORNEY = "attorney", "Attorney"
    ACCREDITED = "accredited", "Accredited representative"
    STAFF = "staff", "Staff"  # paralegals, legal assistants: prepare, do not sign
    READ_ONLY = "read_only", "Read-only"


# Roles that sign and send requests; staff prepare them; read-only members only look.
REPRESENTATIVE_ROLES = (Role.ATTORNEY, Role.ACCREDITED)


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STAFF)
    is_org_admin = models.BooleanField(
        "organisation admin", default=False, help_text="Sees the audit log and manages people."
    )
    is_demo = models.BooleanField(default=False, help_text="Created by `discretion serve --demo`.")
    created = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    @property
    def can_edit(self) -> bool:
        return self.role != Role.READ_ONLY

    @property
    def is_representative(self) -> bool:
        return self.role in REPRESENTATIVE_ROLES


def _token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar feed URL. Revoking replaces the token, so old URLs stop working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def rotate(self) -> None:
        self.token = _token()
        self.created = now()
        self.save(update_fields=["token", "created"])


class LoginFailure(models.Model):
    """One failed login, kept for the throttle window (accounts/throttle.py)."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    created = models.DateTimeField(default=now)

    class Meta:
        # Used by throttle.is_locked: failures for one username, or one address, since a time.
        indexes = [models.Index(fields=["username", "created"]), models.Index(fields=["address", "created"])]

    def __str__(self) -> str:
        return f"Failed login for {self.username}"


class MemberInvitation(models.Model):
    """An e-mailed invitation to join an organisation with a role; the link's token is kept hashed.

    It is used once: accepting it creates the person's login and membership. An admin can send it
    again (a new link; the old one stops working) or withdraw it.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="invitations")
    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STAFF)
    is_org_admin = models.BooleanField("organisation admin", default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=now)
    sent = models.DateTimeField(default=now)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent", "-id"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted is None and self.withdrawn is None and self.expires > now()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
