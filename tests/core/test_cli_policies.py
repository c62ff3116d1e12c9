"""`discretion policies list|show|diff|check|docs`, driven through click's CliRunner."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from discretion.cli import main

HERE = Path(__file__).parent
PAIR = HERE / "policies_pair"
BAD = HERE / "bad_policies"


def run(*args: str):
    # A fixed width: text output is wrapped to the terminal.
    return CliRunner().invoke(main, ["policies", *args], env={"COLUMNS": "120"})


def pair(*args: str):
    return run(*args, "--policies-dir", str(PAIR))


def test_list_marks_the_policy_governing_the_date_and_its_suspensions():
    result = pair("list", "--as-of", "2022-01-01")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "as of 2022-01-01" in lines[0]
    new = next(line for line in lines if "border-new" in line)
    old = next(line for line in lines if "border-old" in line)
    assert new.startswith("* ") and "2021-11-29" in new and "current" in new
    assert old.startswith("  ") and "2021-09-30" in old and "historical" in old
    assert "suspended 2022-06-10 to 2022-07-21: vacated by a district court" in result.output
    assert "unsure rules: 1 [UNVERIFIED], 1 [partly confirmed]" in result.output


def test_list_says_when_the_date_falls_in_a_suspension():
    result = pair("list", "--as-of", "2022-06-10")

    assert "(suspended on that date)" in result.output
    assert "No policy on file was in force on 2022-06-10." in result.output
    assert not [line for line in result.output.splitlines() if line.startswith("*")]


def test_list_as_json_gives_dates_and_in_force_flags():
    result = pair("list", "--as-of", "2021-09-29", "--format", "json")

    data = json.loads(result.output)
    assert data["governing"] == "border-old"
    by_id = {p["id"]: p for p in data["policies"]}
    assert by_id["border-old"]["in_force"] is True
    assert by_id["border-new"]["in_force"] is False
    assert by_id["border-new"]["suspensions"] == [
        {"from": "2022-06-10", "until": "2022-07-21", "reason": "vacated by a district court then stayed"}
    ]


def test_list_rejects_a_bad_date_naming_the_option():
    result = pair("list", "--as-of", "2021-13-01")

    assert result.exit_code == 2
    assert "--as-of: '2021-13-01' is not a real date" in result.output
    assert "Traceback" not in result.output


def test_show_gives_every_rule_with_its_citation_and_confidence_mark():
    result = pair("show", "border-new")

    assert result.exit_code == 0, result.output
    out = result.output
    assert "New border-priorities memo (test fixture) (border-new)" in out
    assert "Effective  2021-11-29" in out
    assert "2022-06-10 to 2022-07-21: vacated by a district court then stayed" in out
    assert "District court order (2022-06-10) [UNVERIFIED]" in out  # an unsure source is marked
    assert (
        "caught_at_border  Apprehended at the border or a port of entry while attempting to enter [UNVERIFIED]"
        in out
    )
    assert "test:       entered_unlawfully_after(date=2020-11-01)" in out
    assert "cites:      New memo (2021-09-30), § 2(C)" in out
    assert "elderly  Advanced age [partly confirmed]" in out


def test_show_as_markdown_and_json():
    markdown = pair("show", "border-new", "--format", "markdown").output
    data = json.loads(pair("show", "border-new", "--format", "json").output)

    assert markdown.startswith('<a id="policy-border-new"></a>')
    assert (
        "#### `caught_at_border`: Apprehended at the border or a port of entry while attempting to enter `[UNVERIFIED]`"
        in markdown
    )
    assert data["effective"] == "2021-11-29"
    assert data["suspensions"][0]["from"] == "2022-06-10"
    rule = next(r for r in data["rules"] if r["id"] == "border_recent_entrant")
    assert rule["with"] == {"date": "2020-11-01"}
    assert rule["citations"] == ["New memo (2021-09-30), § 2(C)"]
    assert (
        next(r for r in data["rules"] if r["id"] == "caught_at_border")["confidence_mark"] == "[UNVERIFIED]"
    )


def test_an_unknown_id_is_one_line_listing_the_known_ids():
    result = pair("show", "johnson-2014")

    assert result.exit_code == 2
    assert result.output.strip() == "error: no policy with id 'johnson-2014' (known: border-old, border-new)"


def test_diff_shows_the_moved_border_cutoff_and_rules_added_and_removed():
    result = pair("diff", "border-old", "border-new")

    assert result.exit_code == 0, result.output
    out = result.output
    assert "effective: 2014-11-20 -> 2021-11-29" in out
    assert "status: historical -> current" in out
    assert "~ priority border_apprehension_after_2014 -> border_recent_entrant" in out
    assert "with.date: 2014-01-01 -> 2020-11-01" in out
    assert "+ mitigating elderly: Advanced age [partly confirmed]" in out
    assert "- mitigating minor: A minor" in out


def test_diff_as_markdown_and_json():
    markdown = pair("diff", "border-old", "border-new", "--format", "markdown").output
    data = json.loads(pair("diff", "border-old", "border-new", "--format", "json").output)

    assert markdown.startswith("# border-old -> border-new")
    assert "## Rules added (1)" in markdown
    assert [r["new_id"] for r in data["rules"] if r["status"] == "added"] == ["elderly"]


def test_diff_with_an_unknown_id_names_it():
    result = pair("diff", "border-old", "border-newer")

    assert result.exit_code == 2
    assert "no policy with id 'border-newer'" in result.output


def test_check_prints_one_line_per_problem_and_fails():
    result = run("check", str(BAD))

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "unknown-predicate.yaml:13: mitigating 'long_presence': no predicate named 'years_presnt_at_least' (did you mean 'years_present_at_least'?)"
        in lines
    )
    assert any(line.startswith("empty.yaml: the file is empty") for line in lines)
    errors = [line for line in lines[:-1] if not line.startswith("warning: ")]
    warnings = [line for line in lines[:-1] if line.startswith("warning: ")]
    assert lines[-1] == f"{len(errors)} problems, {len(warnings)} warnings found."
    assert "warning: include-cycle" not in result.output  # only the directory's own files are read


def test_check_of_a_good_directory_says_ok():
    result = run("check", str(PAIR))

    assert result.exit_code == 0
    assert "ok: no problems" in result.output


def test_check_of_a_missing_directory_is_one_line():
    result = run("check", str(HERE / "nowhere"))

    assert result.exit_code == 1
    assert "no such policy directory" in result.output


def test_docs_writes_then_checks_fresh_then_stale(tmp_path):
    target = tmp_path / "policies.md"
    relief = BAD / "relief" / "relief-ok.yaml"
    common = ["--policies-dir", str(PAIR), "--relief", str(relief), "-o", str(target)]

    written = run("docs", *common)
    fresh = run("docs", *common, "--check")
    target.write_text(target.read_text() + "hand edit\n")
    stale = run("docs", *common, "--check")

    assert written.exit_code == 0 and target.exists()
    assert fresh.exit_code == 0
    assert stale.exit_code == 2
    assert "is stale: run `discretion policies docs`" in stale.output


def test_docs_to_stdout_covers_every_policy_rule_and_relief_rule():
    result = run(
        "docs", "--policies-dir", str(PAIR), "--relief", str(BAD / "relief" / "relief-ok.yaml"), "-o", "-"
    )

    out = result.output
    for rule_id in (
        "border_recent_entrant",
        "caught_at_border",
        "long_presence",
        "minor",
        "cancellation_non_lpr",
    ):
        assert f"#### `{rule_id}`" in out
    assert "- Test: `entered_unlawfully_after` with date=2020-11-01" in out
    assert "- Threshold: Ten years' continuous physical presence" in out
    assert "[Old memo (2014-11-20), § A(1)(d)](https://example.test/old.pdf)" in out
    assert "- From 2022-06-10 until 2022-07-21 (first day back in force)" in out


def test_docs_of_a_broken_policy_directory_is_one_line(tmp_path):
    shutil.copy(BAD / "unknown-predicate.yaml", tmp_path)

    result = run("docs", "--policies-dir", str(tmp_path), "-o", "-")

    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "unknown-predicate.yaml:13: mitigating 'long_presence': no predicate named" in result.output


@pytest.mark.parametrize("command", ["list", "check"])
def test_the_shipped_policies_load_and_list(command):
    result = run(command)

    assert result.exit_code == 0, result.output


def test_check_prints_warnings_and_fails_on_them_only_when_strict(tmp_path):
    text = (
        (HERE / "policies_ok" / "tiny-2020-01-01.yaml")
        .read_text()
        .replace("status: historical", "ended: 2021-01-01\nstatus: historical")
    )
    (tmp_path / "tiny-2020-01-01.yaml").write_text(
        text.replace("[Leases and tax returns]", "[Leases, or tax returns]")
    )

    lenient = run("check", str(tmp_path))
    strict = run("check", str(tmp_path), "--strict")

    assert lenient.exit_code == 0
    assert (
        "warning: tiny-2020-01-01.yaml:20: mitigating 'long_presence': evidence item 'or tax returns'"
        in lenient.output
    )
    assert "ok: no problems in the policy files in" in lenient.output and "(1 warning)" in lenient.output
    assert strict.exit_code == 1
    assert "0 problems, 1 warning found." in strict.output


PLUS = """id: border-plus
title: A memo that weighs the new memo's rules and adds one
issuer: Test office
issued: 2022-01-01
effective: 2022-01-01
status: current
summary: Includes border-new.
includes: [border-new]
sources:
  - {id: plus_memo, title: Plus memo, confidence: confirmed}
mitigating:
  - {id: plus_rule, label: Long presence (plus), test: years_present_at_least, with: {years: 5}, cite: [{source: plus_memo}], confidence: confirmed}
"""


@pytest.fixture
def with_include(tmp_path):
    shutil.copy(PAIR / "border-new-2021-11-29.yaml", tmp_path)
    (tmp_path / "border-plus-2022-01-01.yaml").write_text(PLUS)
    return ["--policies-dir", str(tmp_path)]


def test_show_says_which_policy_an_included_rule_comes_from(with_include):
    text = run("show", "border-plus", *with_include).output
    data = json.loads(run("show", "border-plus", "--format", "json", *with_include).output)
    markdown = run("show", "border-plus", "--format", "markdown", *with_include).output

    assert "      from:       border-new\n      test:       entered_unlawfully_after(date=2020-11-01)" in text
    defined_in = {r["id"]: r["defined_in"] for r in data["rules"]}
    assert defined_in["plus_rule"] == "border-plus"
    assert defined_in["border_recent_entrant"] == "border-new"
    assert "- Included from: [`border-new`](#policy-border-new)" in markdown


def test_docs_list_included_rules_once_under_the_policy_that_defines_them(with_include):
    out = run("docs", *with_include, "-o", "-").output

    assert out.count("#### `border_recent_entrant`") == 1
    assert "Also weighs the 7 rules of [`border-new`](#policy-border-new), listed there." in out
