from __future__ import annotations

from django.contrib import admin

from discretion.web.audit.models import AuditEvent
from discretion.web.lib.admin import is_org_admin


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created", "username", "action", "object_type", "object_id", "summary")
    list_filter = ("action",)
    search_fields = ("username", "summary", "object_id")
    date_hierarchy = "created"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not is_org_admin(request):
            return qs.none()
        return qs.filter(organisation_id=request.user.membership.organisation_id)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or is_org_admin(request)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)
