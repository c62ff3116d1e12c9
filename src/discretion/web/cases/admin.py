from __future__ import annotations

from django.contrib import admin

from discretion.web.cases.models import Case
from discretion.web.lib.admin import OrganisationScopedAdmin


@admin.register(Case)
class CaseAdmin(OrganisationScopedAdmin):
    """View-only for organisation admins: facts change only through the workbench (versioned)."""

    list_display = ("name", "a_number", "court", "status", "assigned_to", "updated")
    list_filter = ("status",)
    search_fields = ("name_key", "a_number", "reference")
    readonly_fields = ("code", "facts", "version", "name", "name_key", "a_number", "court", "next_hearing_on")
