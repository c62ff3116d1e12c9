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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from discretion import scratch
from discretion.errors import DocumentError
from discretion.packets.sources import displayed_size


@dataclass(frozen=True)
class Run:
    """Pages taken in order from one file: the front PDF (``pages`` is a range there) or a source."""

    path: Path
    pages: str = "1-z"


def front_matter(
    parts: Sequence[bytes], marks: Sequence[tuple[str, int]], target: Path, *, title: str, lang: str = "en-US"
) -> int:
    """Write the front PDF: the pages of ``parts`` (cover, index, tabs) in order, with a
    bookmark ``(title, 1-based front page)`` for each of ``marks``. Returns its page count.

    The parts are tagged PDFs (Typst writes them so); their structure trees are merged into one,
    so the packet is a tagged PDF too: /MarkInfo, /Lang, the title shown in the window, and a
    structure tree whose parts are the letter, the index and the tab pages. The exhibit pages
    that the binding job adds are marked as artifacts (``paper.fit_upright``), their tab pages
    announcing them."""
    with pikepdf.new() as front:
        tops: list[pikepdf.Object] = []
        numbers: list[tuple[int, pikepdf.Object]] = []
        roles: dict[str, pikepdf.Object] = {}
        next_key = 0
        for data in parts:
            with pikepdf.open(io.BytesIO(data)) as doc:
                first = len(front.pages)
                front.pages.extend(doc.pages)
                tree = doc.Root.get("/StructTreeRoot")
                if tree is None:
                    continue
                # Copied after the pages, through the same foreign-object map: the elements'
                # /Pg references land on the pages just copied, not on new copies of them.
                copied = front.copy_foreign(tree)
                offset = next_key
                pairs = _number_tree(copied.get("/ParentTree"))
                for key, value in pairs:
                    numbers.append((key + offset, value))
                next_key = offset + (max((k for k, _ in pairs), default=-1) + 1)
                for page in front.pages[first:]:
                    _shift_struct_keys(page, offset)
                kids = copied.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == pikepdf.Name.Document:
                        kid.S = pikepdf.Name.Part  # one document, of several parts
                    tops.append(kid)
                for name, role in (copied.get("/RoleMap") or pikepdf.Dictionary()).items():
                    roles.setdefault(name, role)
        root = front.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = front.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
        )
        document.K = pikepdf.Array(tops)
        for kid in tops:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = document
        root.K = pikepdf.Array([document])
        nums = pikepdf.Array()
        for key, value in sorted(numbers, key=lambda kv: kv[0]):
            nums.append(key)
            nums.append(value)
        root.ParentTree = front.make_indirect(pikepdf.Dictionary(Nums=nums))
        root.ParentTreeNextKey = next_key
        if roles:
            root.RoleMap = pikepdf.Dictionary(roles)
        front.Root.StructTreeRoot = root
        front.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        front.Root.Lang = pikepdf.String(lang)
        front.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        with front.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(text, page - 1) for text, page in marks)
        front.Root.PageMode = pikepdf.Name.UseOutlines
        front.docinfo[pikepdf.Name.Title] = title
        front.docinfo[pikepdf.Name.Producer] = "discretion"
        with front.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [lang]
        front.save(target)
        return len(front.pages)


def _number_tree(node: pikepdf.Object | None) -> list[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a PDF number tree, flattened."""
    if node is None:
        return []
    out: list[tuple[int, pikepdf.Object]] = []
    nums = node.get("/Nums")
    if nums is not None:
        out += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in node.get("/Kids") or []:
        out += _number_tree(kid)
    return out


def _shift_struct_keys(page: pikepdf.Page, offset: int) -> None:
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annot in page.obj.get("/Annots") or []:
        if isinstance(annot, pikepdf.Dictionary) and "/StructParent" in annot:
            annot.StructParent = int(annot.StructParent) + offset


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Displayed size of each page of ``path``; reads only the page tree, not the content."""
    with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
        return [displayed_size(page) for page in pdf.pages]


def bind(front: Path, runs: Sequence[Run], stamps: Path, out_path: Path) -> int:
    """Write ``runs`` (front runs included) with ``stamps`` over every page to ``out_path``.

    The front PDF is the primary input, so its catalogue (bookmarks, page mode, title) is the
    packet's. Returns the size written. On any failure nothing is left at ``out_path``.
    """
    scratch.sweep_beside(out_path)  # what a killed run left
    with scratch.staged(out_path, ".part") as (handle, temp):
        try:
            return _bind(front, runs, stamps, out_path, temp)
        finally:
            os.close(handle)  # after the rename: the lock covers the file until it is in place


def _bind(front: Path, runs: Sequence[Run], stamps: Path, out_path: Path, temp: Path) -> int:
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
