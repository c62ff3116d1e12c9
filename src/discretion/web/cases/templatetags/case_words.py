"""Words for the core's codes where a practitioner reads them: "Applies", not "met"."""

from __future__ import annotations

from django import template

register = template.Library()

OUTCOMES = {"met": "Applies", "not_met": "Does not apply", "unknown": "Unknown"}
KINDS = {
    "priority": "Enforcement priority",
    "aggravating": "Against the request",
    "mitigating": "In the person's favour",
    "risk": "Risk",
    "relief": "Other relief",
}
SEVERITIES = {"error": "Error", "warning": "Check", "info": "Note"}


@register.filter
def outcome_words(value: str) -> str:
    return OUTCOMES.get(value, str(value).replace("_", " ").capitalize())


@register.filter
def kind_words(value: str) -> str:
    return KINDS.get(value, str(value).replace("_", " ").capitalize())


@register.filter
def severity_words(value: str) -> str:
    return SEVERITIES.get(value, str(value).capitalize())


@register.filter
def path_words(value: str) -> str:
    """A fact path in words: "entry.first_entry_on" -> "Entry: first entry on"."""
    from discretion.web.cases.sections import humanise

    return humanise(str(value).replace("[", ".").replace("]", ""))


@register.simple_tag
def fact_url(case, path: str) -> str:
    """The address of the input that answers the fact ``path`` ("" if no form shows it)."""
    from django.urls import reverse

    from discretion.web.cases import plain, sections

    dotted = plain.dotted(path)
    section = sections.section_for_path(dotted)
    if section is None:
        return ""
    url = reverse("cases:section", kwargs={"code": case.code, "section": section.key})
    return f"{url}#{sections.html_id(dotted)}"
