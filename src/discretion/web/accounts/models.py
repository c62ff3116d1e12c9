"""Organisations, the people in them and what each may do.

A user belongs to exactly one organisation (one Membership). Every case belongs to one
organisation, and nobody sees another organisation's cases: views find cases only through
``cases.views._get_case_for_user``.
"""

from __future__ import annotations

import secrets

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
