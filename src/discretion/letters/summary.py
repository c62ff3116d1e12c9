"""A plain-language summary of the request for the person it is about, in English or Spanish.

What was asked and what a yes would mean, what prosecutorial discretion does and does not do
(for a permanent resident: it does not change the green card), the risks this person's own
screen found for the request (a risk the screen does not find is never told), the advice
counsel gave and the person's answer (from ``counsel.advice``), and that every hearing must
still be attended. The wording is data, one YAML file per language in ``data/summary/``; adding
a language is adding a file. Rendered as a Letter-size PDF that prints as it is (Typst,
``templates/summary.typ``) and as a DOCX with heading styles and the document's language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from pydantic import BaseModel, ConfigDict, ValidationError

from discretion import prose
from discretion.datafiles import DataFileError, load_file
from discretion.errors import DocumentError
from discretion.facts import CaseFacts
from discretion.letters.model import Letter
from discretion.letters.pdf import TEMPLATES, compile_pdf
from discretion.policies import Policy
from discretion.predicates import Outcome
from discretion.screening import Screening

SUMMARY_DIR = Path(__file__).parent / "data" / "summary"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Block(_Strict):
    heading: str
    paragraphs: list[str]


class _Warning(_Strict):
    heading: str
    paragraphs: list[str]
    next_hearing: str
    no_hearing: str


class _Risks(_Strict):
    heading: str
    intro: str
    none: str
    lines: dict[str, str | None]  # by the risk rule's test; None: said elsewhere


class _Advice(_Strict):
    heading: str
    given: str
    consent: str
    no_consent: str
    pending: str
    language_names: dict[str, str]


class SummaryWording(_Strict):
    language: str
    lang: str
    title: str
    subtitle: str
    months: list[str]
    date_format: str
    time_prefix: str
    actions: dict[str, str]
    outcomes: dict[str, str]
    sections: list[_Block]
    risks: _Risks
    advice: _Advice
    warning: _Warning
    contact: str
    contact_no_phone: str
    keep: str
    footer: str

    def templates(self) -> list[str]:
        out = [self.subtitle, self.date_format, self.contact, self.contact_no_phone, self.advice.given]
        out += [p for b in self.sections for p in (b.heading, *b.paragraphs)]
        out += [self.warning.next_hearing, *self.warning.paragraphs]
        return out


def languages() -> list[str]:
    return sorted(p.stem for p in SUMMARY_DIR.glob("*.yaml"))


@cache
def summary_wording(lang: str) -> SummaryWording:
    path = SUMMARY_DIR / f"{lang}.yaml"
    if not path.is_file():
        raise DocumentError(f"summary language {lang!r} is not available (have: {', '.join(languages())})")
    try:
        data, _, _ = load_file(path)
        wording = SummaryWording.model_validate(data)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise DocumentError(f"{path.name}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from None
    for source in wording.templates():
        try:
            prose.slots(source)
        except prose.ProseError as exc:
            raise DocumentError(f"{path.name}: {exc}") from None
    return wording


@dataclass(frozen=True)
class Summary:
    lang: str  # the file name: "en", "es"
    language: str  # the document language tag: "en-US", "es-US"
    title: str
    subtitle: str
    blocks: tuple[tuple[str, tuple[str, ...]], ...]
    warning_heading: str
    warning: tuple[str, ...]
    closing: tuple[str, ...]
    footer: str
    date: date
    risks: tuple[str, ...] = ()  # the risk rule ids told, for tests and the review sheet

    def to_context(self) -> dict[str, Any]:
        return {
            "lang": self.language.split("-")[0],
            "region": self.language.split("-")[1] if "-" in self.language else None,
            "title": self.title,
            "subtitle": self.subtitle,
            "blocks": [{"heading": h, "paragraphs": list(ps)} for h, ps in self.blocks],
            "warning": {"heading": self.warning_heading, "paragraphs": list(self.warning)},
            "closing": list(self.closing),
            "footer": self.footer,
            "date_parts": [self.date.year, self.date.month, self.date.day],
        }

    def words(self) -> list[str]:
        out = [self.title, self.subtitle]
        for heading, paragraphs in self.blocks:
            out += [heading, *paragraphs]
        return [*out, self.warning_heading, *self.warning, *self.closing, self.footer]


def build_summary(
    letter: Letter,
    facts: CaseFacts,
    lang: str = "en",
    *,
    screening: Screening,
    policy: Policy | None = None,
) -> Summary:
    """The summary of ``letter`` for the person, in ``lang`` (a file name in data/summary/).

    ``screening`` is the screen the letter was made from: every risk line comes from it.
    ``policy`` lets a risk be matched to its test when the screening came from a snapshot."""
    w = summary_wording(lang)

    def when(d: date) -> str:
        return prose.render(w.date_format, {"day": d.day, "month": w.months[d.month - 1], "year": d.year})

    rep = facts.representative
    action = letter.action
    values = {
        "name": facts.identity.name or "",
        "date": when(letter.date),
        "representative": rep.name or rep.organisation or "",
        "phone": _keep_together(rep.phone or ""),
        "ask": w.actions.get(action, ""),
        "outcome": w.outcomes.get(action, ""),
        "court": _court(letter),
        "lpr": _is_lpr(facts, letter.date),
    }
    blocks = [
        (
            prose.render(b.heading, values),
            tuple(t for t in (prose.render(p, values) for p in b.paragraphs) if t),
        )
        for b in w.sections
    ]
    told, lines = _risk_lines(w, screening, policy, action)
    blocks.append((w.risks.heading, (w.risks.intro, *lines) if lines else (w.risks.none,)))
    blocks.append((w.advice.heading, _advice(w, facts, action, when, told)))
    hearing = facts.proceedings.next_hearing
    warning = list(w.warning.paragraphs)
    if hearing and hearing.date >= letter.date:
        time_text = f" {w.time_prefix} {_keep_together(hearing.time)}" if hearing.time else ""
        warning.append(
            prose.render(w.warning.next_hearing, {**values, "hearing": when(hearing.date) + time_text})
        )
    else:
        warning.append(w.warning.no_hearing)
    contact = prose.render(w.contact if rep.phone else w.contact_no_phone, values)
    return Summary(
        lang=lang,
        language=w.lang,
        title=w.title,
        subtitle=prose.render(w.subtitle, values),
        blocks=tuple((h, ps) for h, ps in blocks if ps),
        warning_heading=w.warning.heading,
        warning=tuple(warning),
        closing=(contact, w.keep),
        footer=w.footer,
        date=letter.date,
        risks=tuple(told),
    )


def _court(letter: Letter) -> str:
    return next((f.value for f in letter.re if f.label == "Immigration Court" and f.value), "")


def _is_lpr(facts: CaseFacts, on: date) -> bool:
    since = facts.immigration_history.lpr_since
    return since is not None and since <= on


def _risk_lines(
    w: SummaryWording, screening: Screening, policy: Policy | None, action: str
) -> tuple[list[str], list[str]]:
    tests = {r.id: r.test for r in policy.rules} if policy else {}
    told: list[str] = []
    lines: list[str] = []
    for risk in screening.risks:
        if risk.outcome is not Outcome.MET or (risk.applies_to and action not in risk.applies_to):
            continue
        test = tests.get(risk.id) or _test_of(risk.id)
        if test not in w.risks.lines:
            raise DocumentError(
                f"summary {w.lang}: risk {risk.id} (test {test!r}) has no plain-language line in data/summary/"
            )
        line = w.risks.lines[test]
        if line and line.strip() not in lines:
            lines.append(line.strip())
            told.append(risk.id)
    return told, lines


def _test_of(rule_id: str) -> str:
    # Screenings read back from a snapshot carry no test names; the shipped policies know them.
    from discretion.policies import shipped

    for policy in shipped():
        for rule in policy.rules:
            if rule.id == rule_id:
                return rule.test
    return rule_id


def _advice(
    w: SummaryWording, facts: CaseFacts, action: str, when: Any, told: Sequence[str]
) -> tuple[str, ...]:
    records = [a for a in facts.counsel.advice or () if (a.action or action) == action]
    if not records:
        return (w.advice.pending,)
    out = []
    for a in records:
        language = w.advice.language_names.get(a.language, a.language)
        out.append(
            prose.render(
                w.advice.given,
                {
                    "date": when(a.given_on),
                    "by": a.by,
                    "language": language,
                    "interpreter": a.interpreter,
                    "risks": bool(told),
                },
            )
        )
    last = records[-1]
    if last.consent:
        out.append(w.advice.consent)
    elif last.consent is False:
        out.append(w.advice.no_consent)
    else:
        out.append(w.advice.pending)
    return tuple(out)


def _keep_together(text: str) -> str:
    # A phone number or "8:30 AM" split across lines is easy to misread.
    return text.replace(" ", "\u00a0")


def render_summary_pdf(summary: Summary) -> bytes:
    return compile_pdf(TEMPLATES / "summary.typ", summary.to_context(), on=summary.date)


def render_summary_docx(summary: Summary) -> bytes:
    """A large-type Word version with real heading styles, in the summary's own language."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.9))
    styles = doc.styles
    _set_language(doc, summary.language)
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(6)
    for name, size, color in (
        ("Title", 22, RGBColor(0, 0, 0)),
        ("Heading 1", 17, RGBColor(0x1D, 0x3F, 0x72)),
    ):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = color
        _drop_theme_fonts(style)
    warning = styles.add_style("Warning", WD_STYLE_TYPE.PARAGRAPH)
    warning.base_style = normal
    warning.font.bold = True
    warning.font.color.rgb = RGBColor(0x9A, 0x1B, 0x1B)
    doc.core_properties.title = summary.title[:254] + "…" if len(summary.title) > 255 else summary.title
    doc.core_properties.language = summary.language

    doc.add_paragraph(summary.title, style="Title")
    subtitle = doc.add_paragraph(summary.subtitle)
    subtitle.runs[0].font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    # The hearing first, as on the PDF.
    doc.add_heading(summary.warning_heading, level=1)
    for text in summary.warning:
        doc.add_paragraph(text, style="Warning")
    for heading, paragraphs in summary.blocks:
        doc.add_heading(heading, level=1)
        for text in paragraphs:
            doc.add_paragraph(text)
    for text in summary.closing:
        doc.add_paragraph(text)
    footer = doc.add_paragraph(summary.footer)
    footer.runs[0].font.size = Pt(11)
    footer.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_language(doc: Any, tag: str) -> None:
    """w:lang on the document defaults: Word checks spelling and reads aloud in this language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), tag)


def _drop_theme_fonts(style: Any) -> None:
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is None:
        return
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), "Arial")
