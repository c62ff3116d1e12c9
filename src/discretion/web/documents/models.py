"""Generated letters and packets, and who signs them.

A GeneratedDocument records the screening snapshot, case version and facts digest it was made
from, and points at the stored bytes. Packets are built in the background (documents.tasks);
their status moves queued -> running -> done | failed, and then never changes again.

A SignerProfile holds what the signature block needs from the person who signs (bar number and
state, EOIR ID, direct telephone and e-mail), entered once; an organisation's Letterhead holds
the firm's name, address and main telephone. Together they are the letter's representative
block, so a letter made in the web app never depends on each case file repeating them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class DocKind(models.TextChoices):
    LETTER_DOCX = "letter_docx", "Request letter (Word)"
    LETTER_PDF = "letter_pdf", "Request letter (PDF)"
    DRAFT_DOCX = "draft_docx", "Marked-up draft for editing (Word)"
    REVIEW_PDF = "review_pdf", "Review sheet: check before sending (PDF)"
    REVIEW_MD = "review_md", "Review sheet (Markdown)"
    TRANSMITTAL = "transmittal", "Transmittal e-mail (.eml)"
    SUMMARY_PDF = "summary_pdf", "Summary for the client (PDF)"
    SUMMARY_DOCX = "summary_docx", "Summary for the client (Word)"
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
    # How the letter was made: the signer, a verified channel, a HIGH-risk override
    # ({by, on, reason, risks}), the summary's language. A packet's worker reads them too.
    options = models.JSONField(default=dict, blank=True)
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


class SignerKind(models.TextChoices):
    ATTORNEY = "attorney", "Attorney"
    ACCREDITED = "accredited_representative", "Accredited representative"
    LAW_STUDENT = "law_student", "Law student (supervised)"


class SignerProfile(models.Model):
    """What the signature block needs from the person who signs, entered once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="signer_profile")
    name = models.CharField("Name as signed", max_length=200)
    kind = models.CharField(max_length=30, choices=SignerKind.choices, default=SignerKind.ATTORNEY)
    bar_number = models.CharField(max_length=40, blank=True)
    bar_state = models.CharField("Bar state", max_length=40, blank=True, help_text="e.g. New York")
    eoir_id = models.CharField("EOIR ID", max_length=20, blank=True, help_text="From EOIR's eRegistry")
    phone = models.CharField("Direct telephone", max_length=40, blank=True)
    email = models.EmailField("E-mail", blank=True)
    updated = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Signer profile of {self.name}"


class Letterhead(models.Model):
    """The organisation's name and address as its letters print them."""

    organisation = models.OneToOneField("accounts.Organisation", models.CASCADE, related_name="letterhead")
    name = models.CharField("Firm or organization", max_length=200)
    address = models.CharField(max_length=300, help_text="One line: street, suite, city, state ZIP")
    phone = models.CharField("Main telephone", max_length=40, blank=True)
    email = models.EmailField("General e-mail", blank=True)
    updated = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.name


class LetterVersion(models.Model):
    """The practitioner's edits of a case's request letter, saved as numbered versions.

    A version holds only the edits (discretion.letters.edits.Edit as data) and the snapshot it
    was made against; the letter itself is generated again from the facts each time, and the
    edits applied on top, so a version made last month still follows a factor to its place and
    the review sheet says which edits the facts have moved under. Number 0 is the generated
    letter and is never stored. The (case, number) constraint makes two saves from the same
    page a conflict, never a lost edit."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="letter_versions")
    number = models.PositiveIntegerField()
    edits = models.JSONField(default=list, blank=True)  # [Edit.to_dict()]
    note = models.CharField(max_length=200, blank=True)
    screening = models.ForeignKey("cases.ScreeningRecord", models.PROTECT, related_name="+")
    case_version = models.PositiveIntegerField()
    facts_digest = models.CharField(max_length=64)
    policy_id = models.CharField(max_length=100)
    policy_sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_letter_version_number")]

    def __str__(self) -> str:
        return f"Letter version {self.number} of {self.case}"
