"""Django admin for organisation admins: their own organisation's rows only, no escalation.

An organisation admin (Membership.is_org_admin, with is_staff) gets the back office without
Django model permissions: these checks replace them. Superusers see everything.
"""

from __future__ import annotations

from django.contrib import admin


def is_org_admin(request) -> bool:
    m = getattr(request.user, "membership", None)
    return bool(request.user.is_active and request.user.is_staff and m is not None and m.is_org_admin)


class OrganisationScopedAdmin(admin.ModelAdmin):
    org_field = "organisation_id"
    org_admin_can_change = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not is_org_admin(request):
            return qs.none()
        return qs.filter(**{self.org_field: request.user.membership.organisation_id})

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or is_org_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or (self.org_admin_can_change and is_org_admin(request))

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
