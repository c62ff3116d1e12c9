from __future__ import annotations

from django.contrib import admin

from discretion.web.accounts.models import Membership, Organisation
from discretion.web.lib.admin import OrganisationScopedAdmin


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    org_field = "pk"
    list_display = ("name", "slug", "created")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    org_admin_can_change = True  # roles and the admin flag, within their own organisation
    list_display = ("user", "organisation", "role", "is_org_admin", "is_demo")
    list_filter = ("role", "is_org_admin")
    search_fields = ("user__username", "user__email")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("is_demo",)
        return ("user", "organisation", "is_demo", "created")
