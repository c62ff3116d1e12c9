"""Splitting a packet that is over the upload limit into ``_Part1``, ``_Part2``, ... files.

EOIR's ECAS guidelines (letters-and-filing.md, S11, confidence P) take at most 25 MB per
document and ask for a larger one to be uploaded in parts named in order. Parts are cut at
exhibit boundaries (a tab page starts each part after the first), so no exhibit is divided
unless it alone is over the limit. Page stamps and Bates numbers run on across parts, as the
index printed in part 1 refers to them. Sizes are estimated from the inputs, then checked on
the written part; a part still too large is cut again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from discretion import scratch
from discretion.errors import DocumentError


@dataclass(frozen=True)
class Part:
    path: Path
    first_page: int  # 1-based, in the whole packet
    last_page: int
    size: int


def plan(page_bytes: Sequence[int], cuts: Sequence[int], max_bytes: int) -> list[tuple[int, int]]:
    """Page ranges (1-based, inclusive) whose estimated sizes stay under ``max_bytes``.

    ``cuts`` are the pages a part may start on (each exhibit's tab page); when an exhibit
    alone is too large, its own pages become cut points.
    """
    budget = int(max_bytes * 0.9)  # a part's own overhead (page tree, fonts) is not in the estimate
    allowed = sorted(set(cuts) | {1})
    ranges: list[tuple[int, int]] = []
    start, total = 1, 0
    bounds = [*allowed[1:], len(page_bytes) + 1]
    segment_start = 1
    for end in bounds:
        segment = sum(page_bytes[segment_start - 1 : end - 1])
        if total and total + segment > budget:
            ranges.append((start, segment_start - 1))
            start, total = segment_start, 0
        if segment > budget:  # one exhibit over the limit by itself: cut it by pages
            for page in range(segment_start, end):
                weight = page_bytes[page - 1]
                if total and total + weight > budget:
                    ranges.append((start, page - 1))
                    start, total = page, 0
                total += weight
        else:
            total += segment
        segment_start = end
    ranges.append((start, len(page_bytes)))
    return ranges


def write_parts(packet: Path, ranges: Sequence[tuple[int, int]], max_bytes: int) -> list[Part]:
    """Write each range of ``packet`` as ``<stem>_PartN.pdf`` beside it; all or nothing."""
    temps: list[tuple[Path, int, int, int]] = []
    with ExitStack() as stack:  # each part staged (locked) beside the packet until renamed
        return _write_parts(packet, ranges, max_bytes, temps, stack)


def _write_parts(
    packet: Path,
    ranges: Sequence[tuple[int, int]],
    max_bytes: int,
    temps: list[tuple[Path, int, int, int]],
    stack: ExitStack,
) -> list[Part]:
    try:
        queue = list(ranges)
        while queue:
            first, last = queue.pop(0)
            fd, temp = stack.enter_context(scratch.staged(packet, f".{first}-{last}.part"))
            stack.callback(os.close, fd)
            size = _extract(packet, first, last, temp)
            if size > max_bytes and last > first:
                temp.unlink()
                middle = (first + last) // 2
                queue[:0] = [(first, middle), (middle + 1, last)]
                continue
            temps.append((temp, first, last, size))
        parts = []
        for number, (temp, first, last, size) in enumerate(temps, 1):
            final = packet.with_name(f"{packet.stem}_Part{number}{packet.suffix}")
            _retitle(temp, number, len(temps))
            size = temp.stat().st_size
            os.replace(temp, final)
            parts.append(Part(final, first, last, size))
        return parts
    except (pikepdf.PdfError, OSError) as exc:
        for temp, *_ in temps:
            temp.unlink(missing_ok=True)
        raise DocumentError(f"{packet}: could not be split into parts ({exc})") from None


def _extract(packet: Path, first: int, last: int, target: Path) -> int:
    # A qpdf job reads the packet lazily, as binding does, so memory stays flat.
    job = pikepdf.Job(
        ["qpdf", "--no-warn", "--warning-exit-0", "--object-streams=generate", str(packet),
         "--pages", str(packet), f"{first}-{last}", "--", str(target)]
    )  # fmt: skip
    job.run()
    if job.exit_code != 0:
        raise pikepdf.PdfError(f"qpdf exit code {job.exit_code}")
    return target.stat().st_size


def _retitle(path: Path, number: int, count: int) -> None:
    """Drop bookmarks to pages in other parts and say "Part N of M" in the title."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_outline() as outline:
            kept = [item for item in outline.root if _points_inside(item)]
            outline.root[:] = kept
        title = str(pdf.docinfo.get(pikepdf.Name.Title, "Exhibits"))
        pdf.docinfo[pikepdf.Name.Title] = f"{title} — Part {number} of {count}"
        pdf.save(path)


def _points_inside(item: pikepdf.OutlineItem) -> bool:
    destination = item.destination
    if not isinstance(destination, pikepdf.Array) or len(destination) == 0:
        return False
    target = destination[0]
    return isinstance(target, pikepdf.Dictionary) and target.get(pikepdf.Name.Type) == pikepdf.Name.Page
