"""Request letters: a content model built once, rendered to DOCX (docxtpl) and PDF (Typst).

    letter = build_letter(facts, screening, policy, on=date(2026, 11, 28), exhibits=exhibits)
    docx_bytes = render_docx(letter)            # the filing copy: no preparer marks
    pdf_bytes = render_pdf(letter, pdfa=True)   # PDF/A-2b
    render_docx(letter.as_draft())              # the marked-up copy, for editing in Word
    letter.review.markdown(); render_review_pdf(letter.review)   # what to check before sending
    letter.transmittal.message(pdf_bytes, sender=..., on=...)    # the e-mail that carries it
    summary = build_summary(letter, facts, "es", screening=screening); render_summary_pdf(summary)

A letter that cannot be filed as written is refused with ``LetterRefused`` (a DocumentError):
an incomplete representative block, or a HIGH-risk request without a recorded override.
"""

from discretion.letters.content import build_letter
from discretion.letters.docx import render_docx
from discretion.letters.model import Letter
from discretion.letters.pdf import render_pdf
from discretion.letters.refusals import LetterRefused, Override, high_risks, safer_asks
from discretion.letters.review import Review, render_review_pdf
from discretion.letters.summary import Summary, build_summary, render_summary_docx, render_summary_pdf

__all__ = [
    "Letter",
    "LetterRefused",
    "Override",
    "Review",
    "Summary",
    "build_letter",
    "build_summary",
    "high_risks",
    "render_docx",
    "render_pdf",
    "render_review_pdf",
    "render_summary_docx",
    "render_summary_pdf",
    "safer_asks",
]
