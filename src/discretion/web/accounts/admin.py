from __future__ import annotations

from django.contrib import admin

from discretion.web.accounts.models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "is_org_admin", "is_demo")
    list_filter = ("role", "is_org_admin")
    search_fields = ("user__username", "user__email")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user", "organisation")
        if request.user.is_superuser:
            return qs
        return qs.filter(organisation_id=request.user.membership.organisation_id)
