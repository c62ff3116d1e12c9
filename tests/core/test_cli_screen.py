"""`discretion screen` and `discretion schema`: formats, options, and one-line errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from discretion.casefile import field_reference, load_case
from discretion.cli import main
from discretion.policies import load_policies, shipped
from discretion.report import missing_by_weight, render_markdown, render_text
from discretion.screening import screen

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
MARIA = ROOT / "examples" / "maria-lopez.yaml"
TINY = ["--policies-dir", str(HERE / "policies_ok")]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    # A traceback reaching the user is a bug: only a clean exit is allowed.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_it_prints_the_screening_contract_as_json():
    code, out, _ = run("screen", str(MARIA), "--as-of", "2021-01-01", "--format", "json", *TINY)

    assert code == 0
    data = json.loads(out)
    facts = load_case(MARIA)
    policy = load_policies(HERE / "policies_ok").get("tiny")
    assert data == json.loads(json.dumps(screen(facts, policy, on=date(2021, 1, 1)).to_dict()))
    assert data["policy"]["id"] == "tiny"
    assert data["as_of"] == "2021-01-01"


def test_the_text_report_has_every_section_in_order_and_the_full_a_number():
    code, out, _ = run("screen", str(MARIA), "--as-of", "2021-01-01", *TINY)

    assert code == 0
    assert "A208-555-014" in out
    assert "María Elena López Hernández" in out
    headings = [
        "Summary",
        "Priorities",
        "Unfavourable factors",
        "Favourable factors",
        "Risks",
        "Other relief to review",
        "Missing facts",
        "Problems in the facts",
    ]
    positions = [out.index("\n" + h) for h in headings]
    assert positions == sorted(positions)
    assert "Test memo (2020-01-01) § 2" in out
    assert "\x1b[" not in out, "no colour when not writing to a terminal"
    policy_line = out.index("Policy        A tiny test policy")
    assert out.index("Note: this policy is historical", policy_line) < out.index("As of")


def test_an_unknown_finding_says_what_to_ask(tmp_path):
    case = tmp_path / "bare.yaml"
    case.write_text("schema_version: 1\nidentity: {name: Test Person}\n", encoding="utf-8")

    code, out, _ = run("screen", str(case), "--as-of", "2021-01-01", "--format", "markdown", *TINY)

    assert code == 0
    assert "? **unknown** — Long presence" in out
    # The Ask line names the records that settle the fact first, then the fact itself.
    ask = next(line for line in out.splitlines() if "**Ask:**" in line)
    assert ask.index("The I-94 arrival/departure record") < ask.index("Settles: Entry: first entry on")
    assert "FOIA request to CBP" in ask
    missing = out.split("## Missing facts")[1].split("## Problems")[0]
    assert "- **Entry: first entry on** (`entry.first_entry_on`) — needed by `long_presence`" in missing
    assert "— get: The I-94 arrival/departure record" in missing


def test_it_marks_unverified_sources_in_every_format(tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (HERE / "policies_ok" / "tiny-2020-01-01.yaml").read_text(encoding="utf-8")
    (policies / "tiny-2020-01-01.yaml").write_text(
        text.replace("confidence: confirmed}", "confidence: unverified}").replace(
            "    confidence: confirmed", "    confidence: partial"
        ),
        encoding="utf-8",
    )
    args = ("screen", str(MARIA), "--as-of", "2021-01-01", "--policies-dir", str(policies))

    _, text_out, _ = run(*args)
    _, md_out, _ = run(*args, "--format", "markdown")
    _, json_out, _ = run(*args, "--format", "json")

    assert "Long presence [partly confirmed]" in text_out
    assert "§ 2 [UNVERIFIED]" in text_out
    assert "**[partly confirmed]**" in md_out and "§ 2 [UNVERIFIED]" in md_out
    finding = json.loads(json_out)["findings"][0]
    assert (finding["confidence"], finding["citations"][0]["confidence"]) == ("partial", "unverified")


def test_it_selects_the_policy_by_date_and_explains_a_gap():
    code, _, err = run("screen", str(MARIA), "--as-of", "2020-06-15", *TINY)

    assert code != 0
    assert err.count("\n") == 1
    assert "suspended from 2020-06-01" in err


def test_a_named_policy_not_in_force_is_used_with_a_note():
    code, out, err = run("screen", str(MARIA), "--as-of", "2020-06-15", "--policy", "tiny", *TINY)

    assert code == 0
    assert "not in force on 2020-06-15" in err
    assert "A tiny test policy" in out


def test_an_unknown_policy_id_is_one_line():
    code, _, err = run("screen", str(MARIA), "--policy", "nope", *TINY)

    assert code != 0
    assert err.strip().splitlines() == [err.strip()]
    assert "no policy with id 'nope'" in err


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("2021-02-30", "is not a real date"),
        ("2021-13-01", "is not a real date"),
        ("yesterday", "is not a date written YYYY-MM-DD"),
        ("20210101", "is not a date written YYYY-MM-DD"),
    ],
)
def test_an_impossible_as_of_date_is_one_line(bad, words):
    code, _, err = run("screen", str(MARIA), "--as-of", bad, *TINY)

    assert code != 0
    assert err == f"error: --as-of: {bad!r} {words}\n"


def test_it_writes_the_output_file_and_keeps_an_old_one_on_failure(tmp_path):
    target = tmp_path / "screening.md"
    code, _, _ = run(
        "screen", str(MARIA), "--as-of", "2021-01-01", "--format", "markdown", "-o", str(target), *TINY
    )
    assert code == 0
    before = target.read_text(encoding="utf-8")
    assert before.startswith("# Prosecutorial discretion screening")

    code, _, err = run("screen", str(tmp_path / "missing.yaml"), "-o", str(target), *TINY)

    assert code != 0 and "file not found" in err
    assert target.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["screening.md"]


def test_the_renderers_agree_on_content():
    facts = load_case(MARIA)
    result = screen(facts, load_policies(HERE / "policies_ok").get("tiny"), on=date(2021, 1, 1))

    text, markdown = render_text(result, facts), render_markdown(result, facts)

    for needle in ("Long presence", "LOPEZ-2026-014", "A208-555-014", "tax year 2025 is in the future"):
        assert needle in text
        assert needle in markdown


def test_colour_is_only_added_when_asked():
    facts = load_case(MARIA)
    result = screen(facts, load_policies(HERE / "policies_ok").get("tiny"), on=date(2021, 1, 1))

    assert "\x1b[" in render_text(result, facts, colour=True)
    assert "\x1b[" not in render_text(result, facts)


def test_schema_writes_the_shipped_schema(tmp_path):
    target = tmp_path / "case.schema.json"

    code, _, _ = run("schema", "-o", str(target))

    assert code == 0
    shipped = ROOT / "src" / "discretion" / "data" / "case.schema.json"
    assert target.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")


def test_markdown_keeps_case_text_literal(tmp_path):
    case = tmp_path / "odd.yaml"
    case.write_text('identity: {name: "Ana *Bold* | <b>_x_</b>"}\n', encoding="utf-8")

    _, out, _ = run("screen", str(case), "--as-of", "2021-01-01", "--format", "markdown", *TINY)

    assert "| **Person** | Ana \\*Bold\\* \\| \\<b\\>\\_x\\_\\</b\\> |" in out


def test_missing_facts_are_listed_most_decisive_first():
    on = date(2026, 11, 28)
    facts = load_case(ROOT / "examples" / "many-unknowns.yaml")
    result = screen(facts, shipped().select(on), on=on)

    weights = [len(m["needed_by"]) for m in missing_by_weight(result)]

    assert weights == sorted(weights, reverse=True) and weights[0] > weights[-1]
    text = render_text(result, facts)
    first = missing_by_weight(result)[0]["path"]
    assert text.index(f"({first})", text.index("Missing facts")) < text.index("Problems in the facts")


def test_schema_markdown_prints_the_field_reference():
    code, out, _ = run("schema", "--markdown")

    assert code == 0
    assert out == field_reference()
    assert "| `a_number` | A-number (see above) |" in out
