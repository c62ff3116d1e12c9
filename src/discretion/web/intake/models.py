"""Invitations to give facts and documents, and what the person sends back: a proposal.

An ``Invitation`` belongs to a case. Its link holds a random token; only the token's sha256 is
stored, so the database alone never yields a working link (a lost link is replaced, which
stops the old one). Each answer the person gives is one ``ProposedAnswer`` row, saved when the
page is submitted; files are ``ProposedFile`` rows over a stored file. Nothing here touches the
case's facts: a practitioner reviews the proposal and accepts what is right
(``intake.actions.accept``), which then saves through the cases app like any other edit.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.timezone import now


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationStatus(models.TextChoices):
    OPEN = "open", "Waiting for the person"
    SENT = "sent", "Sent by the person: to review"
    RETURNED = "returned", "Returned to the person"
    REVIEWED = "reviewed", "Reviewed"


class Invitation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.OPEN)
    email = models.EmailField(blank=True, help_text="Where the link was e-mailed, if it was.")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.case} ({self.get_status_display()})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= now()

    @property
    def is_usable(self) -> bool:
        """The link opens (it may still only show a thank-you or the summary)."""
        return not self.is_revoked and not self.is_expired

    @property
    def person_can_edit(self) -> bool:
        return self.is_usable and self.status in (InvitationStatus.OPEN, InvitationStatus.RETURNED)


class Decision(models.TextChoices):
    PENDING = "pending", "Not reviewed"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned to the person"


class ProposedAnswer(models.Model):
    """The person's answer to one question: a fact path and its value, or "I don't know".

    For a list (family, criminal history...) the value is the list of entries the person added;
    ``complete`` is False until they said there are no more.
    """

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="answers")
    path = models.CharField(max_length=200)
    value = models.JSONField(null=True, blank=True)
    dont_know = models.BooleanField(default=False)
    complete = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)  # the order they were asked in
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    updated = models.DateTimeField(default=now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["invitation", "path"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.path} = {'(does not know)' if self.dont_know else self.value!r}"

    @property
    def answered(self) -> bool:
        return self.dont_know or (self.complete and self.value is not None)

    def as_fact(self) -> Any:
        return None if self.dont_know else self.value


class ProposedFile(models.Model):
    """A photo or file the person sent for one checklist item."""

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="files")
    file = models.ForeignKey("files.StoredFile", models.CASCADE, related_name="+")
    item_id = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.file} for {self.item_id}"


class SummaryRelease(models.Model):
    """A plain-language summary made on the documents tab, shown to the person through their link.

    The summaries themselves are the documents tab's (``GeneratedDocument`` of kind
    ``summary_pdf``, one per language); a release is the practitioner's choice to let the person
    open one.
    """

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="releases")
    document = models.ForeignKey("documents.GeneratedDocument", models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    released_at = models.DateTimeField(default=now)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-released_at", "-id"]

    def __str__(self) -> str:
        return f"Summary ({self.language}) released to {self.invitation}"
