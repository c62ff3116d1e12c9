"""Write audit rows. Views call ``record(request, action, ...)``; it never raises on bad input."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from discretion.web.audit.models import AuditEvent


def record(
    request: HttpRequest | None,
    action: str,
    *,
    obj: Any = None,
    case: Any = None,
    summary: str = "",
    user: Any = None,
    organisation: Any = None,
) -> AuditEvent:
    user = user if user is not None else (getattr(request, "user", None) if request else None)
    if user is not None and not user.is_authenticated:
        user = None
    if organisation is None:
        if case is not None:
            organisation = case.organisation_id
        elif user is not None and hasattr(user, "membership"):
            organisation = user.membership.organisation_id
    org_id = organisation if isinstance(organisation, int) or organisation is None else organisation.pk
    return AuditEvent.objects.create(
        organisation_id=org_id,
        user=user,
        username=(user.get_username() if user is not None else "")[:150],
        action=action,
        case_id=case.pk if case is not None else None,
        object_type=type(obj).__name__ if obj is not None else ("Case" if case is not None else ""),
        object_id=str(getattr(obj, "code", None) or getattr(obj, "pk", "") or (case.code if case else ""))[
            :64
        ],
        summary=summary[:300],
        address=(request.META.get("REMOTE_ADDR") or None) if request else None,
    )
