"""Render a Letter to PDF with Typst: the same words as the DOCX, better typography, no LibreOffice.

The template ``templates/letter.typ`` reads :meth:`Letter.to_context` as JSON through
``sys.inputs``, so text is never parsed as markup. ``pdfa=True`` produces PDF/A-2b for archiving
and e-filing. Provenance goes into the PDF metadata (title, author, keywords, description).
One ``typst.Compiler`` is reused per process: its font scan is the slow part of a first render.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import typst

from discretion.errors import DocumentError
from discretion.letters.model import Letter

TEMPLATES = Path(__file__).parent / "templates"
LETTER_TEMPLATE = TEMPLATES / "letter.typ"


# A Compiler is not safe to use from two threads at once (a web server's workers may try), and
# a render takes ~20 ms, so one lock per process costs nothing that matters.
_LOCK = threading.Lock()


@cache
def compiler() -> typst.Compiler:
    return typst.Compiler(root=str(TEMPLATES))


@cache
def _source(path: Path) -> bytes:
    return path.read_bytes()


def compile_pdf(template: Path, context: dict[str, Any], *, pdfa: bool = False, on: Any = None) -> bytes:
    """Compile ``template`` with ``context`` as JSON; shared by the letter and the summary."""
    kwargs: dict[str, Any] = {
        "format": "pdf",
        "sys_inputs": {"data": json.dumps(context, ensure_ascii=False)},
    }
    if pdfa:
        kwargs["pdf_standards"] = "a-2b"
    if on is not None:
        # The letter's date, not the clock, so the same inputs give the same PDF metadata.
        kwargs["timestamp"] = int(datetime.combine(on, time(12), tzinfo=UTC).timestamp())
    try:
        # typst-py 0.15 loses a bytes input after the first compile, so pass it on every call.
        with _LOCK:
            result = compiler().compile(input=_source(template), **kwargs)
    except typst.TypstError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DocumentError(f"{template.name}: Typst could not render the document: {first}") from None
    if not isinstance(result, bytes):
        raise DocumentError(f"{template.name}: Typst returned no PDF")
    return result


def render_pdf(letter: Letter, pdfa: bool = False) -> bytes:
    """The letter as PDF bytes (US Letter, 1-inch margins, "Page X of Y"); PDF/A-2b when ``pdfa``."""
    context = letter.to_context()
    prov = letter.provenance
    context["keywords"] = [
        "prosecutorial discretion",
        f"policy:{prov.policy_id}",
        f"policy-sha256:{prov.policy_sha256}",
        f"as-of:{prov.as_of.isoformat()}",
        f"facts-sha256:{prov.facts_digest}",
        f"case:{prov.case_id}",
        prov.generator,
    ]
    return compile_pdf(LETTER_TEMPLATE, context, pdfa=pdfa, on=letter.date)
