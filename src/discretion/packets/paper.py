"""Putting pages of other paper sizes (A4 from abroad, Legal, odd scanner sizes) on US Letter.

8 C.F.R. §1003.32 asks for 8½ × 11 in paper, and the research notes say to scale or place
other sizes on Letter pages (letters-and-filing.md §2.2, confidence C for the size rule). Each
such page is scaled uniformly to fit a Letter page of its own orientation and centred; the
page's content is only wrapped in a transformation, never re-rendered, so text stays text.
Link annotations are moved with the content.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from discretion.packets.sources import LETTER, is_letter

_BOXES = ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox")


def fit_to_letter(path: Path, target: Path) -> int:
    """Write ``path`` to ``target`` with every non-Letter page fitted on Letter.

    Returns how many pages were changed (0: nothing written, file ``path`` as it is)."""
    changed = 0
    with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
        for page in pdf.pages:
            changed += _fit(page)
        if changed:
            pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return changed


def _fit(page: pikepdf.Page) -> int:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    width, height = x1 - x0, y1 - y0
    if width <= 0 or height <= 0 or is_letter((width, height)):
        return 0
    # Decided on the unrotated page: /Rotate turns the Letter page and its content alike.
    page_w, page_h = (LETTER[1], LETTER[0]) if width > height else LETTER
    scale = min(page_w / width, page_h / height)
    dx = (page_w - width * scale) / 2 - x0 * scale
    dy = (page_h - height * scale) / 2 - y0 * scale
    page.contents_add(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f} cm\n".encode(), prepend=True)
    page.contents_add(b"\nQ\n", prepend=False)
    page.obj.MediaBox = pikepdf.Array([0, 0, page_w, page_h])
    for box in _BOXES:
        if box in page.obj:
            del page.obj[box]
    for annot in page.obj.get("/Annots", pikepdf.Array()):
        if isinstance(annot, pikepdf.Dictionary) and "/Rect" in annot:
            ax0, ay0, ax1, ay1 = (float(v) for v in annot.Rect)
            annot.Rect = pikepdf.Array(
                [ax0 * scale + dx, ay0 * scale + dy, ax1 * scale + dx, ay1 * scale + dy]
            )
    return 1
