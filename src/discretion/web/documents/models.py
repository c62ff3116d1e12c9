"""Generated letters and packets: snapshots that later edits never change.

A GeneratedDocument records the screening snapshot, case version and facts digest it was made
from, and points at the stored bytes. Packets are built in the background (documents.tasks);
their status moves queued -> running -> done | failed, and then never changes again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class DocKind(models.TextChoices):
    LETTER_DOCX = "letter_docx", "Request letter (Word)"
    LETTER_PDF = "letter_pdf", "Request letter (PDF)"
    PACKET = "packet", "Filing packet (PDF)"


class DocStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Building"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class GeneratedDocument(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=DocKind.choices)
    status = models.CharField(max_length=8, choices=DocStatus.choices, default=DocStatus.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    screening = models.ForeignKey("cases.ScreeningRecord", models.PROTECT, related_name="+")
    case_version = models.PositiveIntegerField()
    facts_digest = models.CharField(max_length=64)
    policy_id = models.CharField(max_length=100)
    policy_sha256 = models.CharField(max_length=64)
    file = models.ForeignKey("files.StoredFile", models.PROTECT, null=True, blank=True, related_name="+")
    exhibits = models.JSONField(
        default=list, blank=True
    )  # the exhibit list as used: tab, description, file code
    warnings = models.JSONField(default=list, blank=True)
    preflight = models.JSONField(default=list, blank=True)  # [{severity, subject, message}]
    error = models.TextField(blank=True)
    created = models.DateTimeField(default=now)
    finished = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (DocStatus.QUEUED, DocStatus.RUNNING)
