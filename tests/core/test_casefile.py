"""Reading case files: every kind of bad input is one line naming the file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from discretion.casefile import field_reference, load_case
from discretion.cli import main
from discretion.errors import CaseFileError
from discretion.facts import CaseFacts
from discretion.policies import load_policies, shipped
from discretion.screening import screen

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples"

BAD = [
    # (name, file name, content, expected start after the file name, words)
    ("bad YAML", "case.yaml", "schema_version: 1\nidentity:\n  name: [unclosed\n", ":4:", "not valid YAML"),
    (
        "JSON syntax",
        "case.json",
        '{\n  "schema_version": 1,\n  "identity": {,}\n}\n',
        ":3:",
        "not valid JSON",
    ),
    (
        "wrong type",
        "case.yaml",
        "schema_version: 1\nentry:\n  age_at_first_entry: twelve\n",
        ":3:",
        "entry.age_at_first_entry",
    ),
    (
        "unknown field",
        "case.yaml",
        "schema_version: 1\nidentity:\n  nmae: X\n",
        ":3:",
        "identity.nmae: unknown field",
    ),
    ("7-digit A-number", "case.yaml", "identity:\n  a_number: '1234567'\n", ":2:", "identity.a_number"),
    ("lettered A-number", "case.yaml", "identity:\n  a_number: 12345678X\n", ":2:", "identity.a_number"),
    (
        "impossible date",
        "case.yaml",
        "schema_version: 1\nidentity:\n  date_of_birth: 2021-02-30\n",
        ":3:",
        "date_of_birth",
    ),
    (
        "impossible date in JSON",
        "case.json",
        '{\n  "identity": {\n    "date_of_birth": "2021-02-30"\n  }\n}\n',
        ":3:",
        "identity.date_of_birth",
    ),
    (
        "schema version 3",
        "case.yaml",
        "case_id: X\nschema_version: 3\n",
        ":2:",
        "schema_version: 3 is not supported",
    ),
    ("empty file", "case.yaml", "", ": ", "empty"),
    ("not a mapping", "case.yaml", "- one\n- two\n", ": ", "must be a mapping of fields, not a list"),
    ("bad enum", "case.yaml", "entry:\n  manner: swam\n", ":2:", "entry.manner: 'swam' is not one of"),
    (
        "bad list item",
        "case.yaml",
        "family:\n  - relationship: child\n  - relationship: cousin\n",
        ":3:",
        "family[1].relationship",
    ),
    ("duplicate key", "case.yaml", "case_id: A\ncase_id: B\n", ":2:", "duplicate key 'case_id'"),
    (
        "JSON with tabs still names the field",
        "case.json",
        '{\n\t"entry": {"manner": "swam"}\n}',
        ": ",
        "entry.manner",
    ),
    ("wrong suffix", "case.txt", "case_id: A\n", ": ", "must end in .yaml"),
    ("not UTF-8", "case.yaml", b"identity: {name: \xff}\n", ": ", "not UTF-8"),
]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(("what", "name", "content", "where", "words"), BAD, ids=[b[0] for b in BAD])
def test_it_names_the_file_line_and_field(tmp_path, what, name, content, where, words):
    path = _write(tmp_path, name, content)

    with pytest.raises(CaseFileError) as caught:
        load_case(path)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}{where}"), message
    assert words in message


@pytest.mark.parametrize(("what", "name", "content", "where", "words"), BAD, ids=[b[0] for b in BAD])
def test_the_cli_says_it_in_one_line_and_exits_non_zero(tmp_path, what, name, content, where, words):
    path = _write(tmp_path, name, content)

    result = CliRunner().invoke(main, ["screen", str(path), "--as-of", "2021-01-01"])

    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_and_a_directory_are_one_line(tmp_path):
    with pytest.raises(CaseFileError, match=r"missing\.yaml: file not found$"):
        load_case(tmp_path / "missing.yaml")
    with pytest.raises(CaseFileError, match="is a directory"):
        load_case(tmp_path)


def test_it_reports_how_many_more_problems_there_are(tmp_path):
    path = _write(tmp_path, "case.yaml", "identity:\n  nmae: X\n  sexx: f\nentry:\n  manner: swam\n")

    with pytest.raises(CaseFileError, match=r"and 2 more problems"):
        load_case(path)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("208-555-014", "208555014"),
        ("A208555014", "208555014"),
        ("12345678", "012345678"),
        (12345678, "012345678"),
    ],
)
def test_a_numbers_are_nine_digits_and_eight_get_a_leading_zero(given, stored):
    facts = CaseFacts.model_validate({"identity": {"a_number": given}})

    assert facts.identity.a_number == stored


def test_unknown_is_not_false():
    facts = CaseFacts.model_validate({"criminal_history": [], "gang": {"alleged": False}})

    assert facts.criminal_history == []
    assert facts.family is None
    assert facts.gang.alleged is False
    assert facts.security.terrorism_or_espionage is None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_case_loads_and_screens(path):
    facts = load_case(path)
    policy = load_policies(HERE / "policies_ok").get("tiny")

    result = screen(facts, policy, on=date(2026, 11, 28))

    assert result.to_dict()["findings"], path
    assert facts.identity.a_number and len(facts.identity.a_number) == 9


DOC = HERE.parents[1] / "docs" / "case-file.md"


def _yaml_blocks(text: str) -> list[str]:
    return [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]


def test_the_examples_in_the_docs_are_valid_case_files(tmp_path):
    blocks = _yaml_blocks(DOC.read_text(encoding="utf-8"))

    assert len(blocks) >= 2
    for index, block in enumerate(blocks):
        path = tmp_path / f"doc-{index}.yaml"
        path.write_text(block, encoding="utf-8")
        load_case(path)


def test_the_full_example_in_the_docs_is_maria_lopez():
    full = _yaml_blocks(DOC.read_text(encoding="utf-8"))[-1]

    assert CaseFacts.model_validate(yaml.safe_load(full)) == load_case(EXAMPLES / "maria-lopez.yaml")


def test_the_field_reference_in_the_docs_is_current():
    text = DOC.read_text(encoding="utf-8")
    documented = text.split("<!-- fields:start -->\n")[1].split("<!-- fields:end -->")[0]

    assert documented == field_reference(), (
        "docs/case-file.md is stale: replace the field tables with `discretion schema --markdown`"
    )
    assert all(f"| `{name}` |" in documented for name in CaseFacts.model_fields)


@pytest.mark.parametrize(
    "on", [date(2012, 6, 1), date(2016, 1, 1), date(2019, 1, 1), date(2022, 6, 1), date(2026, 11, 28)]
)
def test_every_example_screens_against_the_shipped_policy_of_the_day(on):
    policy = shipped().select(on)

    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = screen(load_case(path), policy, on=on).to_dict()
        assert data["policy"]["id"] == policy.id
        assert data["findings"], path


@pytest.mark.parametrize(
    ("example", "rule"),
    [
        ("recent-ewi-no-proof", "r25.er1_dismissal_expedited_removal"),
        ("detained-felony", "t25.public_safety"),
        ("trafficking-victim", "t_visa"),
        ("lpr-old-conviction", "lpr_cancellation"),
        ("daca-young-adult", "daca"),
    ],
)
def test_each_example_raises_what_it_was_written_to_show(example, rule):
    on = date(2026, 11, 28)
    result = screen(load_case(EXAMPLES / f"{example}.yaml"), shipped().select(on), on=on)

    outcomes = {f.id: f.outcome.value for f in (*result.findings, *result.risks, *result.relief)}
    assert outcomes[rule] == "met"


def test_the_intake_example_is_mostly_questions():
    on = date(2026, 11, 28)
    result = screen(load_case(EXAMPLES / "many-unknowns.yaml"), shipped().select(on), on=on)

    assert len(result.missing_facts) >= 10
    assert not [f for f in result.findings if f.outcome.value == "met"]
