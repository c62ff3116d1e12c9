from __future__ import annotations

from django.contrib import admin

from discretion.web.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("name", "a_number", "court", "status", "assigned_to", "updated")
    list_filter = ("status",)
    search_fields = ("name", "a_number", "reference")
    readonly_fields = ("code", "facts", "version", "name", "name_key", "a_number", "court", "next_hearing_on")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organisation_id=request.user.membership.organisation_id)
