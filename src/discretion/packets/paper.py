"""Every exhibit page made upright, portrait US Letter, with room for the stamps.

8 C.F.R. §1003.32 asks for 8½ × 11 in paper, and the research notes say to scale or place other
sizes on Letter pages (letters-and-filing.md §2.2, confidence C for the size rule). A packet is
read in a portrait binder, and the page and Bates stamps at the foot must never cover anything
on the page. So each exhibit page is:

- turned as its /Rotate says and the rotation baked in, so the page shows as its author meant it
  and carries /Rotate 0 (stamps, viewers and printers then agree on what is up);
- fitted, upright and uniformly scaled, inside the *stamp-safe area* of a portrait Letter page —
  the whole page above the stamp band at the foot. A landscape page keeps its reading direction
  and is scaled down to the page width; an A4 or Legal page is scaled to fit;
- marked as an artifact for screen readers (the packet's tab page, tagged, names the exhibit)
  and stripped of /StructParents keys that would collide with the packet's own structure tree.

The page's content is only wrapped in a transformation, never re-rendered, so text stays text;
link annotations move with it. Converted images go through the same fitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from discretion.packets import active_content
from discretion.packets.sources import LETTER

# The foot of the page the stamps use: "Page N of M" and the Bates number sit 16 pt above the
# bottom edge on a label about 13 pt tall (templates/stamps.typ), so 36 pt (half an inch)
# leaves them clear space. Nothing of an exhibit is ever placed below this line.
STAMP_BAND = 36.0
_BOXES = ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox")


@dataclass(frozen=True)
class Area:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


SAFE = Area(0.0, STAMP_BAND, LETTER[0], LETTER[1])


@dataclass(frozen=True)
class Turned:
    """What fitting changed in one file."""

    pages: int
    rotated: tuple[int, ...]  # 1-based pages that carried /Rotate
    landscape: tuple[int, ...]  # pages shown landscape, now fitted upright on portrait paper
    resized: tuple[int, ...]  # pages of another paper size (A4, Legal...)


def fit_upright(path: Path, target: Path, turn: int = 0) -> Turned:
    """Write ``path`` to ``target`` with every page upright in the safe area of portrait Letter;
    ``turn`` (degrees clockwise, a multiple of 90) is the practitioner's own turn of every page."""
    rotated, landscape, resized = [], [], []
    with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if turn % 360:
                page.obj.Rotate = (int(page.obj.get("/Rotate", 0)) + turn) % 360
            kind = _fit(page)
            if "rotated" in kind:
                rotated.append(number)
            if "landscape" in kind:
                landscape.append(number)
            if "resized" in kind:
                resized.append(number)
        pages = len(pdf.pages)
        # The filed copy shows the pages and nothing runs: scripts, launch and form actions,
        # embedded files go (preflight named them from the same walk).
        active_content.strip(pdf)
        # Plain save: generating object streams from a file qpdf has repaired can lose its /Root
        # (qpdf 11); the binding job generates them for the whole packet anyway.
        pdf.save(target)
    return Turned(pages, tuple(rotated), tuple(landscape), tuple(resized))


def displayed(page: pikepdf.Page) -> tuple[float, float, float, float, int]:
    """The crop box (x0, y0, x1, y1) and the /Rotate (0, 90, 180, 270) of ``page``."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    return x0, y0, x1, y1, rotate - rotate % 90


def matrix(box: tuple[float, float, float, float, int], area: Area = SAFE) -> tuple[float, ...]:
    """The transformation from the page's user space to its place inside ``area``: the /Rotate
    applied (clockwise, as viewers show it), then a uniform scale, centred."""
    x0, y0, x1, y1, rotate = box
    w, h = x1 - x0, y1 - y0
    # Page space -> displayed space with the origin at the displayed page's lower-left corner.
    rotations = {
        0: (1.0, 0.0, 0.0, 1.0, -x0, -y0),
        90: (0.0, -1.0, 1.0, 0.0, -y0, w + x0),
        180: (-1.0, 0.0, 0.0, -1.0, x0 + w, y0 + h),
        270: (0.0, 1.0, -1.0, 0.0, y0 + h, -x0),
    }
    a, b, c, d, e, f = rotations[rotate]
    shown_w, shown_h = (h, w) if rotate in (90, 270) else (w, h)
    scale = min(area.width / shown_w, area.height / shown_h)
    tx = area.x0 + (area.width - shown_w * scale) / 2
    ty = area.y0 + (area.height - shown_h * scale) / 2
    return (a * scale, b * scale, c * scale, d * scale, e * scale + tx, f * scale + ty)


def _fit(page: pikepdf.Page) -> set[str]:
    box = displayed(page)
    x0, y0, x1, y1, rotate = box
    width, height = x1 - x0, y1 - y0
    if width <= 0 or height <= 0:
        return set()
    shown_w, shown_h = (height, width) if rotate in (90, 270) else (width, height)
    kind = set()
    if rotate:
        kind.add("rotated")
    if shown_w > shown_h:
        kind.add("landscape")
    if abs(min(shown_w, shown_h) - LETTER[0]) > 3 or abs(max(shown_w, shown_h) - LETTER[1]) > 3:
        kind.add("resized")
    m = matrix(box)
    ops = " ".join(f"{v:.6f}" for v in m)
    # An artifact to screen readers; the original's own marked content stays inside it.
    page.contents_add(f"/Artifact BMC q {ops} cm\n".encode(), prepend=True)
    page.contents_add(b"\nQ EMC\n", prepend=False)
    page.obj.MediaBox = pikepdf.Array([0, 0, LETTER[0], LETTER[1]])
    for name in (*_BOXES, "/Rotate", "/StructParents"):
        if name in page.obj:
            del page.obj[name]
    for annot in page.obj.get("/Annots", pikepdf.Array()):
        if isinstance(annot, pikepdf.Dictionary):
            if "/Rect" in annot:
                annot.Rect = pikepdf.Array(_transform_rect([float(v) for v in annot.Rect], m))
            if "/StructParent" in annot:
                del annot["/StructParent"]
    return kind


def _transform_rect(rect: list[float], m: tuple[float, ...]) -> list[float]:
    a, b, c, d, e, f = m
    corners = [(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return [min(xs), min(ys), max(xs), max(ys)]
