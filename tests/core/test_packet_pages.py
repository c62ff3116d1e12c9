"""The packet passes a clerk's eye: one index and one page numbering, stamps that never cover
content, every page upright and portrait, damaged files that lost their pages refused, and a
tagged PDF with its language, title and bookmarks.

The stamp test renders every page twice, with and without the stamp overlay (the build's
``stamps_pdf`` swapped for blank pages of the same sizes), and the overlay alone: the ink of
the page's own text and images never falls inside the box of a stamp label.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import packet_fixtures as fx
import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from discretion.casefile import load_case
from discretion.errors import DocumentError
from discretion.packets import Caption, build_packet, load_exhibits, run_preflight
from discretion.packets import build as build_module
from discretion.packets import cover as collaborators
from discretion.packets.paper import STAMP_BAND
from discretion.packets.sources import IMAGE_BORDER
from discretion.packets.typesetting import stamps_pdf
from discretion.policies import shipped
from discretion.screening import screen

EXAMPLE = Path(__file__).parents[2] / "examples" / "maria-lopez.yaml"
CAPTION = Caption("María Elena López Hernández", "208-555-014", "LOPEZ-2026-014")
ON = date(2026, 11, 28)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages that run to the edge of the paper: where an unfitted stamp would cover them."""
    folder = tmp_path_factory.mktemp("edges")
    fx.edge_pdf(folder / "1 full-bleed text.pdf")
    fx.scan(folder / "2 full-page scan.jpg", dpi=100)
    fx.text_pdf(folder / "3 wide.pdf", 1, size=(792, 612), title="WIDE")
    fx.text_pdf(folder / "4 turned.pdf", 1, rotate=90, title="TURNED")
    fx.text_pdf(folder / "5 a4.pdf", 1, size=fx.A4, title="AFOUR")
    fx.jpeg(folder / "6 phone.jpg", size=(1200, 900), exif_orientation=6)
    return folder


def letter_cover(exhibits):
    facts = load_case(EXAMPLE)
    policy = shipped().select(ON)
    return collaborators.letter_pdf(facts, screen(facts, policy, on=ON), policy, on=ON, exhibits=exhibits)


def _build(folder: Path, out: Path, cover=None):
    return build_packet(
        cover if cover is not None else letter_cover,
        load_exhibits(folder),
        caption=CAPTION,
        bates_prefix="LOPEZ-",
        out_path=out,
    )


def _blank_overlay(sizes, *, prefix):
    with pikepdf.new() as pdf:
        for width, height in sizes:
            pdf.add_blank_page(page_size=(width, height))
        data = io.BytesIO()
        pdf.save(data)
        return data.getvalue()


def render(path: Path, folder: Path, stem: str) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-gray", "-r", "72", "-png", str(path), str(folder / stem)], check=True)
    files = sorted(folder.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("L") for f in files]


@pytest.fixture(scope="module")
def packets(edges: Path, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("packets")
    stamped = work / "stamped.pdf"
    report = _build(edges, stamped)
    bare = work / "bare.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "stamps_pdf", _blank_overlay)
        _build(edges, bare)
    overlay = work / "overlay.pdf"
    overlay.write_bytes(stamps_pdf(build_module.binding.page_sizes(stamped), prefix="LOPEZ-"))
    return report, stamped, bare, overlay, work


def test_stamps_never_cover_the_pages_text_or_images(packets):
    report, stamped, bare, overlay, work = packets
    labels, content = render(overlay, work, "overlay"), render(bare, work, "bare")
    assert len(labels) == len(content) == report.pages
    for number, (label, page) in enumerate(zip(labels, content, strict=True), 1):
        stamp_ink = label.point(lambda v: 255 if v < 200 else 0).getbbox()
        assert stamp_ink is not None, number
        # The label is the text's box plus its 3 pt white inset.
        x0, y0, x1, y1 = stamp_ink
        box = (max(0, x0 - 4), max(0, y0 - 4), x1 + 4, y1 + 4)
        under = page.crop(box).point(lambda v: 255 if v < 250 else 0).getbbox()
        assert under is None, f"page {number}: content under the stamp at {box}"


def test_every_page_is_upright_portrait_letter(packets):
    report, stamped, *_ = packets
    with pikepdf.open(stamped) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            box = [round(float(v)) for v in page.mediabox]
            assert box == [0, 0, 612, 792], number
            assert int(page.obj.get("/Rotate", 0)) == 0, number
    texts = [p.extract_text() or "" for p in PdfReader(stamped).pages]
    wide, turned, afour = report.exhibits[2], report.exhibits[3], report.exhibits[4]
    # Text still reads as text, upright (extraction would scramble a sideways page's words).
    assert "WIDE page 1" in texts[wide.first_page - 1]
    assert "TURNED page 1" in texts[turned.first_page - 1]
    assert "AFOUR page 1" in texts[afour.first_page - 1]


def test_a_phone_photo_follows_its_exif_orientation(packets):
    report, _, bare, _, work = packets
    phone = report.exhibits[5]  # stored 1200 x 900, EXIF 6: a portrait photo
    (image,) = [render(bare, work, "bare")[phone.first_page - 1]]
    ink = image.point(lambda v: 255 if v < 250 else 0).getbbox()
    assert ink is not None
    x0, y0, x1, y1 = ink
    assert (y1 - y0) > (x1 - x0)  # taller than wide, as the phone held it


def test_preflight_reports_what_it_turns(edges):
    check = run_preflight(load_exhibits(edges))
    by_file = {}
    for f in check.findings:
        by_file.setdefault(f.subject, []).append(f.message)
    assert any("landscape: turned to portrait" in m for m in by_file["3 wide.pdf"])
    assert any("turned upright by the page's /Rotate" in m for m in by_file["4 turned.pdf"])
    assert any("turned upright by its EXIF orientation" in m for m in by_file["6 phone.jpg"])
    assert any("A4" in m for m in by_file["5 a4.pdf"])


def test_the_packet_has_one_index_and_one_page_numbering(packets):
    report, stamped, *_ = packets
    texts = [" ".join((p.extract_text() or "").split()) for p in PdfReader(stamped).pages]
    assert sum("INDEX OF EXHIBITS" in t for t in texts) == 1
    assert not any("Index of Exhibits Tab" in t for t in texts)  # the letter's own index is gone
    assert "Enclosures: Exhibits A–F (see the Index of Exhibits that follows)" in " ".join(texts)
    for n, text in enumerate(texts, 1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {n} of {report.pages}"], n


def test_the_packet_is_a_tagged_pdf_with_language_title_and_bookmarks(packets):
    report, stamped, *_ = packets
    with pikepdf.open(stamped) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-US"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == f"Exhibits — {CAPTION.name} ({CAPTION.a_number})"
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == str(pdf.docinfo.Title)
        tree = root.StructTreeRoot
        document = tree.K[0]
        assert pikepdf.Name.Document == document.S
        parts = list(document.K)
        assert len(parts) >= 3  # the letter, the index, the tab pages
        pages = {page.objgen for page in pdf.pages}
        cover_pages = {p.objgen for p in pdf.pages[: report.exhibits[0].first_page - 2]}

        def referenced(node, seen=None) -> set:
            seen = seen if seen is not None else set()
            if isinstance(node, pikepdf.Dictionary):
                if "/Pg" in node:
                    seen.add(node.Pg.objgen)
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                    referenced(kid, seen)
            return seen

        used = referenced(document)
        assert used and used <= pages  # every tagged element points at a page of the packet
        assert cover_pages & used  # the letter's pages are tagged
        keys = {int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj}
        nums = tree.ParentTree.Nums
        assert keys <= {int(nums[i]) for i in range(0, len(nums), 2)}
        assert int(tree.ParentTreeNextKey) > max(keys)
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert titles[:2] == ["Cover letter", "Index of exhibits"]
    assert len(titles) == 2 + len(report.exhibits)


def test_a_repaired_file_that_lost_its_pages_is_refused_naming_them(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "1 fine.pdf")
    fx.blank_repaired_pdf(folder / "2 download.pdf")
    check = run_preflight(load_exhibits(folder))
    assert not check.ok
    (error,) = check.errors
    assert error.subject == "2 download.pdf"
    assert "pages 1–2 of 2 blank" in error.message or "all pages of 2 blank" in error.message
    with pytest.raises(DocumentError, match="2 download.pdf: is damaged"):
        build_packet(
            None, load_exhibits(folder), caption=CAPTION, bates_prefix="X-", out_path=tmp_path / "p.pdf"
        )
    assert not (tmp_path / "p.pdf").exists()


def test_a_repaired_file_whose_pages_all_show_content_passes_with_a_warning(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.truncated_pdf(folder / "download.pdf", keep=0.97)
    check = run_preflight(load_exhibits(folder))
    assert check.ok
    (warning,) = [f for f in check.warnings if f.subject == "download.pdf"]
    assert "repaired; all 3 page(s) still show content" in warning.message


def test_the_image_border_is_the_stamp_band():
    assert IMAGE_BORDER >= STAMP_BAND


def _dark_corner(pdf: Path) -> str:
    """Which quarter of the rendered first page holds the ink: 'top-left', 'bottom-right', ..."""
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "20", "-f", "1", "-l", "1", "-singlefile", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    img = Image.open(io.BytesIO(png)).convert("L")
    w, h = img.size
    dark = [(x, y) for y in range(h) for x in range(w) if img.getpixel((x, y)) < 100]
    assert dark, "nothing drawn on the page"
    cx = sum(x for x, _ in dark) / len(dark)
    cy = sum(y for _, y in dark) / len(dark)
    return f"{'top' if cy < h / 2 else 'bottom'}-{'left' if cx < w / 2 else 'right'}"


def _corner_mark(path: Path) -> Path:
    """A portrait Letter page with one black block in its top-left corner."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(612, 792))
    page.contents_add(pdf.make_stream(b"0 0 0 rg 40 640 160 120 re f"))
    pdf.save(path)
    return path


@pytest.mark.parametrize(
    ("turn", "corner"), [(0, "top-left"), (90, "top-right"), (180, "bottom-right"), (270, "bottom-left")]
)
def test_the_practitioners_turn_turns_every_page_clockwise(tmp_path, turn, corner):
    from discretion.packets.paper import fit_upright

    out = tmp_path / "fitted.pdf"
    fit_upright(_corner_mark(tmp_path / "scan.pdf"), out, turn)
    assert _dark_corner(out) == corner
    with pikepdf.open(out) as pdf:  # still portrait Letter, with no /Rotate left for viewers to disagree on
        assert [float(v) for v in pdf.pages[0].mediabox] == [0, 0, 612, 792] and "/Rotate" not in pdf.pages[
            0
        ].obj


def test_a_manifest_turns_an_exhibit_and_preflight_says_so(tmp_path):
    folder = tmp_path / "ex"
    folder.mkdir()
    _corner_mark(folder / "sideways.pdf")
    (folder / "exhibits.yaml").write_text(
        "- file: sideways.pdf\n  description: A scan that came out sideways\n  rotate: 90\n"
    )
    exhibits = load_exhibits(folder)
    assert exhibits[0].turn == 90
    check = run_preflight(exhibits)
    notes = [f.message for f in check.findings if f.subject == "sideways.pdf"]
    assert "every page turned 90° clockwise, as the exhibit list asks" in notes
    # A portrait page turned a quarter is shown landscape, and preflight warns about it.
    assert any("landscape" in n for n in notes)
    (folder / "exhibits.yaml").write_text("- file: sideways.pdf\n  description: Scan\n  rotate: 45\n")
    with pytest.raises(DocumentError, match=r"exhibits.yaml:3: entry 1: rotate: must be 0, 90, 180 or 270"):
        load_exhibits(folder)
