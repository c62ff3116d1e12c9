"""Request letters: a content model built once, rendered to DOCX (docxtpl) and PDF (Typst).

    letter = build_letter(facts, screening, policy, on=date(2026, 11, 28), exhibits=exhibits)
    docx_bytes = render_docx(letter)            # or render_docx(letter, template=Path("firm.docx"))
    pdf_bytes = render_pdf(letter, pdfa=True)   # PDF/A-2b
    summary = build_summary(letter, facts, "es"); render_summary_pdf(summary)

``letter.warnings`` lists what the practitioner must check; they are never printed in the letter.
"""

from discretion.letters.content import build_letter
from discretion.letters.docx import render_docx
from discretion.letters.model import Letter
from discretion.letters.pdf import render_pdf
from discretion.letters.summary import Summary, build_summary, render_summary_docx, render_summary_pdf

__all__ = [
    "Letter",
    "Summary",
    "build_letter",
    "build_summary",
    "render_docx",
    "render_pdf",
    "render_summary_docx",
    "render_summary_pdf",
]
