"""The policy and relief loaders reject every broken file with one line naming file, line, entry and fault.

One broken fixture per failure mode lives in ``bad_policies/`` (OpenFisca style); each is the
tiny valid policy with exactly one thing wrong.
"""

from datetime import date
from pathlib import Path

import pytest

from discretion.errors import NoPolicyInForce, PolicyError
from discretion.policies import check_policies, load_policies, load_policy, policy_warnings
from discretion.relief import load_relief

HERE = Path(__file__).parent
BAD = HERE / "bad_policies"
RULE = "mitigating 'long_presence'"
# The tiny fixture with an end date, so that it raises no warning of its own.
TINY_ENDED = (
    (HERE / "policies_ok" / "tiny-2020-01-01.yaml")
    .read_text()
    .replace("status: historical", "ended: 2021-01-01\nstatus: historical")
)


@pytest.mark.parametrize(
    ("filename", "fragments"),
    [
        ("unknown-top-level-key", ["unknown-top-level-key.yaml:17:", "unexpected key 'factorz'"]),
        ("unknown-rule-key", ["unknown-rule-key.yaml:17:", RULE, "unexpected key 'argument'"]),
        (
            "duplicate-yaml-key",
            ["duplicate-yaml-key.yaml:13:", RULE, "duplicate key 'label' (first on line 12)"],
        ),
        ("duplicate-rule-id", ["duplicate-rule-id.yaml:17:", RULE, "duplicate id (first used on line 11)"]),
        ("duplicate-source-id", ["duplicate-source-id.yaml:10:", "source 'memo'", "duplicate source id"]),
        ("bad-date", ["bad-date.yaml:5:", "effective", "'2021-13-01' is not a real date"]),
        (
            "effective-before-issued",
            [
                "effective-before-issued.yaml:5:",
                "effective date 2019-12-31 is before the issued date 2020-01-01",
            ],
        ),
        (
            "ended-before-effective",
            ["ended-before-effective.yaml:6:", "ended date 2019-06-01 must be after the effective date"],
        ),
        (
            "suspension-ends-before-start",
            [
                "suspension-ends-before-start.yaml:11:",
                "suspension from 2020-06-01",
                "must end after it starts",
            ],
        ),
        (
            "suspension-before-effective",
            [
                "suspension-before-effective.yaml:11:",
                "suspension from 2019-06-01",
                "starts outside the policy's time in force",
            ],
        ),
        (
            "suspensions-overlap",
            [
                "suspensions-overlap.yaml:12:",
                "suspension from 2020-07-01",
                "overlaps or precedes the suspension from 2020-06-01",
            ],
        ),
        (
            "suspension-cites-unknown-source",
            [
                "suspension-cites-unknown-source.yaml:11:",
                "suspension from 2020-06-01",
                "cites unknown source 'court_order'",
            ],
        ),
        (
            "unknown-predicate",
            [
                "unknown-predicate.yaml:13:",
                RULE,
                "no predicate named 'years_presnt_at_least'",
                "did you mean 'years_present_at_least'",
            ],
        ),
        (
            "unknown-predicate-parameter",
            ["unknown-predicate-parameter.yaml:14:", RULE, "takes no parameter 'months'", "it takes: years"],
        ),
        (
            "missing-required-parameter",
            ["missing-required-parameter.yaml:13:", RULE, "needs parameter 'years'"],
        ),
        (
            "wrong-parameter-type",
            ["wrong-parameter-type.yaml:14:", RULE, "parameter 'years' must be int, not str"],
        ),
        (
            "bool-for-int-parameter",
            ["bool-for-int-parameter.yaml:14:", RULE, "parameter 'years' must be int, not bool"],
        ),
        (
            "single-value-for-list-parameter",
            [
                "single-value-for-list-parameter.yaml:14:",
                "priority 'felony'",
                "parameter 'levels' must be a list, not str",
            ],
        ),
        (
            "citation-of-unknown-source",
            [
                "citation-of-unknown-source.yaml:15:",
                RULE,
                "cites unknown source 'mayorkas_memo' (sources: memo)",
            ],
        ),
        ("rule-without-citation", ["rule-without-citation.yaml:11:", RULE, "missing required key 'cite'"]),
        ("missing-confidence", ["missing-confidence.yaml:11:", RULE, "missing required key 'confidence'"]),
        (
            "bad-confidence",
            ["bad-confidence.yaml:16:", RULE, "confidence: 'sure' is not one of", "'unverified'"],
        ),
        (
            "polarity-contradicts-section",
            [
                "polarity-contradicts-section.yaml:11:",
                RULE,
                "polarity 'unfavourable' contradicts kind 'mitigating'",
            ],
        ),
        (
            "risk-without-lowered-by",
            [
                "risk-without-lowered-by.yaml:18:",
                "risk 'dismissal_then_expedited_removal'",
                "needs `level` and `lowered_by`",
            ],
        ),
        ("kind-inside-section", ["kind-inside-section.yaml:12:", RULE, "`kind` comes from the section"]),
        (
            "include-of-unknown-policy",
            ["include-of-unknown-policy.yaml:8:", "includes unknown policy 'mayorkas-2021'", "known: "],
        ),
        ("bad-status", ["bad-status.yaml:6:", "status: 'rescinded' is not one of current, historical"]),
        ("missing-title", ["missing-title.yaml:", "missing required key 'title'"]),
        ("not-a-mapping", ["not-a-mapping.yaml:", "must be a mapping of keys to values, not a list"]),
        ("not-yaml", ["not-yaml.yaml:3:", "not valid YAML"]),
        ("not-text", ["not-text.yaml:", "is not UTF-8 text"]),
        ("empty", ["empty.yaml:", "the file is empty"]),
    ],
)
def test_it_rejects_a_broken_policy_file_with_one_line_naming_file_entry_and_fault(filename, fragments):
    with pytest.raises(PolicyError) as caught:
        load_policy(BAD / f"{filename}.yaml")

    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_every_fixture_in_bad_policies_is_covered_by_a_test():
    covered = {
        name
        for mark in test_it_rejects_a_broken_policy_file_with_one_line_naming_file_entry_and_fault.pytestmark
        for name, _ in mark.args[1]
    }
    on_disk = {p.stem for p in BAD.glob("*.yaml")}
    assert on_disk == covered


def test_it_rejects_an_include_cycle_naming_the_chain():
    with pytest.raises(PolicyError) as caught:
        load_policies(BAD / "include-cycle")

    message = str(caught.value)
    assert "second-2021-01-01.yaml:8:" in message
    assert "includes 'first', which makes a cycle: first -> second -> first" in message


def test_it_rejects_two_files_with_the_same_id_naming_both_files():
    with pytest.raises(PolicyError, match="policy id 'twin' is used by more than one file") as caught:
        load_policies(BAD / "same-id")

    assert "twin-2020-01-01.yaml, twin-2021-01-01.yaml" in str(caught.value)


def test_a_missing_directory_is_one_clear_error():
    with pytest.raises(PolicyError, match="no such policy directory"):
        load_policies(BAD / "nowhere")


def test_the_first_problem_says_how_many_more_there_are(tmp_path):
    text = (BAD / "unknown-rule-key.yaml").read_text() + "factorz: []\n"
    (tmp_path / "two-faults.yaml").write_text(text.replace("status: historical", "status: rescinded"))

    with pytest.raises(PolicyError, match=r"and 2 more problems: run `discretion policies check`"):
        load_policy(tmp_path / "two-faults.yaml")


def test_check_lists_every_problem_of_every_file_one_line_each():
    problems = check_policies(BAD)

    assert all("\n" not in p for p in problems)
    files = {p.split(":", 1)[0] for p in problems}
    assert files == {p.name for p in BAD.glob("*.yaml")}


def test_check_reports_each_file_in_an_include_cycle():
    problems = check_policies(BAD / "include-cycle")

    assert [p.split(":", 1)[0] for p in problems] == ["second-2021-01-01.yaml", "first-2020-01-01.yaml"]


def test_check_of_a_good_directory_finds_nothing():
    assert check_policies(HERE / "policies_ok") == []


@pytest.mark.parametrize(
    ("filename", "fragments"),
    [
        (
            "relief-without-threshold",
            ["relief-without-threshold.yaml:5:", "relief 'cancellation_non_lpr'", "needs `threshold`"],
        ),
        (
            "relief-wrong-kind",
            ["relief-wrong-kind.yaml:6:", "relief 'cancellation_non_lpr'", "`kind` comes from the section"],
        ),
        (
            "relief-unknown-source",
            ["relief-unknown-source.yaml:10:", "relief 'cancellation_non_lpr'", "cites unknown source 'cfr'"],
        ),
        (
            "relief-unknown-key",
            ["relief-unknown-key.yaml:12:", "relief 'cancellation_non_lpr'", "unexpected key 'eligibility'"],
        ),
    ],
)
def test_it_rejects_a_broken_relief_file(filename, fragments):
    with pytest.raises(PolicyError) as caught:
        load_relief(BAD / "relief" / f"{filename}.yaml")

    for fragment in fragments:
        assert fragment in str(caught.value)


def test_the_good_relief_fixture_loads_with_its_threshold():
    rules, sources = load_relief(BAD / "relief" / "relief-ok.yaml")

    assert [r.threshold for r in rules] == ["Ten years' continuous physical presence"]
    assert set(sources) == {"ina"}


# --- which policy governs a date ---------------------------------------------------------------

POLICY = """id: {id}
title: Policy {id}
issuer: Test office
issued: {effective}
effective: {effective}
{extra}status: historical
summary: For date tests only.
sources:
  - {{id: memo, title: Test memo, confidence: confirmed}}
mitigating:
  - {{id: long_presence, label: Long presence, test: years_present_at_least, with: {{years: 10}}, cite: [{{source: memo}}], confidence: confirmed}}
"""
SUSPENSION = "suspensions:\n  - {from: 2021-01-10, until: 2021-02-01, reason: TRO, cite: [{source: memo}]}\n"


@pytest.fixture
def sequence(tmp_path):
    """older: 2019-01-01 to 2020-01-01 (exclusive); a gap; newer from 2020-03-01, suspended 2021-01-10 to 2021-02-01."""
    (tmp_path / "older-2019-01-01.yaml").write_text(
        POLICY.format(id="older", effective="2019-01-01", extra="ended: 2020-01-01\n")
    )
    (tmp_path / "newer-2020-03-01.yaml").write_text(
        POLICY.format(id="newer", effective="2020-03-01", extra=SUSPENSION)
    )
    return load_policies(tmp_path)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2019-01-01", "older"),  # the effective day is in force
        ("2019-12-31", "older"),
        ("2020-03-01", "newer"),
        ("2021-01-09", "newer"),  # the day before a suspension
        ("2021-02-01", "newer"),  # `until` is the first day back in force
    ],
)
def test_select_finds_the_policy_in_force(sequence, on, expected):
    assert sequence.select(date.fromisoformat(on)).id == expected


@pytest.mark.parametrize(
    ("on", "fragments"),
    [
        (
            "2018-12-31",
            ["in force on 2018-12-31", "the earliest policy on file, older, took effect on 2019-01-01"],
        ),
        (
            "2020-01-01",
            ["in force on 2020-01-01", "older, ended on 2020-01-01", "newer, takes effect on 2020-03-01"],
        ),
        ("2021-01-10", ["newer was suspended from 2021-01-10 until 2021-02-01 (TRO)"]),
        ("2021-01-31", ["newer was suspended from 2021-01-10 until 2021-02-01"]),
    ],
)
def test_no_policy_in_force_says_why(sequence, on, fragments):
    with pytest.raises(NoPolicyInForce) as caught:
        sequence.select(date.fromisoformat(on))

    message = str(caught.value)
    assert "--policy ID" in message
    for fragment in fragments:
        assert fragment in message


def test_in_force_lists_every_policy_in_force_oldest_first(tmp_path):
    (tmp_path / "first-2020-01-01.yaml").write_text(
        POLICY.format(id="first", effective="2020-01-01", extra="")
    )
    (tmp_path / "second-2020-02-01.yaml").write_text(
        POLICY.format(id="second", effective="2020-02-01", extra=SUSPENSION)
    )
    catalogue = load_policies(tmp_path)

    assert [p.id for p in catalogue.in_force(date(2020, 1, 31))] == ["first"]
    assert [p.id for p in catalogue.in_force(date(2020, 2, 1))] == ["first", "second"]
    assert [p.id for p in catalogue.in_force(date(2021, 1, 15))] == ["first"]  # second is suspended
    assert catalogue.select(date(2020, 2, 1)).id == "second"
    assert catalogue.select(date(2021, 1, 15)).id == "first"


def test_a_flow_list_item_split_at_a_comma_is_a_warning_not_an_error(tmp_path):
    text = TINY_ENDED
    split = text.replace(
        "evidence: [Leases and tax returns]",
        "evidence: [Proof of presence since January 1, 2014 (leases, pay stubs)]",
    )
    (tmp_path / "tiny-2020-01-01.yaml").write_text(split)

    (rule,) = load_policies(tmp_path).get("tiny").rules
    warnings = policy_warnings(tmp_path)

    assert rule.evidence == ["Proof of presence since January 1", "2014 (leases", "pay stubs)"]
    assert warnings == [
        "tiny-2020-01-01.yaml:20: mitigating 'long_presence': evidence item '2014 (leases' looks like half of an "
        "item split at a comma: quote items that contain commas, or write the list one item per line"
    ]
    assert check_policies(tmp_path) == []


def test_separate_short_evidence_items_are_not_warned_about(tmp_path):
    text = TINY_ENDED
    (tmp_path / "tiny-2020-01-01.yaml").write_text(
        text.replace("[Leases and tax returns]", "[Leases, utility bills, tax returns (every year)]")
    )

    assert policy_warnings(tmp_path) == []


def test_a_file_not_named_after_its_id_and_effective_date_is_a_warning(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY_ENDED)

    assert policy_warnings(tmp_path) == ["tiny.yaml:1: the file should be named tiny-2020-01-01.yaml"]
    assert load_policies(tmp_path).get("tiny").id == "tiny"


def test_a_historical_policy_without_an_end_date_is_a_warning(tmp_path):
    (tmp_path / "tiny-2020-01-01.yaml").write_text(
        (HERE / "policies_ok" / "tiny-2020-01-01.yaml").read_text()
    )

    assert policy_warnings(tmp_path) == [
        "tiny-2020-01-01.yaml:6: status is historical but `ended` is not set, so the tool treats it as in force forever"
    ]


def test_a_current_policy_with_an_end_date_is_a_warning(tmp_path):
    text = (HERE / "policies_ok" / "tiny-2020-01-01.yaml").read_text()
    (tmp_path / "tiny-2020-01-01.yaml").write_text(
        text.replace("status: historical", "status: current\nended: 2021-01-01")
    )

    assert policy_warnings(tmp_path) == [
        "tiny-2020-01-01.yaml:7: status is current but the policy ended on 2021-01-01"
    ]
