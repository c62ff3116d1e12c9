"""Filing packets: every produced PDF is opened and checked page by page.

Inputs are generated per test by ``packet_fixtures`` (Typst, Pillow, pikepdf, pillow-heif).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import packet_fixtures as fx
import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from discretion.cli import main
from discretion.errors import DocumentError
from discretion.packets import (
    Caption,
    build_packet,
    load_exhibits,
    run_preflight,
    tab_letter,
)
from discretion.packets import build as build_module

CAPTION = Caption("María Elena López Hernández", "208-555-014", "LOPEZ-2026-014")
EXAMPLE = Path(__file__).parents[2] / "examples" / "maria-lopez.yaml"


def cover(tmp_path: Path, pages: int = 2) -> bytes:
    return fx.text_pdf(tmp_path / "cover.pdf", pages, title="COVER LETTER").read_bytes()


def build(tmp_path: Path, folder: Path, *, cover_pages: int = 2, **kwargs):
    out = tmp_path / "out" / "packet.pdf"
    out.parent.mkdir(exist_ok=True)
    report = build_packet(
        cover(tmp_path, cover_pages) if cover_pages else None,
        load_exhibits(folder),
        caption=CAPTION,
        bates_prefix="LOPEZ-",
        out_path=out,
        **kwargs,
    )
    return report, out


def texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def outline(path: Path) -> list[tuple[str, int, list[tuple[str, int]]]]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as tree:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages, 1)}

        def target(item: pikepdf.OutlineItem) -> int:
            return pages[item.destination[0].objgen]

        return [
            (item.title, target(item), [(c.title, target(c)) for c in item.children]) for item in tree.root
        ]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Every accepted kind of upload, in an unmanifested folder."""
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "01 - Birth certificate Daniel.pdf", 2, title="BIRTH")
    fx.jpeg(folder / "02 - Photo from phone.jpg", exif_orientation=6)
    fx.tiff(folder / "03 - School records.tiff", frames=3)
    fx.heic(folder / "04 - Family photo.heic")
    fx.png(folder / "10 - Tax return.png")
    fx.text_pdf(folder / "11 - Lease.pdf", 1, size=(792, 612), title="LEASE")
    fx.text_pdf(folder / "12 - Pay stubs.pdf", 2, rotate=90, title="PAYSTUBS")
    return folder


# --- the assembled packet ----------------------------------------------------------------


def test_it_has_cover_index_a_tab_per_exhibit_and_every_exhibit_page(tmp_path, mixed):
    report, out = build(tmp_path, mixed, cover_pages=2)

    exhibit_pages = 2 + 1 + 3 + 1 + 1 + 1 + 2
    assert report.pages == 2 + 1 + 7 + exhibit_pages
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == report.pages
    assert [e.pages for e in report.exhibits] == [2, 1, 3, 1, 1, 1, 2]
    assert out.stat().st_size == report.size


def test_every_page_says_page_n_of_m_and_carries_its_bates_number(tmp_path, mixed):
    report, out = build(tmp_path, mixed)

    pages = texts(out)
    total = len(pages)
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {total}" in text, n
        assert f"LOPEZ-{n:06d}" in text, n


def test_natural_order_gives_tabs_and_descriptions_from_file_names(tmp_path, mixed):
    report, _ = build(tmp_path, mixed)

    assert [(e.tab, e.description) for e in report.exhibits] == [
        ("A", "Birth certificate Daniel"),
        ("B", "Photo from phone"),
        ("C", "School records"),
        ("D", "Family photo"),
        ("E", "Tax return"),  # "10 -" sorts after "04 -", not after "01 -"
        ("F", "Lease"),
        ("G", "Pay stubs"),
    ]


def test_bookmarks_open_the_cover_the_index_and_each_exhibits_tab_page(tmp_path, mixed):
    report, out = build(tmp_path, mixed, cover_pages=2)

    marks = outline(out)
    assert marks[0] == ("Cover letter", 1, [])
    assert marks[1] == ("Index of exhibits", 3, [])
    assert len(marks) == 2 + len(report.exhibits)
    pages = texts(out)
    for (title, page, _), exhibit in zip(marks[2:], report.exhibits, strict=True):
        assert title == f"Exhibit {exhibit.tab} — {exhibit.description}"
        assert page == exhibit.first_page - 1  # the tab page just before the exhibit
        assert "EXHIBIT" in pages[page - 1] and exhibit.description in pages[page - 1]


def test_the_index_lists_each_exhibit_with_the_page_range_it_really_occupies(tmp_path, mixed):
    report, out = build(tmp_path, mixed, cover_pages=2)

    pages = texts(out)
    index = pages[2]
    assert "INDEX OF EXHIBITS" in index
    first = report.exhibits[0]
    assert first.first_page == 5 and first.pages == 2  # cover 1-2, index 3, tab 4
    for exhibit in report.exhibits:
        start, end = exhibit.first_page, exhibit.first_page + exhibit.pages - 1
        expected = f"{start}" if start == end else f"{start}–{end}"
        assert re.search(rf"{exhibit.tab}\s*{re.escape(exhibit.description)}.*?{expected}", index, re.S), (
            exhibit
        )
    assert "BIRTH page 1" in pages[first.first_page - 1]
    assert "BIRTH page 2" in pages[first.first_page]
    lease = report.exhibits[5]
    assert "LEASE page 1" in pages[lease.first_page - 1]


def test_a_long_index_that_spills_onto_two_pages_still_prints_right_ranges(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 46):
        fx.text_pdf(folder / f"{n:02d} - Letter of support number {n}.pdf", 1, title=f"DOC{n}")
    report, out = build(tmp_path, folder, cover_pages=1)

    pages = texts(out)
    assert "INDEX OF EXHIBITS" in pages[1]
    index_pages = report.exhibits[0].first_page - 1 - 1 - 1
    assert index_pages >= 2
    assert [e.tab for e in report.exhibits][25:28] == ["Z", "AA", "AB"]
    for exhibit in report.exhibits:
        assert f"DOC{exhibit.description.split()[-1]} page 1" in pages[exhibit.first_page - 1]


def test_it_builds_without_a_cover_letter(tmp_path, mixed):
    report, out = build(tmp_path, mixed, cover_pages=0)

    assert outline(out)[0][:2] == ("Index of exhibits", 1)
    assert report.pages == 1 + 7 + 11


# --- orientation and stamps ---------------------------------------------------------------


def _ink_box(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    region = image.crop(box).point(lambda v: 255 if v < 128 else 0)
    return region.getbbox()


def _render(path: Path, page: int, tmp_path: Path) -> Image.Image:
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils not installed")
    stem = tmp_path / f"render-{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile",
                    "-png", str(path), str(stem)], check=True)  # fmt: skip
    return Image.open(stem.with_suffix(".png")).convert("L")


def test_rotated_and_landscape_pages_are_filed_upright_on_portrait_pages(tmp_path, mixed):
    report, out = build(tmp_path, mixed)
    lease, paystubs = report.exhibits[5], report.exhibits[6]  # landscape; /Rotate 90

    for page in (lease.first_page, paystubs.first_page):
        image = _render(out, page, tmp_path)
        width, height = image.size
        assert (width, height) == (612, 792)  # portrait Letter, /Rotate baked in
        with pikepdf.open(out) as pdf:
            assert int(pdf.pages[page - 1].obj.get("/Rotate", 0)) == 0
        foot = _ink_box(image, (0, height - 30, width, height - 4))
        assert foot is not None, page
        x0, y0, x1, y1 = foot
        assert x1 - x0 > 5 * (y1 - y0)  # a line of upright stamp text
        assert _ink_box(image, (0, 40, 24, height - 40)) is None  # nothing sideways at the edges
    # The landscape page keeps its reading direction: its first line of text runs across the page.
    image = _render(out, lease.first_page, tmp_path)
    top = _ink_box(image, (0, 0, 612, 400))
    assert top is not None and top[2] - top[0] > 200
    assert "LEASE page 1" in texts(out)[lease.first_page - 1]
    assert "PAYSTUBS page 1" in texts(out)[paystubs.first_page - 1]


def test_a_phone_photo_is_turned_by_its_exif_orientation_and_fitted_on_a_letter_page(tmp_path, mixed):
    report, out = build(tmp_path, mixed)
    photo = report.exhibits[1]  # 600 × 450 pixels stored, EXIF says turn 90°: portrait

    with pikepdf.open(out) as pdf:
        page = pdf.pages[photo.first_page - 1]
        box = [float(v) for v in page.mediabox]
        rotate = int(page.obj.get("/Rotate", 0)) % 180
    shown = (box[3], box[2]) if rotate == 90 else (box[2], box[3])
    assert shown == (612, 792)


def test_heic_and_multi_page_tiff_are_accepted(tmp_path):
    folder = tmp_path / "phone"
    folder.mkdir()
    fx.heic(folder / "a.heic")
    fx.tiff(folder / "b.tif", frames=4)
    report, out = build(tmp_path, folder, cover_pages=0)

    assert [e.pages for e in report.exhibits] == [1, 4]
    with pikepdf.open(out) as pdf:
        assert all(
            sorted(float(v) for v in page.mediabox[2:]) == [612, 792]
            for page in pdf.pages[report.exhibits[0].first_page - 1 :]
        )


# --- bad uploads: one clear message naming the file, and no output -----------------------

BAD = {
    "zero bytes": ("empty.pdf", fx.zero_bytes, "empty (0 bytes)"),
    "truncated PDF": ("cut-short.pdf", fx.truncated_pdf, "damaged"),
    "corrupt PDF": ("garbage.pdf", fx.corrupt_pdf, "damaged"),
    "password-protected PDF": ("bank.pdf", fx.password_pdf, "password-protected"),
    "image bomb": ("bomb.png", fx.image_bomb, "decompression-bomb limit"),
    "JPEG named .pdf": ("photo.pdf", fx.jpeg_named_pdf, "really a JPEG image; rename it to a .jpg"),
    "unknown extension": ("statement.docx", fx.word_file, "file type '.docx' cannot go in a packet"),
    "truncated JPEG": ("cut.jpg", fx.truncated_jpeg, "truncated JPEG"),
    "damaged PNG": ("crc.png", fx.damaged_png, "damaged PNG"),
    "PDF without pages": ("blank.pdf", fx.pageless_pdf, "has no pages"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_is_named_with_what_is_wrong_and_nothing_is_written(tmp_path, kind):
    name, make, words = BAD[kind]
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "01 good.pdf")
    make(folder / name)

    check = run_preflight(load_exhibits(folder))
    assert [(f.subject, words in f.message) for f in check.errors] == [(name, True)]
    with pytest.raises(DocumentError) as caught:
        build(tmp_path, folder)
    message = str(caught.value)
    assert name in message and words in message and "\n" not in message
    assert list((tmp_path / "out").iterdir()) == []


def test_the_cli_prints_the_preflight_report_and_exits_non_zero_on_errors(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.password_pdf(folder / "bank.pdf")
    out = tmp_path / "packet.pdf"
    result = CliRunner().invoke(
        main,
        [
            "packet",
            str(EXAMPLE),
            "--exhibits",
            str(folder),
            "-o",
            str(out),
            "--cover",
            str(folder / "bank.pdf"),
        ],
    )
    assert result.exit_code == 1
    assert "error: bank.pdf: is password-protected" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_pdf_repaired_by_qpdf_is_a_warning_and_still_filed(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.truncated_pdf(folder / "download.pdf", keep=0.97)
    check = run_preflight(load_exhibits(folder))
    assert check.ok
    assert any(f.subject == "download.pdf" and "repaired" in f.message for f in check.warnings)
    report, _ = build(tmp_path, folder, preflight=check)
    assert report.exhibits[0].pages == 3


def test_a_failure_while_writing_leaves_nothing_at_the_output_path(tmp_path, mixed, monkeypatch):
    def explode(*args, **kwargs):
        raise DocumentError("could not typeset the packet's stamps pages: boom")

    monkeypatch.setattr(build_module, "stamps_pdf", explode)
    with pytest.raises(DocumentError):
        build(tmp_path, mixed)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_cover_that_is_not_a_pdf_is_named(tmp_path, mixed):
    with pytest.raises(DocumentError, match="cover letter: not a readable PDF"):
        build_packet(
            b"not a pdf",
            load_exhibits(mixed),
            caption=CAPTION,
            bates_prefix="X-",
            out_path=tmp_path / "p.pdf",
        )
    assert not (tmp_path / "p.pdf").exists()


# --- preflight warnings -------------------------------------------------------------------


def test_preflight_warns_about_a4_pages_mixed_orientation_and_encryption(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "1 portrait.pdf")
    fx.text_pdf(folder / "2 euro.pdf", 2, size=fx.A4)
    fx.text_pdf(folder / "3 wide.pdf", 1, size=(792, 612))
    fx.owner_only_pdf(folder / "4 bank.pdf")

    check = run_preflight(load_exhibits(folder))
    assert check.ok
    warnings = {f.subject: f.message for f in check.warnings}
    assert "A4 (8.26 × 11.69 in), not US Letter" in warnings["2 euro.pdf"]
    assert "the page is landscape: turned to portrait, upright" in warnings["3 wide.pdf"]
    assert "encrypted" in warnings["4 bank.pdf"]
    assert any(
        f.severity == "note" and "missing required exhibits were not checked" in f.message
        for f in check.findings
    )


def test_preflight_names_required_checklist_items_no_exhibit_proves(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "birth.pdf")
    (folder / "exhibits.yaml").write_text(
        "- file: birth.pdf\n  description: Birth certificate\n  proves: [usc_child]\n"
    )

    check = run_preflight(
        load_exhibits(folder),
        required={"usc_child": "U.S.-citizen child", "residence": "Ten years of residence"},
    )
    missing = [f.message for f in check.warnings if f.subject == "checklist"]
    assert len(missing) == 1 and "'residence' (Ten years of residence)" in missing[0]


def test_preflight_compares_the_total_size_with_the_limit(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.scan(folder / "scan.jpg", dpi=150)
    check = run_preflight(load_exhibits(folder), max_mb=0.1)
    assert any("over the 0.1 MB limit" in f.message and "--compress" in f.message for f in check.warnings)


# --- manifest -----------------------------------------------------------------------------


def test_a_manifest_sets_order_descriptions_and_puts_translations_after_the_original(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "acta.pdf", 1, title="ACTA")
    fx.text_pdf(folder / "acta-en.pdf", 2, title="TRANSLATION")
    fx.text_pdf(folder / "lease.pdf", 1, title="LEASE")
    fx.text_pdf(folder / "carta.pdf", 1, title="CARTA")
    (folder / "exhibits.yaml").write_text(
        "- file: lease.pdf\n  description: Lease, 2019-2026\n  proves: [residence]\n  date: 2019-01-01\n"
        "- file: acta.pdf\n  description: Birth certificate of Daniel\n  language: es\n"
        "  translation: acta-en.pdf\n"
        "- file: carta.pdf\n  description: Letter from pastor\n  language: es\n"
    )
    exhibits = load_exhibits(folder)
    assert [(e.tab, e.file.name, e.proves, e.date) for e in exhibits] == [
        ("A", "lease.pdf", ("residence",), "2019-01-01"),
        ("B", "acta.pdf", (), None),
        ("C", "carta.pdf", (), None),
    ]
    check = run_preflight(exhibits)
    untranslated = [f for f in check.warnings if "8 C.F.R. §1003.33" in f.message]
    assert [f.subject for f in untranslated] == ["carta.pdf"]

    report, out = build(tmp_path, folder, cover_pages=1, preflight=check)
    birth = report.exhibits[1]
    assert birth.pages == 3
    pages = texts(out)
    assert "ACTA page 1" in pages[birth.first_page - 1]
    assert "TRANSLATION page 1" in pages[birth.first_page]
    marks = outline(out)
    assert marks[3][:2] == ("Exhibit B — Birth certificate of Daniel (with certified English translation)", 5)
    assert "certified English translation" in pages[1]  # noted in the index


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        ("- file: a.pdf\n  descripton: A\n", "exhibits.yaml:2: entry 1: descripton: unknown key"),
        ("- file: a.pdf\n- file: missing.pdf\n", "exhibits.yaml:2: entry 2: file: missing.pdf not found"),
        ("- file: a.pdf\n- file: a.pdf\n", "exhibits.yaml:2: entry 2: file: a.pdf is already exhibit 1"),
        (
            "- file: a.pdf\n  translation: a.pdf\n",
            "exhibits.yaml:2: entry 1: translation: a.pdf is already exhibit 1",
        ),
        (
            "- file: secret2.pdf\n  translation: a.pdf\n- file: a.pdf\n",
            "exhibits.yaml:3: entry 2: file: a.pdf is already the translation of exhibit 1",
        ),
        (
            "- file: a.pdf\n  language: Spanish!\n",
            "exhibits.yaml:2: entry 1: language: 'Spanish!' is not an ISO",
        ),
        ("- file: a.pdf\n  file: b.pdf\n", "exhibits.yaml:2: duplicate key 'file'"),
        ("- description: A\n", "exhibits.yaml:1: entry 1: file: is required"),
        ("- file: ../secret.pdf\n", "entry 1: file: ../secret.pdf is outside the exhibits folder"),
        (
            "- file: a.pdf\n  translation: nope.pdf\n",
            "exhibits.yaml:2: entry 1: translation: nope.pdf not found",
        ),
        ("- file: a.pdf\n  proves: {a: 1}\n", "exhibits.yaml:2: entry 1: proves: must be a list"),
        ("file: a.pdf\n", "a manifest is a non-empty list"),
    ],
)
def test_manifest_errors_name_the_line_and_field(tmp_path, yaml, expected):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "a.pdf")
    fx.text_pdf(folder / "secret2.pdf")
    fx.text_pdf(tmp_path / "secret.pdf")
    (folder / "exhibits.yaml").write_text(yaml)
    with pytest.raises(DocumentError) as caught:
        load_exhibits(folder)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_tabs_run_a_to_z_then_aa():
    assert [tab_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]


# --- compression and the CLI --------------------------------------------------------------


def test_compression_downsamples_heavy_scans_and_reports_sizes_before_and_after(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.scan(folder / "1 scan.jpg", dpi=300)
    fx.scan(folder / "2 scan.png", dpi=300, kind="png")
    scanned = tmp_path / "scanned.pdf"
    with pikepdf.Pdf.open(io.BytesIO(__import__("img2pdf").convert(str(folder / "2 scan.png")))) as pdf:
        pdf.save(folder / "3 scanned.pdf")
    del scanned
    plain, _ = build(tmp_path, folder, cover_pages=0)
    small, out = build(tmp_path, folder, cover_pages=0, compress_dpi=150)

    assert small.pages == plain.pages
    assert small.size < plain.size / 2
    savings = {s.file: s for s in small.compression}
    assert set(savings) == {"1 scan.jpg", "2 scan.png", "3 scanned.pdf"}
    assert all(s.after < s.before for s in savings.values())
    assert "total:" in small.summary() and "->" in small.summary()
    assert texts(out)[-1].count("LOPEZ-") == 1


def test_the_cli_builds_a_packet_with_a_given_cover_and_prints_pages_size_and_bookmarks(tmp_path, mixed):
    out = tmp_path / "packet.pdf"
    cover_pdf = fx.text_pdf(tmp_path / "cover.pdf", 2, title="COVER")
    result = CliRunner().invoke(
        main,
        ["packet", str(EXAMPLE), "--exhibits", str(mixed), "-o", str(out), "--cover", str(cover_pdf),
         "--as-of", "2026-11-20"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "preflight: 0 error(s)" in result.output
    assert re.search(r"packet: .*packet\.pdf — 21 pages, [\d.]+ MB, 9 bookmarks", result.output)
    assert "LOPEZ-000021" in texts(out)[-1]  # prefix taken from the case id LOPEZ-2026-014


def test_the_cli_preflight_only_writes_nothing(tmp_path, mixed):
    out = tmp_path / "packet.pdf"
    result = CliRunner().invoke(
        main, ["packet", str(EXAMPLE), "--exhibits", str(mixed), "-o", str(out), "--preflight-only"]
    )
    assert result.exit_code == 0, result.output
    assert "preflight:" in result.output
    assert not out.exists()


# --- splitting for the upload limit -------------------------------------------------------


def test_split_plan_cuts_at_exhibit_tabs_and_divides_only_an_oversized_exhibit():
    from discretion.packets.splitting import plan

    # pages:      1   2   3   4   5   6   7   8
    page_bytes = [10, 10, 40, 40, 10, 90, 90, 10]
    tabs = [2, 5, 8]  # exhibits start on pages 2, 5 and 8
    # 10% of the limit is kept for each part's own overhead: budget 180.
    assert plan(page_bytes, tabs, 200) == [(1, 4), (5, 6), (7, 8)]
    assert plan(page_bytes, tabs, 1000) == [(1, 8)]


def test_an_oversized_packet_is_also_written_in_parts_under_the_limit(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    for n in range(1, 5):
        fx.scan(folder / f"{n} scan.jpg", dpi=200)
    fx.text_pdf(folder / "5 letter.pdf", 2, title="LETTER")
    limit_mb = 1.0
    report, out = build(tmp_path, folder, cover_pages=1, max_mb=limit_mb, split=True)

    assert report.size > limit_mb * 1024 * 1024
    assert len(report.parts) >= 2
    assert [p.path.name for p in report.parts] == [
        f"packet_Part{n}.pdf" for n in range(1, len(report.parts) + 1)
    ]
    assert report.parts[0].first_page == 1 and report.parts[-1].last_page == report.pages
    for before, after in zip(report.parts, report.parts[1:], strict=False):
        assert after.first_page == before.last_page + 1
    for part in report.parts:
        assert part.size == part.path.stat().st_size <= limit_mb * 1024 * 1024
        pages = texts(part.path)
        assert len(pages) == part.last_page - part.first_page + 1
        assert f"Page {part.first_page} of {report.pages}" in pages[0]  # numbering runs on
        assert f"LOPEZ-{part.last_page:06d}" in pages[-1]
        assert all(1 <= page <= len(pages) for _, page, _ in outline(part.path))
    assert outline(report.parts[0].path)[0][0] == "Cover letter"
    with pikepdf.open(report.parts[1].path) as second:
        assert f"Part 2 of {len(report.parts)}" in str(second.docinfo["/Title"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["packet.pdf", *(p.path.name for p in report.parts)]
    )


def test_a4_and_legal_pages_are_scaled_onto_portrait_letter_keeping_their_text(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "1 a4.pdf", 2, size=fx.A4, title="EUROPEAN")
    fx.text_pdf(folder / "2 legal.pdf", 1, size=(1008, 612), title="LEGALWIDE")
    fx.text_pdf(folder / "3 a4 turned.pdf", 1, size=fx.A4, rotate=90, title="TURNED")
    report, out = build(tmp_path, folder, cover_pages=0)

    pages = texts(out)
    shown = [tuple(round(v) for v in size) for size in build_module.binding.page_sizes(out)]
    assert set(shown) == {(612, 792)}  # every page portrait Letter
    a4, legal, turned = report.exhibits
    assert "EUROPEAN page 2" in pages[a4.first_page]
    assert "LEGALWIDE page 1" in pages[legal.first_page - 1]
    assert "TURNED page 1" in pages[turned.first_page - 1]
    assert f"Page {legal.first_page} of {len(pages)}" in pages[legal.first_page - 1]


def test_descriptions_are_printed_literally_never_read_as_markup(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "a.pdf")
    description = 'Pay stubs #1–#4, *net* $1,200 <"weekly"> @ Joe\'s _Diner_ \\ [2024]'
    (folder / "exhibits.yaml").write_text(
        f"- file: a.pdf\n  description: '{description.replace(chr(39), chr(39) * 2)}'\n"
    )
    report, out = build(tmp_path, folder, cover_pages=0)

    index, tab = texts(out)[:2]
    flat = " ".join(index.split())
    assert description in flat
    assert description in " ".join(tab.split())


def test_a_cover_letter_function_is_rendered_again_with_the_packets_page_numbers(tmp_path, mixed):
    calls = []

    def letter(exhibits):
        calls.append([(e.tab, e.first_page, e.pages) for e in exhibits])
        first = exhibits[0]
        cite = f"A at {first.first_page}" if first.first_page else "A unplaced"
        return fx.text_pdf(tmp_path / "letter.pdf", 3, title=cite).read_bytes()

    out = tmp_path / "p.pdf"
    report = build_packet(letter, load_exhibits(mixed), caption=CAPTION, bates_prefix="L-", out_path=out)

    assert calls[0][0] == ("A", None, None)
    assert calls[-1] == [(e.tab, e.first_page, e.pages) for e in report.exhibits]
    assert report.exhibits[0].first_page == 3 + 1 + 1 + 1  # letter, index, tab A
    assert "A at 6 page 1" in texts(out)[0]


def test_webp_gif_bmp_transparent_png_and_mirrored_photos_are_accepted(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.photo((500, 400)).save(folder / "1 download.webp", "WEBP")
    frames = [fx.photo((300, 400), c) for c in ("red", "green", "blue")]
    frames[0].save(folder / "2 animated.gif", save_all=True, append_images=frames[1:])
    fx.photo((400, 300)).save(folder / "3 paint.bmp", "BMP")
    fx.photo((300, 400)).convert("RGBA").save(folder / "4 screenshot.png")
    fx.jpeg(folder / "5 selfie.jpg", size=(600, 450), exif_orientation=5)  # mirrored and turned

    check = run_preflight(load_exhibits(folder))
    assert check.ok, check.report()
    report, out = build(tmp_path, folder, cover_pages=0, preflight=check)
    assert [e.pages for e in report.exhibits] == [1, 1, 1, 1, 1]
    selfie = report.exhibits[4]
    assert build_module.binding.page_sizes(out)[selfie.first_page - 1] == (612, 792)  # turned portrait


# --- conversion in worker processes ------------------------------------------------------


def test_png_parsing_matches_img2pdf(tmp_path):
    from discretion.packets import sources

    for mode in ("RGB", "L", "P", "1"):
        data = fx.png(tmp_path / f"{mode}.png", size=(900, 700), mode=mode).read_bytes()
        assert sources._parse_png(data) == _img2pdf_parse_png(data)
    cut = (tmp_path / "RGB.png").read_bytes()[:200]  # inside the first IDAT chunk
    with pytest.raises(Exception, match="invalid png"):
        sources._parse_png(cut)


def _img2pdf_parse_png(rawdata: bytes) -> tuple[bytes, bytes]:
    """img2pdf 0.6's own parse_png, as shipped, for comparison."""
    pngidat, palette = b"", b""
    i = 16
    while i < len(rawdata):
        n = int.from_bytes(rawdata[i - 8 : i - 4], "big")
        if rawdata[i - 4 : i] == b"IDAT":
            pngidat += rawdata[i : i + n]
        elif rawdata[i - 4 : i] == b"PLTE":
            palette += rawdata[i : i + n]
        i += n + 12
    return pngidat, palette


@pytest.mark.parametrize("way", ["in-process", "workers", "forkserver"])
def test_images_converted_in_workers_come_back_in_order(tmp_path, mixed, monkeypatch, way):
    from discretion.packets import converting

    # "workers": forked if this process has one thread, else from a forkserver (as after Typst
    # has run here); forking is not forced, since that is unsafe once Typst's threads exist.
    if way == "in-process":
        monkeypatch.setattr(converting, "MIN_PARALLEL", 10**6)
    elif way == "forkserver":
        monkeypatch.setattr(converting, "_single_threaded", lambda: False)
    report, out = build(tmp_path, mixed)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == report.pages
    shown = build_module.binding.page_sizes(out)
    # Tab B (the phone photo, turned by its EXIF) is followed by its one page, portrait.
    photo = next(e for e in report.exhibits if e.tab == "B")
    assert shown[photo.first_page - 1] == (612, 792)
    assert [e.pages for e in report.exhibits] == [2, 1, 3, 1, 1, 1, 2]
    pages = texts(out)
    assert all(f"Page {n} of {report.pages}" in text for n, text in enumerate(pages, 1))


def test_a_file_that_fails_in_a_worker_is_named_and_nothing_is_written(tmp_path, mixed):
    exhibits = load_exhibits(mixed)
    check = run_preflight(exhibits)
    (mixed / "10 - Tax return.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 40)  # after preflight
    out = tmp_path / "packet.pdf"
    with pytest.raises(DocumentError, match=r"^10 - Tax return\.png: "):
        build_packet(
            cover(tmp_path), exhibits, caption=CAPTION, bates_prefix="LOPEZ-", out_path=out, preflight=check
        )
    assert list(tmp_path.glob("packet.pdf*")) == [] and list(tmp_path.glob(".packet.pdf*")) == []
