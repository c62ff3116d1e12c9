"""Arrange a stored screening (the core's JSON contract) for the page: what applies or is
undecided first, what does not apply folded away. No legal logic here: outcomes, reasons and
citations are the core's, shown as they are."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.timezone import get_current_timezone_name

GROUPS = [
    ("priority", "findings", "Enforcement priorities"),
    ("aggravating", "findings", "Aggravating factors"),
    ("mitigating", "findings", "Mitigating factors"),
    ("risk", "risks", "Risks to review"),
    ("relief", "relief", "Other relief to consider"),
]


def screening_groups(
    result: dict[str, Any] | None, facts: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The findings by group; with ``facts``, each finding's missing facts as questions ("asked")."""
    if not result:
        return []
    out = []
    for kind, key, title in GROUPS:
        items = [f for f in result.get(key, []) if f.get("kind") == kind]
        if facts is not None:
            items = [f | {"asked": _asked(f, facts)} for f in items]
        if not items:
            continue
        shown = [f for f in items if f.get("outcome") != "not_met"]
        shown.sort(key=lambda f: f.get("outcome") != "met")
        out.append(
            {
                "kind": kind,
                "title": title,
                "shown": shown,
                "hidden": [f for f in items if f.get("outcome") == "not_met"],
                "met": sum(1 for f in items if f.get("outcome") == "met"),
                "unknown": sum(1 for f in items if f.get("outcome") == "unknown"),
            }
        )
    return out


def _asked(finding: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    from discretion.web.cases.plain import question_for

    questions = [question_for(p, facts) for p in finding.get("missing_facts", [])]
    return [q.text for q in questions if q is not None]


def screening_context(result: dict[str, Any], facts: dict[str, Any], case_code: Any = None) -> dict[str, Any]:
    """What ``cases/_screening.html`` needs besides the result: groups, questions, problems."""
    from discretion.web.cases import plain, sections

    problems = []
    for p in result.get("problems", []):
        path = plain.dotted(p.get("path", ""))
        section = sections.section_for_path(path)
        href = ""
        if section is not None and case_code is not None:
            from django.urls import reverse

            href = reverse("cases:section", kwargs={"code": case_code, "section": section.key})
            href += "#" + sections.html_id(path)
        label = (
            f"{section.title}: {sections.label_for_path(path)}" if section else (p.get("path") or "The case")
        )
        problems.append(
            {"severity": p.get("severity", ""), "message": p.get("message", ""), "label": label, "href": href}
        )
    return {
        "groups": screening_groups(result, facts),
        "questions": plain.missing_questions(result, facts),
        "problems": problems,
        "case_code": case_code,
    }


_PARTIALS = ("cases/_screening.html", "cases/_finding.html")
_CACHE_SECONDS = 24 * 60 * 60


@lru_cache(maxsize=1)
def _template_version() -> str:
    """A digest of the screening templates: an edited template never serves stale cached HTML."""
    from django.template.loader import get_template

    digest = hashlib.sha256()
    for name in _PARTIALS:
        digest.update(Path(get_template(name).origin.name).read_bytes())  # type: ignore[attr-defined]  # Django templates have an origin; the stubs' protocol lacks it
    return digest.hexdigest()[:12]


def rendered_screening(record: Any) -> str:
    """The HTML of a stored screening snapshot (`cases/_screening.html`).

    A ScreeningRecord never changes once saved, so its HTML is rendered once per process (and
    template version) and then served from Django's cache: drawing the findings was most of the
    case page's cost."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    # The creation time guards against a reused id (a test database rolled back, a restore).
    stamp = record.created.timestamp()
    key = f"screening-html:{record.pk}:{stamp}:{_template_version()}:{get_current_timezone_name()}"
    html = cache.get(key)
    if html is None:
        from discretion.web.cases.models import CaseRevision

        # The questions name the people of the facts the snapshot was made from.
        revision = CaseRevision.objects.filter(case_id=record.case_id, version=record.case_version).first()
        facts = revision.facts if revision else record.case.facts
        html = render_to_string(
            "cases/_screening.html",
            {"result": record.result, "record": record}
            | screening_context(record.result, facts or {}, record.case.code),
        )
        cache.set(key, html, _CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template
