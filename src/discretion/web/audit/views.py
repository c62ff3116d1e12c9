from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from discretion.web import access
from discretion.web.audit.models import Action, AuditEvent


@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    m = access.org_admin(request, why="Only organisation admins see the audit log")
    qs = AuditEvent.objects.filter(organisation=m.organisation)
    action = request.GET.get("action", "")
    if action in Action.values:
        qs = qs.filter(action=action)
    who = request.GET.get("who", "").strip()
    if who:
        qs = qs.filter(username__icontains=who)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"page": page, "actions": Action.choices, "action": action, "who": who, "query": query.urlencode()},
    )
