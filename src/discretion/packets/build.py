"""Assemble the filing packet: cover letter, exhibit index, then a tab page and the pages of
each exhibit (and its translation), every page stamped "Page N of M" and with a Bates number,
with a bookmark for the cover, the index and each exhibit's tab page.

Page counts are known from preflight before anything is typeset, so the index prints final
page ranges. Image uploads are converted into PDFs in a scratch folder (by worker processes
when there are several: ``converting.py``), and ``binding`` lets qpdf read every source
lazily while it writes the packet, so memory stays flat however many pages there are. The packet is written to a temporary file beside
``out_path`` and renamed into place, so a failed build never leaves a file there.
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from discretion.errors import DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.packets import binding, compression, converting, splitting
from discretion.packets.preflight import DEFAULT_MAX_MB, MAX_MB_SOURCE, Preflight, run_preflight
from discretion.packets.sources import Source
from discretion.packets.typesetting import (
    Caption,
    IndexRow,
    bates,
    index_pdf,
    page_range,
    stamps_pdf,
    tabs_pdf,
)
from discretion.scratch import scratch_dir

DEFAULT_SUBTITLE = "Submitted in support of a request for prosecutorial discretion"


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based page of the packet the bookmark opens


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
    parts: tuple[splitting.Part, ...] = ()  # written beside the packet when split=True

    @property
    def over_limit(self) -> bool:
        return self.size > self.max_bytes

    def summary(self) -> str:
        lines = [
            f"packet: {self.path} — {self.pages} pages, {self.size / 1024 / 1024:.1f} MB, "
            f"{len(self.bookmarks)} bookmarks"
        ]
        for exhibit in self.exhibits:
            assert exhibit.first_page is not None and exhibit.pages is not None
            lines.append(
                f"  Exhibit {exhibit.tab}: {'page' if exhibit.pages == 1 else 'pages'} {page_range(exhibit.first_page, exhibit.pages)}"
                f" — {exhibit.description}"
            )
        if self.compression:
            lines.append(compression.report(self.compression))
        for part in self.parts:
            lines.append(
                f"  part: {part.path.name} — pages {part.first_page}–{part.last_page}, "
                f"{part.size / 1024 / 1024:.1f} MB"
                + (" (still over the limit: one page is)" if part.size > self.max_bytes else "")
            )
        if self.over_limit and not self.parts:
            lines.append(
                f"warning: the packet is over {self.max_bytes / 1024 / 1024:g} MB ({MAX_MB_SOURCE}); "
                "use --compress, or split it into _Part1, _Part2 for upload"
            )
        return "\n".join(lines)


def caption_of(facts: CaseFacts) -> Caption:
    identity = facts.identity
    return Caption(
        name=identity.name or "(name not given)",
        a_number=_a_number(str(identity.a_number)) if identity.a_number else "(not given)",
        reference=facts.case_id,
    )


def _a_number(digits: str) -> str:
    """``208555014`` -> ``208-555-014``, as EOIR prints it."""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if len(digits) == 9 and digits.isdigit() else digits


def bates_prefix_of(facts: CaseFacts) -> str:
    """``LOPEZ-`` from a case id such as ``LOPEZ-2026-014``, else from the last word of the name."""
    words = re.findall(r"[A-Za-z]+", _ascii(facts.case_id or ""))
    if not words:
        words = re.findall(r"[A-Za-z]+", _ascii(facts.identity.name or ""))[-1:]
    return (words[0].upper()[:12] if words else "EXH") + "-"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


CoverSource = bytes | Callable[[Sequence[Exhibit]], bytes] | None


def build_packet(
    cover_pdf: CoverSource,
    exhibits: Sequence[Exhibit],
    *,
    caption: Caption,
    bates_prefix: str,
    out_path: Path,
    preflight: Preflight | None = None,
    required: dict[str, str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    compress_dpi: int | None = None,
    split: bool = False,
    subtitle: str | None = DEFAULT_SUBTITLE,
) -> PacketReport:
    """Build the packet at ``out_path``; raises DocumentError (and writes nothing) on any error.

    ``cover_pdf`` is the cover letter as PDF bytes, or a function rendering it from the
    exhibits: it is then called again with each exhibit's packet pages filled in, so the
    letter's exhibit list can cite them (until its own page count holds).

    Runs preflight itself unless given one; a preflight error stops the build with that
    error's message, naming the file. With ``split``, a packet over ``max_mb`` is also written
    as ``<name>_Part1.pdf``, ``_Part2`` ... beside ``out_path``, each under the limit.
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
    with scratch_dir("packet") as scratch:
        return _assemble(
            cover_pdf,
            exhibits,
            check,
            caption,
            bates_prefix,
            out_path,
            scratch,
            compress_dpi,
            split,
            subtitle,
            max_mb,
        )


def _assemble(
    cover_source: CoverSource,
    exhibits: Sequence[Exhibit],
    check: Preflight,
    caption: Caption,
    prefix: str,
    out_path: Path,
    scratch: Path,
    compress_dpi: int | None,
    split: bool,
    subtitle: str | None,
    max_mb: float,
) -> PacketReport:
    # Each exhibit's parts (original, then translation) with their page counts, from preflight.
    try:
        parts = [[check.sources[p] for p in (e.file, e.translation) if p is not None] for e in exhibits]
    except KeyError as exc:
        raise DocumentError(
            f"{exc.args[0]}: not checked by the preflight given; run preflight on these exhibits"
        ) from None
    # Started first: the conversions run in workers while the cover, index and tabs are typeset.
    # The practitioner's turn applies to the exhibit's own file, not to its typed translation.
    turns = [turn for e in exhibits for p, turn in ((e.file, e.turn), (e.translation, 0)) if p is not None]
    flat = [s for g in parts for s in g]
    jobs = [
        (source, scratch / f"{n:05d}.pdf", turn)
        for n, (source, turn) in enumerate(zip(flat, turns, strict=True))
    ]
    with converting.Preparer(jobs, compress_dpi) as preparer:
        return _bind(
            cover_source,
            exhibits,
            parts,
            preparer,
            check,
            caption,
            prefix,
            out_path,
            scratch,
            split,
            subtitle,
            max_mb,
        )


def _bind(
    cover_source: CoverSource,
    exhibits: Sequence[Exhibit],
    parts: list[list[Source]],
    preparer: converting.Preparer,
    check: Preflight,
    caption: Caption,
    prefix: str,
    out_path: Path,
    scratch: Path,
    split: bool,
    subtitle: str | None,
    max_mb: float,
) -> PacketReport:
    counts = [sum(s.pages for s in group) for group in parts]
    cover_pdf, index, placed = _settle_cover(cover_source, exhibits, counts, caption, prefix, subtitle)
    cover_pages = _cover_pages(cover_pdf)
    tabs = tabs_pdf(caption, [_tab_entry(e) for e in placed])

    marks = [Bookmark("Cover letter", 1)] if cover_pdf is not None else []
    marks.append(Bookmark("Index of exhibits", cover_pages + 1))
    marks += [Bookmark(_bookmark_title(e), (e.first_page or 0) - 1) for e in placed]
    front = scratch / "front.pdf"
    first_tab = cover_pages + _page_count(index) + 1  # front page of tab A
    front_pages = binding.front_matter(
        [d for d in (cover_pdf, index, tabs) if d is not None],
        [(m.title, _front_page(m, first_tab, placed)) for m in marks],
        front,
        title=f"Exhibits — {caption.name} ({caption.a_number})",
    )
    front_sizes = binding.page_sizes(front)
    front_page_bytes = front.stat().st_size // max(1, front_pages)
    runs = [binding.Run(front, f"1-{first_tab - 1}")]
    sizes = front_sizes[: first_tab - 1]
    page_bytes = [front_page_bytes] * len(sizes)  # estimates, for splitting into parts
    savings: list[compression.Saving] = []
    ready = preparer.results()
    for n, (group, tab_size) in enumerate(zip(parts, front_sizes[first_tab - 1 :], strict=True)):
        runs.append(binding.Run(front, str(first_tab + n)))
        sizes.append(tab_size)
        page_bytes.append(front_page_bytes)
        for _ in group:
            done = next(ready)
            if done.saving is not None:
                savings.append(done.saving)
            runs.append(binding.Run(done.path))
            sizes += done.shapes
            page_bytes += [done.size // len(done.shapes)] * len(done.shapes)
    stamps = scratch / "stamps.pdf"
    stamps.write_bytes(stamps_pdf(sizes, prefix=prefix))
    size = binding.bind(front, runs, stamps, out_path)
    max_bytes = int(max_mb * 1024 * 1024)
    pieces: list[splitting.Part] = []
    if split and size > max_bytes:
        tab_pages = [(e.first_page or 0) - 1 for e in placed]
        pieces = splitting.write_parts(out_path, splitting.plan(page_bytes, tab_pages, max_bytes), max_bytes)
    return PacketReport(
        path=out_path,
        pages=len(sizes),
        size=size,
        exhibits=tuple(placed),
        bookmarks=tuple(marks),
        preflight=check,
        compression=tuple(savings),
        max_bytes=max_bytes,
        parts=tuple(pieces),
    )


def _settle_cover(
    cover: CoverSource,
    exhibits: Sequence[Exhibit],
    counts: list[int],
    caption: Caption,
    prefix: str,
    subtitle: str | None,
) -> tuple[bytes | None, bytes, list[Exhibit]]:
    """The cover, the index and the placed exhibits, once the cover's page count holds."""
    if not callable(cover):
        index, placed = _index_until_stable(exhibits, counts, _cover_pages(cover), caption, prefix, subtitle)
        return cover, index, placed
    data = cover(exhibits)  # a first rendering, without page numbers, to count its pages
    for _ in range(4):
        pages = _cover_pages(data)
        index, placed = _index_until_stable(exhibits, counts, pages, caption, prefix, subtitle)
        data = cover(placed)
        if _cover_pages(data) == pages:
            return data, index, placed
    raise DocumentError("cover letter: its page count changes each time page numbers are added")


def _cover_pages(cover_pdf: bytes | None) -> int:
    if cover_pdf is None:
        return 0
    try:
        return _page_count(cover_pdf)
    except pikepdf.PdfError as exc:
        raise DocumentError(f"cover letter: not a readable PDF ({exc})") from None


def _page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as doc:
        return len(doc.pages)


def _front_page(mark: Bookmark, first_tab: int, placed: Sequence[Exhibit]) -> int:
    """Where a bookmark's page sits in the front PDF, which holds only cover, index and tabs."""
    if mark.page < first_tab:
        return mark.page
    tab_pages = [(e.first_page or 0) - 1 for e in placed]
    return first_tab + tab_pages.index(mark.page)


def _bookmark_title(exhibit: Exhibit) -> str:
    title = f"Exhibit {exhibit.tab} — {exhibit.description}"
    if exhibit.translation is not None:
        title += " (with certified English translation)"
    return title


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
