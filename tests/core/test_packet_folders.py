"""Folder mode follows the manifest's rules: nothing outside the folder, every unused entry named (issue 9)."""

from __future__ import annotations

import os
from pathlib import Path

import packet_fixtures as fx
import pytest

from discretion.errors import DocumentError
from discretion.packets import Caption, build_packet, load_exhibits, run_preflight

CAPTION = Caption("María Elena López Hernández", "208-555-014", "LOPEZ-2026-014")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    other_client = tmp_path / "other-client"
    other_client.mkdir()
    fx.text_pdf(other_client / "asylum-declaration.pdf", 1, title="SOMEONE ELSE")
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "01 - Lease.pdf", 1, title="LEASE")
    fx.text_pdf(folder / "02 - Pay stubs.pdf", 1, title="PAY")
    os.symlink(other_client / "asylum-declaration.pdf", folder / "03 - Declaration.pdf")
    os.symlink(folder / "gone.pdf", folder / "04 - Tax return.pdf")
    os.mkfifo(folder / "05 - School.pdf")
    (folder / "06 - Originals").mkdir()
    os.symlink(folder / "01 - Lease.pdf", folder / "07 - Lease again.pdf")
    (folder / ".notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".DS_Store").write_bytes(b"litter")
    return folder


def test_every_entry_that_cannot_be_filed_is_named_and_a_link_out_of_the_folder_is_refused(folder):
    exhibits = load_exhibits(folder)
    assert [e.file.name for e in exhibits if e.file] == ["01 - Lease.pdf", "02 - Pay stubs.pdf"]
    check = run_preflight(exhibits)
    by_name = {f.subject: f for f in check.findings}
    assert by_name["03 - Declaration.pdf"].severity == "error"
    assert "outside the exhibits folder" in by_name["03 - Declaration.pdf"].message
    assert by_name["04 - Tax return.pdf"].severity == "error"
    assert "broken link" in by_name["04 - Tax return.pdf"].message
    assert by_name["05 - School.pdf"].severity == "error"
    assert "named pipe" in by_name["05 - School.pdf"].message
    assert by_name["06 - Originals"].severity == "warning"
    assert "is a folder" in by_name["06 - Originals"].message
    assert "already filed" in by_name["07 - Lease again.pdf"].message
    assert by_name[".notes.pdf"].severity == "note"
    assert ".DS_Store" not in by_name
    assert not check.ok  # the build is blocked until the link out is removed


def test_the_build_stops_and_files_nothing_from_outside(folder, tmp_path):
    out = tmp_path / "packet.pdf"
    with pytest.raises(DocumentError, match="03 - Declaration.pdf: is a link to a file outside"):
        build_packet(None, load_exhibits(folder), caption=CAPTION, bates_prefix="X-", out_path=out)
    assert not out.exists()


def test_a_link_to_a_file_inside_the_folder_is_filed_as_that_file(tmp_path):
    folder = tmp_path / "exhibits"
    (folder / "scans").mkdir(parents=True)
    fx.text_pdf(folder / "scans" / "lease.pdf", 1, title="LEASE")
    os.symlink(folder / "scans" / "lease.pdf", folder / "01 - Lease.pdf")
    exhibits = load_exhibits(folder)
    assert [(e.description, e.file) for e in exhibits] == [
        ("Lease", (folder / "scans" / "lease.pdf").resolve())
    ]
    assert [f.subject for f in run_preflight(exhibits).findings if f.severity != "note"] == ["scans"]


def test_a_folder_with_nothing_usable_says_what_it_holds(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    os.symlink("/etc/hostname", folder / "a.pdf")
    with pytest.raises(DocumentError, match="no exhibit files found .*a.pdf is a link to a file outside"):
        load_exhibits(folder)


def test_with_a_manifest_what_it_leaves_out_is_a_note_and_a_pipe_it_names_is_an_error(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "lease.pdf", 1, title="LEASE")
    fx.text_pdf(folder / "draft.pdf", 1, title="DRAFT")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "exhibits.yaml").write_text("- file: lease.pdf\n  description: Lease\n")
    check = run_preflight(load_exhibits(folder))
    notes = {f.subject: f.message for f in check.findings if f.severity == "note"}
    assert notes["draft.pdf"] == "is not listed in exhibits.yaml, so it is not filed"
    assert "named pipe" in notes["pipe.pdf"]
    assert check.ok
    (folder / "exhibits.yaml").write_text("- file: pipe.pdf\n  description: Pipe\n")
    with pytest.raises(DocumentError, match="exhibits.yaml:1: entry 1: file: pipe.pdf is not a regular file"):
        load_exhibits(folder)


def test_a_manifest_with_a_control_character_or_an_alias_bomb_is_one_error(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    fx.text_pdf(folder / "lease.pdf", 1, title="LEASE")
    (folder / "exhibits.yaml").write_text('- file: lease.pdf\n  description: "Lease\\x1b[2J"\n')
    with pytest.raises(
        DocumentError, match=r"exhibits.yaml:2: \[0\].description: contains an escape character"
    ):
        load_exhibits(folder)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]\n" for n in range(8)
    )
    (folder / "exhibits.yaml").write_text(bomb)
    with pytest.raises(DocumentError, match="expands to more than"):
        load_exhibits(folder)


def test_a_manifest_file_name_too_long_for_the_file_system_is_one_error(tmp_path):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    (folder / "exhibits.yaml").write_text("- file: " + "x" * 400 + ".pdf\n")
    with pytest.raises(DocumentError, match="cannot be used as a file name"):
        load_exhibits(folder)
