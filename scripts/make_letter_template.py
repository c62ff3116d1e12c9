"""Build src/discretion/letters/templates/letter.docx, the default Word template for request letters.

Run once after changing the design, look at the result (docs/letter-template.md says how), and
commit the .docx. The template uses Word-native styles so a firm can restyle it in Word without
code: Normal, Heading 1, List Number, List Bullet, a "Letterhead" pair of styles, an "Exhibit
Index" table style, and a footer with PAGE / NUMPAGES fields. Jinja tags are written into single
runs so docxtpl can find them.

    .venv/bin/python scripts/make_letter_template.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "src" / "discretion" / "letters" / "templates" / "letter.docx"
FONT = "Times New Roman"  # LibreOffice renders it with the metric-compatible Liberation Serif
INK = RGBColor(0, 0, 0)
GREY = RGBColor(0x55, 0x55, 0x55)


def _font(style, size: float, *, bold: bool = False, italic: bool = False, color=INK) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    # Built-in headings name theme fonts (Calibri Light), which win over w:ascii; drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _spacing(style, before: float = 0, after: float = 0, *, keep: bool = False) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    if keep:
        fmt.keep_with_next = True


def _bottom_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "444444")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _field(paragraph, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice update on open and print."""

    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run("1")
    char("end")


def _cell_margins(table, left: float = 0.05, right: float = 0.05, top: float = 0.0) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, inches in (("top", top), ("left", left), ("bottom", top), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(inches * 1440)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _widths(table, inches: list[float]) -> None:
    # Without explicit grid widths LibreOffice makes every column equal (stack-spike gotcha).
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), inches, strict=True):
        col.set(qn("w:w"), str(int(width * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, inches, strict=True):
            cell.width = Inches(width)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, 12)
    _spacing(normal, 0, 10)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True

    h1 = styles["Heading 1"]
    _font(h1, 12, bold=True)
    _spacing(h1, 8, 6, keep=True)
    h1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    for name in ("List Number", "List Bullet"):
        # The built-in list styles suppress space between items ("contextual spacing"); a letter's
        # numbered paragraphs need it.
        ppr = styles[name].element.get_or_add_pPr()
        for el in ppr.findall(qn("w:contextualSpacing")):
            ppr.remove(el)
        _font(styles[name], 12)
        _spacing(styles[name], 0, 8)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def add(name: str, size: float, **kw):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(
            style,
            size,
            bold=kw.get("bold", False),
            italic=kw.get("italic", False),
            color=kw.get("color", INK),
        )
        _spacing(style, kw.get("before", 0), kw.get("after", 0), keep=kw.get("keep", False))
        style.paragraph_format.alignment = kw.get("align", WD_ALIGN_PARAGRAPH.LEFT)
        return style

    add("Letterhead Name", 15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=2)
    add("Letterhead Line", 9.5, color=GREY, align=WD_ALIGN_PARAGRAPH.CENTER)
    add("Date Line", 12, before=18, after=12)
    add("Via Line", 11, bold=True, after=12, keep=True)
    add("Address", 12, keep=True)
    add("Subject", 12, bold=True, before=14, after=4, keep=True)
    add("Re Field", 11, keep=True)
    add("Salutation", 12, before=14, after=10, keep=True)
    add("Body Keep", 12, after=10, keep=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add("Closing", 12, before=6, after=0, keep=True)
    add("Signature Name", 12, before=34, keep=True)
    add("Signature Line", 11, keep=True)
    add("Enclosures", 11, before=16)
    add("Index Heading", 12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=10)
    add("Table Text", 10.5)
    add("Footer Text", 9, color=GREY)

    table_style = styles.add_style("Exhibit Index", WD_STYLE_TYPE.TABLE)
    table_style.base_style = styles["Table Grid"]
    _font(table_style, 10.5)


def _language(doc, tag: str) -> None:
    """The document language of the default run properties (spell check, hyphenation, screen readers)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), tag)


def build() -> bytes:
    doc = Document()
    _styles(doc)
    _language(doc, "en-US")
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    section.footer_distance = Inches(0.5)
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:
        body._p.getparent().remove(body._p)

    doc.add_paragraph("{{ letterhead.name }}", style="Letterhead Name")
    doc.add_paragraph("{%p for line in letterhead.lines %}", style="Letterhead Line")
    doc.add_paragraph("{{ line }}", style="Letterhead Line")
    doc.add_paragraph("{%p endfor %}", style="Letterhead Line")
    _bottom_rule(doc.add_paragraph("", style="Letterhead Line"))

    doc.add_paragraph("{{ date }}", style="Date Line")
    doc.add_paragraph("{%p if via %}", style="Via Line")
    doc.add_paragraph("{{ via }}", style="Via Line")
    doc.add_paragraph("{%p endif %}", style="Via Line")
    doc.add_paragraph("{%p for line in addressee %}", style="Address")
    doc.add_paragraph("{{ line }}", style="Address")
    doc.add_paragraph("{%p endfor %}", style="Address")

    doc.add_paragraph("Re:\t{{ subject }}", style="Subject").paragraph_format.tab_stops.add_tab_stop(
        Inches(0.5)
    )
    re = doc.add_table(rows=3, cols=2)
    _no_borders(re)
    _cell_margins(re, 0.0, 0.08)
    re.alignment = WD_TABLE_ALIGNMENT.LEFT
    tblpr = re._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(int(0.5 * 1440)))
    indent.set(qn("w:type"), "dxa")
    tblpr.append(indent)
    re.cell(0, 0).paragraphs[0].text = "{%tr for field in re %}"
    re.cell(1, 0).paragraphs[0].text = "{{ field.label }}:"
    re.cell(1, 1).paragraphs[0].text = "{{ field.value }}"
    re.cell(2, 0).paragraphs[0].text = "{%tr endfor %}"
    for row in re.rows:
        for cell in row.cells:
            cell.paragraphs[0].style = doc.styles["Re Field"]
    _widths(re, [1.6, 4.4])

    doc.add_paragraph("{{ salutation }}", style="Salutation")
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{%p if s.heading %}")
    doc.add_paragraph("{{ s.heading }}", style="Heading 1")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for p in s.paragraphs %}")
    doc.add_paragraph("{%p if p.numbered %}")
    doc.add_paragraph("{{ p.text }}", style="List Number")
    doc.add_paragraph("{%p elif p.keep %}")
    doc.add_paragraph("{{ p.text }}", style="Body Keep")
    doc.add_paragraph("{%p elif p.item %}")
    doc.add_paragraph("{{ p.text }}", style="List Bullet")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ p.text }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_paragraph("{{ signature.closing }}", style="Closing")
    doc.add_paragraph("{{ signature.name }}", style="Signature Name")
    doc.add_paragraph("{%p for line in signature.lines %}", style="Signature Line")
    doc.add_paragraph("{{ line }}", style="Signature Line")
    doc.add_paragraph("{%p endfor %}", style="Signature Line")
    doc.add_paragraph("{%p if enclosures %}", style="Enclosures")
    doc.add_paragraph("{{ enclosures }}", style="Enclosures")
    doc.add_paragraph("{%p endif %}", style="Enclosures")

    doc.add_paragraph("{%p if has_exhibits %}")
    heading = doc.add_paragraph("Index of Exhibits", style="Index Heading")
    heading.paragraph_format.page_break_before = True
    index = doc.add_table(rows=4, cols=3, style="Exhibit Index")
    _cell_margins(index, 0.08, 0.08, 0.04)
    for cell, text in zip(index.rows[0].cells, ("Tab", "Description", "Pages"), strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    header_pr = index.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_pr.append(repeat)
    index.cell(1, 0).paragraphs[0].text = "{%tr for e in exhibits %}"
    index.cell(2, 0).paragraphs[0].text = "{{ e.tab }}"
    index.cell(2, 1).paragraphs[0].text = "{{ e.description }}"
    index.cell(2, 2).paragraphs[0].text = "{{ e.pages }}"
    index.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    for row in index.rows:
        for cell in row.cells:
            cell.paragraphs[0].style = doc.styles["Table Text"]
    index.rows[0].cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    index.rows[2].cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    index.rows[2].cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    index.rows[0].cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _widths(index, [0.7, 4.8, 1.0])
    doc.add_paragraph("{%p endif %}")

    footer = section.footer
    line = footer.paragraphs[0]
    line.style = doc.styles["Footer Text"]
    line.paragraph_format.tab_stops.add_tab_stop(Inches(6.5), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run("{{ footer }}\tPage ")
    _field(line, "PAGE")
    line.add_run(" of ")
    _field(line, "NUMPAGES")

    props = doc.core_properties
    props.title = "Request for prosecutorial discretion (template)"
    props.author = "discretion"
    props.comments = "docxtpl template; variables in docs/letter-template.md"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
