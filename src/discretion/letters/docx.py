"""Render a Letter to DOCX with docxtpl and a Word template a firm can replace without code.

The default template is ``templates/letter.docx`` (built by ``scripts/make_letter_template.py``);
its variables are documented in ``docs/letter-template.md``. Rendering uses autoescape (without
it "Smith & Jones" silently loses its "&") and StrictUndefined, so a template that names a
variable the letter does not have fails with one line naming the template and the variable,
instead of printing a blank into a filed letter. Provenance goes into the core properties.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import jinja2
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate

from discretion.errors import DocumentError
from discretion.letters.model import MARK_PATTERN, Letter

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "letter.docx"
MARK = re.compile(MARK_PATTERN)


def render_docx(letter: Letter, template: Path | None = None) -> bytes:
    """The letter as .docx bytes. Raises DocumentError naming the template when it cannot be used."""
    path = template or DEFAULT_TEMPLATE
    tpl = _open(path)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        tpl.render(letter.to_context(), jinja_env=env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise DocumentError(f"template {path.name}: {exc.message} (see docs/letter-template.md)") from None
    except jinja2.TemplateSyntaxError as exc:
        raise DocumentError(f"template {path.name}: Jinja syntax error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise DocumentError(f"template {path.name}: {exc}") from None
    _stamp(tpl, letter)
    _highlight_marks(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _open(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise DocumentError(f"template {path}: no such file")
    if not zipfile.is_zipfile(path):
        raise DocumentError(f"template {path.name}: not a Word .docx file (it is not a zip package)")
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"template {path.name}: not a usable Word .docx file ({exc})") from None
    return tpl


def _property(text: str | None, limit: int = 255) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"


def _stamp(tpl: DocxTemplate, letter: Letter) -> None:
    """Core properties: what the letter is and exactly which inputs made it."""
    props = tpl.docx.core_properties
    prov = letter.provenance
    # python-docx refuses a property over 255 characters (a long name in the title did so).
    props.title = _property(letter.title)
    props.subject = _property(letter.subject)
    props.author = _property(letter.signature.name)
    props.category = "Request for prosecutorial discretion"
    props.keywords = _property(
        f"policy:{prov.policy_id}; as-of:{prov.as_of.isoformat()}; case:{prov.case_id}"
    )
    props.comments = _property(prov.line())
    props.identifier = prov.facts_digest
    props.version = _property(prov.generator)
    # The date of the letter, not the clock: same inputs, same document properties.
    stamp = datetime.combine(prov.as_of, time(12), tzinfo=UTC)
    props.created = stamp
    props.modified = stamp
    props.last_modified_by = prov.generator


def _highlight_marks(document: Any) -> None:
    """Highlight every draft mark, so nothing unverified is sent by oversight."""
    for paragraph in _paragraphs(document):
        for run in list(paragraph.runs):
            if not MARK.search(run.text):
                continue
            pieces, at = [], 0
            for match in MARK.finditer(run.text):
                pieces += [(run.text[at : match.start()], False), (match.group(), True)]
                at = match.end()
            pieces.append((run.text[at:], False))
            pieces = [(text, mark) for text, mark in pieces if text]
            anchor = run._r
            for index, (text, mark) in enumerate(pieces):
                if index:
                    element = copy.deepcopy(run._r)
                    anchor.addnext(element)
                    anchor = element
                target = run if index == 0 else Run(anchor, paragraph)
                target.text = text
                target.font.highlight_color = WD_COLOR_INDEX.YELLOW if mark else None


def _paragraphs(document: Any) -> Iterator[Paragraph]:
    yield from document.paragraphs
    for table in document.tables:
        yield from _table_paragraphs(table)
    for section in document.sections:
        yield from section.footer.paragraphs
        yield from section.header.paragraphs


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _table_paragraphs(inner)
