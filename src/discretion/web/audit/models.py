"""An append-only log of who viewed, changed, generated or downloaded what.

Rows can be added, never changed or removed through the ORM: ``save()`` refuses an update,
``delete()`` refuses, and the queryset's ``update()``/``delete()`` refuse. Migrations add
database triggers that refuse UPDATE and DELETE (SQLite and PostgreSQL), INSERT OR REPLACE over
an existing row (SQLite) and TRUNCATE (PostgreSQL); in production the app's PostgreSQL role has
no right to change or empty the table at all (docs/web.md). Every row is a link of a hash chain
(audit/chain.py) that ``discretion audit verify`` checks.

References to the organisation, the user and the case are plain ids with no database
constraint, so deleting a user or a case can never cascade into the log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit rows are appended one at a time, each a link of the chain")

    def for_organisation(self, organisation) -> AuditQuerySet:
        return self.filter(organisation=organisation)


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    SCREEN = "screen", "Screened"
    GENERATE = "generate", "Generated"
    UPLOAD = "upload", "Uploaded"
    DOWNLOAD = "download", "Downloaded"
    DELETE = "delete", "Deleted"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Login failed"
    LOGOUT = "logout", "Logged out"
    EXPORT = "export", "Exported"


class AuditEvent(models.Model):
    created = models.DateTimeField(default=now, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)  # kept if the user is later renamed
    action = models.CharField(max_length=16, choices=Action.choices)
    case = models.ForeignKey(
        "cases.Case", models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True)
    # sha256 of the previous row's chain and this row's fields (audit/chain.py).
    chain = models.CharField(max_length=64, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        # The admin's audit page: one organisation's events, newest first.
        indexes = [
            models.Index(fields=["organisation", "-created"]),
            models.Index(fields=["case", "-created"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.summary}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("the audit log is append-only")
        if not self.chain:  # a new row is always a link of the chain
            from discretion.web.audit.chain import append

            append(self)
            return
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):
        raise AppendOnlyError("the audit log is append-only")
