"""Hostile exhibit PDFs: active content is named at preflight and never reaches the packet (issue 9)."""

from __future__ import annotations

from pathlib import Path

import packet_fixtures as fx
import pikepdf
from click.testing import CliRunner

from discretion.cli import main
from discretion.packets import Caption, build_packet, load_exhibits, run_preflight

CAPTION = Caption("María Elena López Hernández", "208-555-014", "LOPEZ-2026-014")
EXAMPLE = Path(__file__).parents[2] / "examples" / "maria-lopez.yaml"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "01 - Lease.pdf", 1, title="LEASE")
    fx.hostile_pdf(folder / "02 - Bank letter.pdf")
    return folder


def test_preflight_names_every_kind_of_active_content_it_will_remove(tmp_path):
    check = run_preflight(load_exhibits(_folder(tmp_path)))
    assert check.ok  # filed, without the active content
    (finding,) = [f for f in check.findings if "active content" in f.message]
    assert finding.severity == "warning" and finding.subject == "02 - Bank letter.pdf"
    text = finding.message
    for expected in (
        "JavaScript run when the document opens",
        "a Launch action (starts '/bin/sh') in a link on page 1",
        "JavaScript run when page 1 opens or closes",
        "embedded file ('payload.sh')",
    ):
        assert expected in text
    assert "and 4 more" in text  # the rest counted, so the line stays readable
    assert not [f for f in check.findings if f.subject == "01 - Lease.pdf"]


def test_the_built_packet_carries_no_script_launch_form_action_or_embedded_file(tmp_path):
    folder = _folder(tmp_path)
    assert fx.active_keys(folder / "02 - Bank letter.pdf") >= {"/JS", "/Launch", "/AA", "/OpenAction"}
    out = tmp_path / "packet.pdf"
    cover = fx.text_pdf(tmp_path / "cover.pdf", 1, title="COVER").read_bytes()
    report = build_packet(cover, load_exhibits(folder), caption=CAPTION, bates_prefix="LOPEZ-", out_path=out)
    assert report.pages == 1 + 1 + 2 + 1 + 2  # cover, index, tab + lease, tab + both hostile pages
    assert fx.active_keys(out) == set()
    with pikepdf.open(out) as pdf:
        links = [
            str(a.A.URI)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if a.get("/Subtype") == "/Link" and "/A" in a and a.A.get("/S") == "/URI"
        ]
    assert links == ["https://example.org/"]  # a plain web link is kept; javascript: is not


def test_the_cli_preflight_report_says_what_was_removed(tmp_path):
    folder = _folder(tmp_path)
    result = CliRunner().invoke(
        main,
        ["packet", str(EXAMPLE), "--exhibits", str(folder), "--preflight-only", "--as-of", "2026-03-01"],
    )
    assert result.exit_code == 0, result.output
    assert "warning: 02 - Bank letter.pdf: contains active content, removed from the packet" in result.output
    assert "Launch action (starts '/bin/sh')" in result.output
