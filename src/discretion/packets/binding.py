"""Binding: the packet's pages put together in one pass by qpdf, stamped, and written in place.

pikepdf copies the stream data of every page it takes from another PDF into memory at once
(it sets qpdf's immediate-copy mode so a source closed early cannot break the result), so a
packet merged page by page in pikepdf holds all its scans in RAM: 520 MiB for a 600-page
packet, growing with the inputs. qpdf's own job runner (``pikepdf.Job``, the ``qpdf --pages``
command in-process) copies lazily: it reads each source's streams only while writing the
output, so memory stays flat whatever the page count.

So the work is split: pikepdf builds a small *front* PDF (cover letter, index, every tab
page) carrying the bookmarks, whose targets are all front pages; one qpdf job then
interleaves the front pages with the exhibit files, lays the stamp overlay over every page
(qpdf turns it for /Rotate pages, as pikepdf's ``add_overlay`` does) and writes a temporary
file beside the output, which is renamed into place only when complete.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from discretion.errors import DocumentError
from discretion.packets.sources import displayed_size


@dataclass(frozen=True)
class Run:
    """Pages taken in order from one file: the front PDF (``pages`` is a range there) or a source."""

    path: Path
    pages: str = "1-z"


def front_matter(
    parts: Sequence[bytes], marks: Sequence[tuple[str, int]], target: Path, *, title: str
) -> int:
    """Write the front PDF: the pages of ``parts`` (cover, index, tabs) in order, with a
    bookmark ``(title, 1-based front page)`` for each of ``marks``. Returns its page count."""
    with pikepdf.new() as front:
        for data in parts:
            with pikepdf.open(io.BytesIO(data)) as doc:
                front.pages.extend(doc.pages)
        with front.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(text, page - 1) for text, page in marks)
        front.Root.PageMode = pikepdf.Name.UseOutlines
        front.docinfo[pikepdf.Name.Title] = title
        front.docinfo[pikepdf.Name.Producer] = "discretion"
        front.save(target)
        return len(front.pages)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Displayed size of each page of ``path``; reads only the page tree, not the content."""
    with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
        return [displayed_size(page) for page in pdf.pages]


def bind(front: Path, runs: Sequence[Run], stamps: Path, out_path: Path) -> int:
    """Write ``runs`` (front runs included) with ``stamps`` over every page to ``out_path``.

    The front PDF is the primary input, so its catalogue (bookmarks, page mode, title) is the
    packet's. Returns the size written. On any failure nothing is left at ``out_path``.
    """
    handle, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=out_path.parent)
    os.close(handle)
    temp = Path(temp_name)
    args = [
        "qpdf",
        "--no-warn",  # preflight has already reported every repaired file
        "--warning-exit-0",
        "--object-streams=generate",
        str(front.resolve()),
        "--pages",
    ]
    for run in runs:
        args += [str(run.path.resolve()), run.pages]
    args += ["--", "--overlay", str(stamps.resolve()), "--", str(temp)]
    try:
        job = pikepdf.Job(args)
        job.run()
        if job.exit_code != 0:
            raise DocumentError(f"{out_path}: qpdf could not write the packet (exit code {job.exit_code})")
        size = temp.stat().st_size
        os.replace(temp, out_path)
    except DocumentError:
        temp.unlink(missing_ok=True)
        raise
    except (pikepdf.PdfError, pikepdf.JobUsageError, RuntimeError) as exc:
        temp.unlink(missing_ok=True)
        raise DocumentError(f"{out_path}: the packet could not be written ({exc})") from None
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise DocumentError(f"{out_path}: could not be written ({exc.strerror or exc})") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return size
