import json
from pathlib import Path

from click.testing import CliRunner

from discretion.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "maria-lopez.yaml")
JOHNSON = ["--policy", "johnson-2014", "--as-of", "2016-01-01"]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_checklist_prints_required_and_recommended_with_why_source_and_translation():
    result = run("checklist", EXAMPLE, *JOHNSON)

    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        out.index("REQUIRED") < out.index("U.S. birth certificate of Daniel López") < out.index("RECOMMENDED")
    )
    assert "Why: Proves Daniel López is the respondent's U.S.-citizen child" in out
    assert "Source: Detroit and Cleveland OCC" in out
    assert "Translation: usually issued abroad" in out
    assert "8 C.F.R. § 1003.33" in out


def test_checklist_json_is_the_checklist_contract():
    result = run("checklist", EXAMPLE, *JOHNSON, "--format", "json")

    data = json.loads(result.output)
    assert data["contract"] == "discretion.checklist/1"
    assert data["policy"] == "johnson-2014"
    required = {i["id"] for i in data["required"]}
    assert "usc_child_birth_certificate.sofia-lopez" in required
    assert all(i["citations"] for i in data["required"])


def test_checklist_markdown_has_headings():
    result = run("checklist", EXAMPLE, *JOHNSON, "--format", "markdown")

    assert result.exit_code == 0
    assert result.output.startswith("# Evidence checklist")
    assert "## Required (" in result.output


def test_checklist_marks_items_from_the_exhibits_folder(tmp_path):
    for name in ("passport.pdf", "daniel.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n")
    (tmp_path / "exhibits.yaml").write_text(
        "- {file: passport.pdf, description: Passport, proves: [passport], language: es}\n"
        "- {file: daniel.pdf, description: Daniel's birth certificate,"
        " proves: [usc_child_birth_certificate.daniel-lopez]}\n",
        encoding="utf-8",
    )

    result = run("checklist", EXAMPLE, *JOHNSON, "--exhibits", str(tmp_path), "--format", "json")

    assert result.exit_code == 0, result.output
    items = {i["id"]: i for i in json.loads(result.output)["required"]}
    assert items["passport"]["status"] == "needs translation"
    assert items["usc_child_birth_certificate.daniel-lopez"]["status"] == "provided"
    assert items["usc_child_birth_certificate.daniel-lopez"]["exhibits"] == ["B"]
    assert items["g28"]["status"] == "missing"


def test_checklist_without_a_policy_in_force_still_lists_the_documents():
    result = run("checklist", EXAMPLE, "--as-of", "1990-01-01")

    assert result.exit_code == 0
    assert "Weighing items by the facts alone" in result.output
    assert "U.S. birth certificate of Daniel López" in result.output


def test_checklist_bad_case_file_is_one_line(tmp_path):
    bad = tmp_path / "case.yaml"
    bad.write_text("family:\n  - {relationship: cousin}\n", encoding="utf-8")

    result = run("checklist", str(bad), *JOHNSON)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "family[0].relationship" in result.output


def test_checklist_bad_exhibits_folder_is_one_line(tmp_path):
    result = run("checklist", EXAMPLE, *JOHNSON, "--exhibits", str(tmp_path / "nope"))

    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "exhibits folder not found" in result.output


def test_offices_list_shows_every_office_and_the_verify_warning():
    result = run("offices", "list")

    assert result.exit_code == 0
    assert "OPLA New York" in result.output and "NYB" in result.output
    assert "verify before sending" in result.output
    assert "FCI" in result.output.split("not published")[1]


def test_offices_list_json():
    data = json.loads(run("offices", "list", "--format", "json").output)

    assert len(data["offices"]) == 26  # 25 field locations plus Hyattsville, parent unconfirmed
    assert data["last_verified"] == "2026-11-27"


def test_offices_show_prints_the_address_block_and_warnings():
    result = run("offices", "show", "New York - Broadway")

    assert result.exit_code == 0
    assert "26 Federal Plaza, Room 1130" in result.output
    assert "Verified: NO" in result.output
    assert "verify before sending" in result.output


def test_offices_show_json():
    data = json.loads(run("offices", "show", "NYV", "--format", "json").output)

    assert data["location"] == "Varick Street"
    assert data["email"] is None


def test_offices_show_ambiguous_court_is_one_line_with_candidates():
    result = run("offices", "show", "New York")

    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "NYB" in result.output and "NYV" in result.output


def test_offices_show_unpublished_office_says_so():
    result = run("offices", "show", "FCI")

    assert result.exit_code == 2
    assert "not published" in result.output


def test_checklist_bad_date_and_unknown_policy_are_one_line():
    bad_date = run("checklist", EXAMPLE, "--as-of", "2026-02-30")
    bad_policy = run("checklist", EXAMPLE, "--policy", "no-such-policy")

    assert bad_date.exit_code == 2 and "--as-of" in bad_date.output
    assert bad_policy.exit_code == 2 and "no-such-policy" in bad_policy.output
    assert all(len(r.output.strip().splitlines()) == 1 for r in (bad_date, bad_policy))
