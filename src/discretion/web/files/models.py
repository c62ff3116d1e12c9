"""Uploaded and generated files. Their bytes live in Django's default storage (files.blobs: the
data folder, or an S3-compatible bucket), never under a static URL, and are served only by
``files.views.download`` after checking the user's organisation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now

from discretion.web.sealed import SealedTextField


class Kind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    RESPONSE = "response", "OPLA response"
    GENERATED = "generated", "Generated document"
    OTHER = "other", "Other"


class Conversion(models.TextChoices):
    NONE = "", "Not converted"
    CONVERTING = "converting", "Being converted to PDF"
    CONVERTED = "converted", "Converted to PDF"
    FAILED = "failed", "Could not be converted to PDF"


# Degrees clockwise a practitioner may turn an exhibit's pages, as the exhibit list words them.
ROTATIONS = [(0, "As scanned"), (90, "Turn right"), (180, "Upside down"), (270, "Turn left")]


class StoredFile(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.EVIDENCE)
    original_name = SealedTextField()  # at most 255 characters
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300)  # the name in the default storage (files.blobs)
    description = SealedTextField(blank=True)  # at most 300 characters
    proves = models.JSONField(default=list, blank=True)  # checklist item ids this file answers
    language = models.CharField(max_length=8, default="en")
    position = models.PositiveIntegerField(default=0)  # exhibit order
    # Degrees clockwise the practitioner turned the exhibit's pages (a sideways scan).
    rotation = models.PositiveSmallIntegerField(
        default=0, choices=ROTATIONS
    )
    translation_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text="This file is the certified English translation of that exhibit.",
    )
    # A Word or OpenDocument upload is converted to PDF off the request thread (files.tasks):
    # "converting" until then, "converted" once its PDF (converted_from = this) is the exhibit,
    # "failed" with the reason. Only a file with no conversion pending or failed is an exhibit.
    conversion = models.CharField(max_length=10, choices=Conversion.choices, blank=True, default="")
    conversion_error = models.TextField(blank=True)
    converted_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="conversions"
    )
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["position", "created"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def stored_name(self) -> str:
        """The file's base name in storage (uuid.ext): how preflight messages name it."""
        return self.path.rsplit("/", 1)[-1]

    def chunks(self):
        """The clear bytes, a chunk at a time (files.blobs opens sealed files)."""
        from discretion.web.files import blobs

        return blobs.chunks(self.path)

    def read(self) -> bytes:
        from discretion.web.files import blobs

        return blobs.read(self.path)

    def delete_blob(self) -> None:
        from discretion.web.files import blobs

        blobs.delete(self.path)
