"""A plain-language summary of the request for the person it is about, in English or Spanish.

What was asked, what prosecutorial discretion does and does not do (it grants no status), what
happens next, the risks of the action asked for (dismissal, administrative closure), and that every
hearing must still be attended. The wording is data, one YAML file
per language in ``data/summary/``; adding a language is adding a file. Rendered as a narrow,
large-type PDF that reads on a phone (Typst, ``templates/summary.typ``) and as a DOCX.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Inches, Pt, RGBColor
from pydantic import BaseModel, ConfigDict, ValidationError

from discretion.datafiles import DataFileError, load_file
from discretion.errors import DocumentError
from discretion.facts import CaseFacts
from discretion.letters.model import Letter
from discretion.letters.pdf import TEMPLATES, compile_pdf

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
    """Risks named for the action requested; a block is added only for the actions listed."""

    heading: str
    actions: dict[str, list[str]]
    work_permit: str  # dismissal only, unless the file says the work permit does not depend on the case


class SummaryWording(_Strict):
    language: str
    title: str
    subtitle: str
    months: list[str]
    date_format: str
    time_prefix: str
    actions: dict[str, str]
    sections: list[_Block]
    risks: _Risks
    warning: _Warning
    contact: str
    contact_no_phone: str
    keep: str
    footer: str


def languages() -> list[str]:
    return sorted(p.stem for p in SUMMARY_DIR.glob("*.yaml"))


@cache
def summary_wording(lang: str) -> SummaryWording:
    path = SUMMARY_DIR / f"{lang}.yaml"
    if not path.is_file():
        raise DocumentError(f"summary language {lang!r} is not available (have: {', '.join(languages())})")
    try:
        data, _, _ = load_file(path)
        return SummaryWording.model_validate(data)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise DocumentError(f"{path.name}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from None


@dataclass(frozen=True)
class Summary:
    lang: str
    title: str
    subtitle: str
    blocks: tuple[tuple[str, tuple[str, ...]], ...]
    warning_heading: str
    warning: tuple[str, ...]
    closing: tuple[str, ...]
    footer: str
    date: date

    def to_context(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "title": self.title,
            "subtitle": self.subtitle,
            "blocks": [{"heading": h, "paragraphs": list(ps)} for h, ps in self.blocks],
            "warning": {"heading": self.warning_heading, "paragraphs": list(self.warning)},
            "closing": list(self.closing),
            "footer": self.footer,
        }

    def words(self) -> list[str]:
        out = [self.title, self.subtitle]
        for heading, paragraphs in self.blocks:
            out += [heading, *paragraphs]
        return [*out, self.warning_heading, *self.warning, *self.closing, self.footer]


def build_summary(letter: Letter, facts: CaseFacts, lang: str = "en") -> Summary:
    """The summary of ``letter`` for the person, in ``lang`` (a file name in data/summary/)."""
    w = summary_wording(lang)

    def when(d: date) -> str:
        return w.date_format.format(day=d.day, month=w.months[d.month - 1], year=d.year)

    rep = facts.representative
    values = {
        "name": facts.identity.name or "",
        "date": when(letter.date),
        "representative": rep.name or rep.organisation or "",
        "phone": _keep_together(rep.phone or ""),
        "ask": w.actions.get(letter.action, ""),
        "court": facts.proceedings.court or "",
    }
    blocks = tuple(
        (b.heading.format_map(values), tuple(p.format_map(values) for p in b.paragraphs)) for b in w.sections
    )
    # Risks of the action requested, named in plain words (digest §0.1, §0.6, §2.7, §0.4).
    risks = list(w.risks.actions.get(letter.action, ()))
    if letter.action == "dismissal" and facts.proceedings.ead_based_on_pending_application is not False:
        risks.insert(max(len(risks) - 1, 0), w.risks.work_permit)
    if risks:
        blocks = (*blocks, (w.risks.heading, tuple(p.format_map(values) for p in risks)))
    hearing = facts.proceedings.next_hearing
    warning = list(w.warning.paragraphs)
    if hearing and hearing.date >= letter.date:
        time_text = f" {w.time_prefix} {_keep_together(hearing.time)}" if hearing.time else ""
        warning.append(
            w.warning.next_hearing.format_map({**values, "hearing": when(hearing.date) + time_text})
        )
    else:
        warning.append(w.warning.no_hearing)
    contact = (w.contact if rep.phone else w.contact_no_phone).format_map(values)
    return Summary(
        lang=lang,
        title=w.title,
        subtitle=w.subtitle.format_map(values),
        blocks=blocks,
        warning_heading=w.warning.heading,
        warning=tuple(warning),
        closing=(contact, w.keep),
        footer=w.footer,
        date=letter.date,
    )


def _keep_together(text: str) -> str:
    # A phone number or "8:30 AM" split across lines is easy to misread on a small screen.
    return text.replace(" ", "\u00a0")


def render_summary_pdf(summary: Summary) -> bytes:
    return compile_pdf(TEMPLATES / "summary.typ", summary.to_context(), on=summary.date)


def render_summary_docx(summary: Summary) -> bytes:
    """A large-type Word version, for families who want to print or forward it."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(15)
    normal.paragraph_format.space_after = Pt(8)
    doc.core_properties.title = summary.title
    doc.core_properties.language = summary.lang

    def para(text: str, *, size: float = 15, bold: bool = False, color: RGBColor | None = None) -> None:
        run = doc.add_paragraph().add_run(text)
        run.font.size, run.bold = Pt(size), bold
        if color is not None:
            run.font.color.rgb = color

    para(summary.title, size=22, bold=True)
    para(summary.subtitle, size=15, color=RGBColor(0x44, 0x44, 0x44))
    for heading, paragraphs in summary.blocks:
        para(heading, size=18, bold=True)
        for text in paragraphs:
            para(text)
    para(summary.warning_heading, size=18, bold=True, color=RGBColor(0x9A, 0x1B, 0x1B))
    for text in summary.warning:
        para(text, bold=True)
    for text in summary.closing:
        para(text)
    para(summary.footer, size=11, color=RGBColor(0x55, 0x55, 0x55))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
