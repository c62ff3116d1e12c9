"""Assemble the filing packet: cover letter, exhibit index, then a tab page and the pages of
each exhibit (and its translation), every page stamped "Page N of M" and with a Bates number,
with one bookmark per part.

Page counts are known from preflight before anything is typeset, so the index can print final
page ranges. Pages are streamed: image uploads are converted one at a time into PDFs on disk
and every source is opened lazily by pikepdf, so image data is read only while the packet is
written, never held decoded. The packet is written to a temporary file beside ``out_path``
and renamed into place, so a failed build never leaves a file there.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from discretion.errors import DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.packets import compression
from discretion.packets.preflight import DEFAULT_MAX_MB, MAX_MB_SOURCE, Preflight, run_preflight
from discretion.packets.sources import Source, UnusableFile, displayed_size, open_pdf, to_pdf
from discretion.packets.typesetting import (
    Caption,
    IndexRow,
    bates,
    index_pdf,
    page_range,
    stamps_pdf,
    tabs_pdf,
)

DEFAULT_SUBTITLE = "Submitted in support of a request for prosecutorial discretion"


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based page of the packet the bookmark opens
    children: tuple[Bookmark, ...] = ()


@dataclass(frozen=True)
class PacketReport:
    path: Path
    pages: int
    size: int
    exhibits: tuple[Exhibit, ...]  # with pages and first_page filled in
    bookmarks: tuple[Bookmark, ...]
    preflight: Preflight
    compression: tuple[compression.Saving, ...] = ()
    max_bytes: int = int(DEFAULT_MAX_MB * 1024 * 1024)

    @property
    def over_limit(self) -> bool:
        return self.size > self.max_bytes

    def summary(self) -> str:
        lines = [
            f"packet: {self.path} — {self.pages} pages, {self.size / 1024 / 1024:.1f} MB, "
            f"{_count_bookmarks(self.bookmarks)} bookmarks"
        ]
        for exhibit in self.exhibits:
            assert exhibit.first_page is not None and exhibit.pages is not None
            lines.append(
                f"  Exhibit {exhibit.tab}: {'page' if exhibit.pages == 1 else 'pages'} {page_range(exhibit.first_page, exhibit.pages)}"
                f" — {exhibit.description}"
            )
        if self.compression:
            lines.append(compression.report(self.compression))
        if self.over_limit:
            lines.append(
                f"warning: the packet is over {self.max_bytes / 1024 / 1024:g} MB ({MAX_MB_SOURCE}); "
                "use --compress, or split it into _Part1, _Part2 for upload"
            )
        return "\n".join(lines)


def caption_of(facts: CaseFacts) -> Caption:
    identity = facts.identity
    return Caption(
        name=identity.name or "(name not given)",
        a_number=str(identity.a_number) if identity.a_number else "(not given)",
        reference=facts.case_id,
    )


def bates_prefix_of(facts: CaseFacts) -> str:
    """``LOPEZ-`` from a case id such as ``LOPEZ-2026-014``, else from the last word of the name."""
    words = re.findall(r"[A-Za-z]+", _ascii(facts.case_id or ""))
    if not words:
        words = re.findall(r"[A-Za-z]+", _ascii(facts.identity.name or ""))[-1:]
    return (words[0].upper()[:12] if words else "EXH") + "-"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def build_packet(
    cover_pdf: bytes | None,
    exhibits: Sequence[Exhibit],
    *,
    caption: Caption,
    bates_prefix: str,
    out_path: Path,
    preflight: Preflight | None = None,
    required: dict[str, str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    compress_dpi: int | None = None,
    subtitle: str | None = DEFAULT_SUBTITLE,
) -> PacketReport:
    """Build the packet at ``out_path``; raises DocumentError (and writes nothing) on any error.

    Runs preflight itself unless given one; a preflight error stops the build with that
    error's message, naming the file.
    """
    if not exhibits:
        raise DocumentError("a packet needs at least one exhibit")
    check = preflight or run_preflight(
        exhibits, required=required, max_mb=max_mb, compress=compress_dpi is not None
    )
    if check.errors:
        first, more = check.errors[0], len(check.errors) - 1
        raise DocumentError(
            f"{first.subject}: {first.message}" + (f" (and {more} more error(s))" if more else "")
        )
    out_path = Path(out_path)
    if not out_path.parent.is_dir():
        raise DocumentError(f"{out_path.parent}: output folder not found")
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="discretion-packet-")))
        opened: list[pikepdf.Pdf] = []
        stack.callback(_close_all, opened)
        return _assemble(
            cover_pdf,
            exhibits,
            check,
            caption,
            bates_prefix,
            out_path,
            workdir,
            opened,
            compress_dpi,
            subtitle,
            max_mb,
        )
    raise AssertionError("unreachable")  # pragma: no cover


def _assemble(
    cover_pdf: bytes | None,
    exhibits: Sequence[Exhibit],
    check: Preflight,
    caption: Caption,
    prefix: str,
    out_path: Path,
    workdir: Path,
    opened: list[pikepdf.Pdf],
    compress_dpi: int | None,
    subtitle: str | None,
    max_mb: float,
) -> PacketReport:
    def load(data: bytes | Path, name: str) -> pikepdf.Pdf:
        try:
            pdf = pikepdf.open(io.BytesIO(data)) if isinstance(data, bytes) else open_pdf(data)
        except pikepdf.PdfError as exc:
            raise DocumentError(f"{name}: not a readable PDF ({exc})") from None
        except UnusableFile as exc:
            raise DocumentError(f"{name}: {exc}") from None
        opened.append(pdf)
        return pdf

    cover = load(cover_pdf, "cover letter") if cover_pdf is not None else None
    cover_pages = len(cover.pages) if cover else 0

    # Each exhibit's parts (original, then translation) with their page counts, from preflight.
    parts = [[check.sources[p] for p in (e.file, e.translation) if p is not None] for e in exhibits]
    counts = [sum(s.pages for s in group) for group in parts]

    index, placed = _index_until_stable(exhibits, counts, cover_pages, caption, prefix, subtitle)
    index_doc = load(index, "exhibit index")
    tabs_doc = load(tabs_pdf(caption, [_tab_entry(e) for e in placed]), "tab pages")

    packet = pikepdf.new()
    opened.append(packet)
    marks: list[Bookmark] = []
    if cover:
        marks.append(Bookmark("Cover letter", 1))
        packet.pages.extend(cover.pages)
    marks.append(Bookmark("Index of exhibits", len(packet.pages) + 1))
    packet.pages.extend(index_doc.pages)
    savings: list[compression.Saving] = []
    for exhibit, group, tab_page in zip(placed, parts, tabs_doc.pages, strict=True):
        tab_at = len(packet.pages) + 1
        packet.pages.append(tab_page)
        children = []
        for n, source in enumerate(group):
            path = _as_pdf(source, workdir, compress_dpi, savings)
            if n == 1:
                children.append(Bookmark("Certified English translation", len(packet.pages) + 1))
            doc = load(path, source.path.name)
            if len(doc.pages) != source.pages:
                raise DocumentError(
                    f"{source.path.name}: has {len(doc.pages)} pages now but {source.pages} at preflight; "
                    "was it changed during the build?"
                )
            packet.pages.extend(doc.pages)
        title = f"Exhibit {exhibit.tab} — {exhibit.description}"
        marks.append(Bookmark(title, tab_at, tuple(children)))

    _stamp(packet, prefix, opened)
    with packet.open_outline() as outline:
        outline.root.extend(_outline_item(mark) for mark in marks)
    packet.Root.PageMode = pikepdf.Name.UseOutlines
    packet.docinfo[pikepdf.Name.Title] = f"Exhibits — {caption.name} ({caption.a_number})"
    packet.docinfo[pikepdf.Name.Producer] = "discretion"
    size = _save_atomically(packet, out_path)
    return PacketReport(
        path=out_path,
        pages=len(packet.pages),
        size=size,
        exhibits=tuple(placed),
        bookmarks=tuple(marks),
        preflight=check,
        compression=tuple(savings),
        max_bytes=int(max_mb * 1024 * 1024),
    )


def _index_until_stable(
    exhibits: Sequence[Exhibit],
    counts: list[int],
    cover_pages: int,
    caption: Caption,
    prefix: str,
    subtitle: str | None,
) -> tuple[bytes, list[Exhibit]]:
    # The page ranges printed in the index depend on how many pages the index itself takes;
    # a long list may spill onto another page, so typeset again until the count holds.
    index_pages = 1
    for _ in range(5):
        placed = []
        page = cover_pages + index_pages + 1
        for exhibit, count in zip(exhibits, counts, strict=True):
            placed.append(dataclasses.replace(exhibit, first_page=page + 1, pages=count))
            page += 1 + count
        total = page - 1
        footnote = (
            f"Page numbers are those stamped at the foot of each page of this packet "
            f"(page 1 of {total} to page {total} of {total}; Bates numbers {bates(prefix, 1)} to "
            f"{bates(prefix, total)}). Each exhibit is preceded by a tab page."
        )
        rows = [_index_row(e) for e in placed]
        data = index_pdf(caption, rows, subtitle=subtitle, footnote=footnote)
        with pikepdf.open(io.BytesIO(data)) as doc:
            actual = len(doc.pages)
        if actual == index_pages:
            return data, placed
        index_pages = actual
    raise DocumentError("the exhibit index would not settle on a page count")


def _index_row(exhibit: Exhibit) -> IndexRow:
    assert exhibit.first_page is not None and exhibit.pages is not None
    return IndexRow(
        tab=exhibit.tab,
        description=exhibit.description,
        date=exhibit.date or "",
        pages=page_range(exhibit.first_page, exhibit.pages),
        translation=_translation_line(exhibit),
    )


def _translation_line(exhibit: Exhibit) -> str | None:
    if exhibit.translation is not None:
        return f"Original in {exhibit.language}, followed by its certified English translation"
    if exhibit.needs_translation:
        return f"In {exhibit.language}; English translation to follow"
    return None


def _tab_entry(exhibit: Exhibit) -> dict[str, str | None]:
    assert exhibit.first_page is not None and exhibit.pages is not None
    noun = "Page" if exhibit.pages == 1 else "Pages"
    return {
        "tab": exhibit.tab,
        "description": exhibit.description,
        "date": exhibit.date,
        "pages": f"{noun} {page_range(exhibit.first_page, exhibit.pages)}",
        "translation": _translation_line(exhibit),
    }


def _as_pdf(
    source: Source, workdir: Path, compress_dpi: int | None, savings: list[compression.Saving]
) -> Path:
    """The PDF file holding ``source``'s pages: the upload itself, or a converted copy."""
    target = workdir / f"{len(savings):05d}-{id(source)}.pdf"
    try:
        if compress_dpi is not None:
            path, saving = compression.compress(source, compress_dpi, target)
            savings.append(saving)
            return path
        return to_pdf(source, target) if source.is_image else source.path
    except UnusableFile as exc:
        raise DocumentError(f"{source.path.name}: {exc}") from None


def _stamp(packet: pikepdf.Pdf, prefix: str, opened: list[pikepdf.Pdf]) -> None:
    sizes = [displayed_size(page) for page in packet.pages]
    overlay = pikepdf.open(io.BytesIO(stamps_pdf(sizes, prefix=prefix)))
    opened.append(overlay)
    for page, stamp in zip(packet.pages, overlay.pages, strict=True):
        # add_overlay maps the stamp onto the displayed page, turning it for /Rotate pages.
        page.add_overlay(stamp, pikepdf.Rectangle(page.trimbox))


def _close_all(opened: list[pikepdf.Pdf]) -> None:
    # pikepdf reads page data lazily from the sources until the packet is saved, so they are
    # closed only now; closing releases their file handles and qpdf's buffers.
    for pdf in reversed(opened):
        pdf.close()


def _outline_item(mark: Bookmark) -> pikepdf.OutlineItem:
    item = pikepdf.OutlineItem(mark.title, mark.page - 1)
    item.children.extend(_outline_item(child) for child in mark.children)
    return item


def _count_bookmarks(marks: Sequence[Bookmark]) -> int:
    return sum(1 + _count_bookmarks(m.children) for m in marks)


def _save_atomically(packet: pikepdf.Pdf, out_path: Path) -> int:
    handle, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=out_path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        packet.save(temp, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        size = temp.stat().st_size
        os.replace(temp, out_path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DocumentError(f"{out_path}: could not be written ({exc.strerror or exc})") from None
        if isinstance(exc, pikepdf.PdfError):
            raise DocumentError(f"{out_path}: could not be written: a source PDF failed ({exc})") from None
        raise
    return size
