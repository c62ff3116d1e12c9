"""Cases, their fact revisions and their screening snapshots.

A case keeps its facts as the JSON of ``discretion.facts.CaseFacts``. The columns the case list
searches, filters and sorts on (name, A-number, court, next hearing) are copied out of that JSON
on every save (``Case.apply_facts``), so a list of 10,000 cases never parses JSON.

``version`` goes up by one on every change of the facts; a save names the version it started
from and fails if someone else saved first (``cases.actions.save_facts``).
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.timezone import now

from discretion.facts import CaseFacts, RequestedAction
from discretion.web.sealed import SealedJSONField, SealedTextField


def search_key(text: str | None) -> str:
    """Lower case without accents, so 'lopez' finds 'López'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def a_number_key(text: str | None) -> str:
    digits = "".join(c for c in (text or "") if c.isdigit())
    return digits.rjust(9, "0") if len(digits) == 8 else digits


# With encryption at rest the case list cannot read names or A-numbers: it matches keyed hashes
# (files.sealing.search_digest) of every word prefix of the name key and every leading run of 3
# or more A-number digits, stored space-separated. What this reveals to someone with the
# database alone: how many words and letters a name has, and which cases share a prefix.
NAME_PREFIX_MIN = 2
A_NUMBER_PREFIX_MIN = 3


def name_search_words(text: str) -> list[str]:
    return [w for w in search_key(text).replace("-", " ").replace(",", " ").split() if w]


def name_tokens(name: str | None) -> str:
    from discretion.web.files import sealing

    digests = {
        sealing.search_digest(word[:n], purpose="case name")
        for word in name_search_words(name or "")
        for n in range(NAME_PREFIX_MIN, min(len(word), 24) + 1)
    }
    return f" {' '.join(sorted(digests))} " if digests else ""


def a_number_tokens(a_number: str | None) -> str:
    from discretion.web.files import sealing

    digits = a_number_key(a_number)
    digests = [
        sealing.search_digest(digits[:n], purpose="a-number")
        for n in range(A_NUMBER_PREFIX_MIN, len(digits) + 1)
    ]
    return f" {' '.join(digests)} " if digests else ""


class Status(models.TextChoices):
    INTAKE = "intake", "Intake"
    PREPARING = "preparing", "Preparing request"
    SUBMITTED = "submitted", "Request submitted"
    DECIDED = "decided", "Decision received"
    CLOSED = "closed", "Closed"


class ClosingReason(models.TextChoices):
    """Why a case was closed: the practice's own reasons, for the record and the case list."""

    PD_GRANTED = "pd_granted", "PD granted: proceedings dismissed or closed"
    RELIEF_GRANTED = "relief_granted", "Other relief granted"
    REPRESENTATION_ENDED = "representation_ended", "Representation ended"
    TRANSFERRED = "transferred", "Transferred to other counsel"
    REMOVED = "removed", "Client removed or departed"
    OTHER = "other", "Other (say why)"


ACTION_CHOICES = [(a.value, a.value.replace("_", " ").capitalize()) for a in RequestedAction]


class CaseQuerySet(models.QuerySet):
    def for_user(self, user) -> CaseQuerySet:
        """Only the cases of the user's organisation: the one door to case data."""
        membership = getattr(user, "membership", None)
        if membership is None:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def with_a_number(self, a_number: str) -> CaseQuerySet:
        """Cases with exactly this A-number (by its keyed hash when encryption is on)."""
        from discretion.web.files import sealing

        digits = a_number_key(a_number)
        if sealing.enabled():
            return self.filter(
                a_number_key__contains=f" {sealing.search_digest(digits, purpose='a-number')} "
            )
        return self.filter(a_number=digits)


class Case(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", models.CASCADE, related_name="cases")
    facts = SealedJSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INTAKE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    # Copied from `facts` by apply_facts(): what the case list reads.
    reference = models.CharField(max_length=100, blank=True)
    name = SealedTextField(blank=True)  # at most 200 characters (apply_facts)
    # The normalised name, or with encryption on the keyed hashes of its word prefixes.
    name_key = models.TextField(blank=True)
    a_number = SealedTextField(blank=True)  # nine digits
    a_number_key = models.TextField(blank=True)  # with encryption on: keyed hashes of its prefixes
    court = models.CharField(max_length=120, blank=True)
    next_hearing_on = models.DateField(null=True, blank=True)
    requested_action = models.CharField(max_length=40, choices=ACTION_CHOICES, blank=True)
    detained = models.BooleanField(null=True)
    # Copied from the latest screening snapshot by cases.actions.screen_case: what the list flags.
    priority_met = models.BooleanField(null=True)
    high_risks = models.PositiveSmallIntegerField(default=0)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated"]
        # Each index serves one case-list filter or sort, always within one organisation.
        indexes = [
            # The default sort ("-updated", "-id"): the id breaks ties so pages are stable.
            models.Index(fields=["organisation", "-updated", "-id"], name="case_org_updated_id"),
            models.Index(fields=["organisation", "name_key"], name="case_org_name"),
            models.Index(fields=["organisation", "a_number"], name="case_org_anumber"),
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            models.Index(fields=["organisation", "court"], name="case_org_court"),
            models.Index(fields=["organisation", "next_hearing_on"], name="case_org_hearing"),
            models.Index(fields=["organisation", "assigned_to"], name="case_org_assignee"),
        ]

    def __str__(self) -> str:
        return self.name or self.reference or f"Case {str(self.code)[:8]}"

    @property
    def display_name(self) -> str:
        return self.name or "(name not entered)"

    @property
    def assignee_name(self) -> str:
        u = self.assigned_to
        return (u.get_full_name() or u.get_username()) if u is not None else ""

    @property
    def a_number_display(self) -> str:
        a = self.a_number
        return f"{a[0:3]}-{a[3:6]}-{a[6:9]}" if len(a) == 9 else a

    def to_facts(self) -> CaseFacts:
        from discretion.casefile import parse_facts

        return parse_facts(self.facts or {}, where="case facts")

    def apply_facts(self, facts: CaseFacts) -> None:
        """Store the facts and copy the list columns out of them."""
        self.facts = dump_facts(facts)
        ident, proc = facts.identity, facts.proceedings
        self.reference = (facts.case_id or "")[:100]
        self.name = (ident.name or "")[:200]
        from discretion.web.files import sealing

        if sealing.enabled():
            self.name_key = name_tokens(ident.name)
            self.a_number_key = a_number_tokens(ident.a_number)
        else:
            self.name_key = search_key(ident.name)[:200]
            self.a_number_key = ""
        self.a_number = ident.a_number or ""
        self.court = (proc.court or "")[:120]
        self.next_hearing_on = proc.next_hearing.date if proc.next_hearing else None
        self.requested_action = facts.requested_action.value if facts.requested_action else ""
        self.detained = proc.detained

    def hearing_in_days(self, on: date) -> int | None:
        return (self.next_hearing_on - on).days if self.next_hearing_on else None

    def latest_screening(self) -> ScreeningRecord | None:
        return self.screenings.order_by("-created", "-id").first()

    def set_status(self, new: str, *, by, reason: str) -> StatusChange | None:
        """Move the case to ``new`` and write the StatusChange row, in one transaction (the
        healthchecks Flip pattern, as PDRequest.set_status). Nothing happens if the status is
        already ``new``. Called by cases.actions and tracking.actions, never by views."""
        with transaction.atomic():
            locked = Case.objects.select_for_update().only("status").get(pk=self.pk)
            if locked.status == new:
                self.status = new
                return None
            change = StatusChange.objects.create(
                case_id=self.pk, by=by, old_status=locked.status, new_status=new, reason=reason[:300]
            )
            Case.objects.filter(pk=self.pk).update(status=new)
        self.status = new
        return change


def dump_facts(facts: CaseFacts) -> dict[str, Any]:
    return facts.model_dump(mode="json", exclude_none=True)


class ImmutableError(Exception):
    pass


class CaseRevision(models.Model):
    """The facts as saved at one version: shows what changed when two people edit at once."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    facts = SealedJSONField(default=dict)
    section = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="revision_case_version")]
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.case} v{self.version}"


class ScreeningRecord(models.Model):
    """An immutable snapshot of one screening: what the core said, on which facts and policy."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="screenings")
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    on = models.DateField("as of")
    policy_id = models.CharField(max_length=100)
    policy_sha256 = models.CharField(max_length=64)
    facts_digest = models.CharField(max_length=64)
    case_version = models.PositiveIntegerField()
    summary = SealedTextField(blank=True)
    result = SealedJSONField()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["case", "-created"], name="screening_case_created")]

    def __str__(self) -> str:
        return f"{self.case} screened {self.on} under {self.policy_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("a screening snapshot never changes; make a new one")
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """One move of a case's status, with who made it and why ("PD request sent", "Closed: ...")."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="status_changes")
    created = models.DateTimeField(default=now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    old_status = models.CharField(max_length=12, choices=Status.choices)
    new_status = models.CharField(max_length=12, choices=Status.choices)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.old_status} -> {self.new_status}"


class CaseNote(models.Model):
    """A practitioner's note on a case: what was said on a call, what to remember."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="notes")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        # The case page: one case's notes, newest first.
        indexes = [models.Index(fields=["case", "-created"], name="note_case_created")]

    def __str__(self) -> str:
        return f"Note on {self.case} by {self.author_name}"

    @property
    def author_name(self) -> str:
        u = self.author
        return (u.get_full_name() or u.get_username()) if u is not None else "(a former member)"
