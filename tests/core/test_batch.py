"""Docket CSVs: the row layout, streaming screening, rejected rows, and no partial output."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from discretion import batch, docket
from discretion.cli import main
from discretion.errors import BatchError
from discretion.facts import CaseFacts, Disposition, OffenceCategory, OffenceLevel, Relationship
from discretion.policies import load_policies, shipped
from discretion.screening import facts_digest, screen, screen_outcomes

HERE = Path(__file__).parent
DOCS = HERE.parents[1] / "docs" / "batch-csv.md"
POLICY = load_policies(HERE / "policies_ok").get("tiny")
ON = date(2021, 1, 1)
TINY = ["--policies-dir", str(HERE / "policies_ok")]


def facts_of(**cells: str) -> CaseFacts:
    header = tuple(cells)
    return docket.Reader(header).facts(list(cells.values()))


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- layout ---------------------------------------------------------------------------------


def test_the_column_reference_in_the_docs_is_current():
    text = DOCS.read_text(encoding="utf-8")
    documented = text.split("<!-- columns:start -->\n")[1].split("<!-- columns:end -->")[0]

    assert documented == docket.reference_markdown(), (
        "docs/batch-csv.md is stale: replace the column reference with `discretion batch-template --columns`"
    )
    assert all(f"`{c.name}`" in documented for c in docket.COLUMNS)


def test_the_template_is_every_column_in_order():
    assert batch.template().rstrip("\n").split(",") == [c.name for c in docket.COLUMNS]


def test_the_layout_covers_every_scalar_fact_outside_the_letter_sections():
    names = {c.name for c in docket.COLUMNS}

    for path in ("identity.a_number", "proceedings.next_hearing.date", "entry.manner", "fear.torture_fear"):
        assert path in names
    assert not any(n.startswith(("narrative.", "representative.")) for n in names)


# --- one row --------------------------------------------------------------------------------


def test_empty_is_unknown_and_none_is_the_empty_list():
    facts = facts_of(**{"identity.married": "", "identity.languages": "none", "identity.citizenship": ""})

    assert facts.identity.married is None
    assert facts.identity.languages == []
    assert facts.identity.citizenship is None
    assert facts.criminal_history is None and facts.family is None


@pytest.mark.parametrize(
    ("cell", "value"), [("yes", True), ("No", False), ("TRUE", True), ("0", False), ("1", True)]
)
def test_booleans_take_the_documented_words(cell, value):
    assert facts_of(**{"gang.alleged": cell}).gang.alleged is value


def test_scalars_lists_and_nested_fields_are_read():
    facts = facts_of(
        **{
            "case_id": "X-1",
            "identity.a_number": "12345678",
            "identity.languages": "Spanish; K'iche'",
            "proceedings.next_hearing.date": "2027-02-09",
            "entry.manner": "without_inspection",
            "employment.tax_years": "2023;2024",
            "proceedings.pending_applications": "asylum:court; u_visa",
            "presence.absences": "2015-01-01..2015-02-01; 2019-05-01..",
            "immigration_history.prior_removals": "2010-03-01:expedited_removal",
            "proceedings.prior_pd_requests": "denied",
            "health.serious_conditions": "1",
        }
    )

    assert facts.identity.a_number == "012345678"
    assert facts.identity.languages == ["Spanish", "K'iche'"]
    assert facts.proceedings.next_hearing and facts.proceedings.next_hearing.date == date(2027, 2, 9)
    assert facts.employment.tax_years == [2023, 2024]
    apps = facts.proceedings.pending_applications or []
    assert [(a.kind.value, a.forum and a.forum.value) for a in apps] == [
        ("asylum", "court"),
        ("u_visa", None),
    ]
    absences = facts.presence.absences or []
    assert [(a.left_on, a.returned_on) for a in absences] == [
        (date(2015, 1, 1), date(2015, 2, 1)),
        (date(2019, 5, 1), None),
    ]
    removals = facts.immigration_history.prior_removals or []
    assert removals[0].kind == "expedited_removal"
    assert facts.health.conditions and facts.health.conditions[0].serious is True


def test_criminal_counts_become_records_with_conservative_dates():
    facts = facts_of(
        **{
            "criminal.felony_convictions": "1",
            "criminal.misdemeanor_convictions": "2",
            "criminal.infraction_convictions": "0",
            "criminal.pending_charges": "1",
            "criminal.felony_categories": "drugs_possession",
            "criminal.misdemeanor_categories": "dui",
            "criminal.first_conviction_on": "2003-09-08",
            "criminal.last_conviction_on": "2015-10-13",
            "criminal.longest_sentence_days": "90",
        }
    )

    events = facts.criminal_history or []
    assert [(e.level, e.disposition) for e in events] == [
        (OffenceLevel.FELONY, Disposition.CONVICTED),
        (OffenceLevel.MISDEMEANOR, Disposition.CONVICTED),
        (OffenceLevel.MISDEMEANOR, Disposition.CONVICTED),
        (None, Disposition.PENDING),
    ]
    assert events[0].categories == [OffenceCategory.DRUGS_POSSESSION]
    assert events[1].categories == [OffenceCategory.DUI] and events[2].categories == []
    assert (events[0].convicted_on, events[0].sentence_days) == (date(2015, 10, 13), 90)
    assert events[2].convicted_on == date(2003, 9, 8)


def test_zero_counts_mean_no_record_and_family_counts_become_relatives():
    facts = facts_of(
        **dict.fromkeys(docket.CRIMINAL_COUNTS, "0"),
        **{
            "family.usc_children": "2",
            "family.lpr_children": "0",
            "family.other_children": "1",
            "family.spouse": "lpr",
            "family.usc_parents": "0",
            "family.lpr_parents": "1",
        },
    )

    assert facts.criminal_history == []
    relatives = [(m.relationship, m.status.value) for m in facts.family or []]
    assert relatives.count((Relationship.CHILD, "usc")) == 2
    assert (Relationship.SPOUSE, "lpr") in relatives and (Relationship.PARENT, "lpr") in relatives
    assert len(relatives) == 5


BAD_ROWS = [
    ({"entry.first_entry_on": "2021-02-30"}, "entry.first_entry_on", "not a real date"),
    ({"entry.first_entry_on": "20210201"}, "entry.first_entry_on", "YYYY-MM-DD"),
    ({"identity.married": "maybe"}, "identity.married", "not yes/no"),
    ({"identity.a_number": "1234567"}, "identity.a_number", "not an A-number"),
    ({"identity.a_number": "A12B45678"}, "identity.a_number", "not an A-number"),
    ({"entry.manner": "swam"}, "entry.manner", "'swam' is not one of"),
    ({"entry.age_at_first_entry": "ten"}, "entry.age_at_first_entry", "not a whole number"),
    ({"entry.age_at_first_entry": "-3"}, "entry.age_at_first_entry", "greater than or equal to 0"),
    ({"criminal.felony_convictions": "1"}, "criminal.misdemeanor_convictions", "is required"),
    (
        {**dict.fromkeys(docket.CRIMINAL_COUNTS, "0"), "criminal.felony_categories": "dui"},
        "criminal.felony_categories",
        "convictions is 0",
    ),
    (
        {
            **dict.fromkeys(docket.CRIMINAL_COUNTS, "0"),
            "criminal.felony_convictions": "1",
            "criminal.felony_categories": "jaywalking",
        },
        "criminal.felony_categories",
        "'jaywalking' is not one of",
    ),
    ({"family.spouse": "usc"}, "family.usc_children", "is required"),
    ({"presence.absences": "2015-01-01..2015-13-01"}, "presence.absences", "not a real date"),
    ({"proceedings.pending_applications": "green_card"}, "proceedings.pending_applications", "not one of"),
]


@pytest.mark.parametrize(("cells", "column", "words"), BAD_ROWS, ids=[b[1] + ":" + b[2] for b in BAD_ROWS])
def test_a_bad_cell_names_its_column(cells, column, words):
    with pytest.raises(docket.RowErrors) as caught:
        facts_of(**cells)

    assert any(e.column == column and words in e.reason for e in caught.value.errors), caught.value


# --- a whole file ---------------------------------------------------------------------------


def test_it_screens_a_file_and_each_result_matches_screening_the_case(tmp_path):
    cases = write_csv(
        tmp_path / "cases.csv",
        [
            {"case_id": "A", "entry.first_entry_on": "2005-03-01", "identity.married": "yes"},
            {"case_id": "B", "entry.first_entry_on": "2019-03-01", "identity.married": ""},
            {"case_id": "C", "entry.first_entry_on": "", "identity.married": "no"},
        ],
    )
    results = tmp_path / "results.csv"

    summary = batch.run(cases, results, policy=POLICY, on=ON)

    assert (summary.read, summary.screened, summary.rejected) == (3, 3, 0)
    rows = read_csv(results)
    assert [r["mitigating:long_presence"] for r in rows] == ["met", "not_met", "unknown"]
    assert [r["row"] for r in rows] == ["2", "3", "4"]
    expected = screen(
        CaseFacts.model_validate({"case_id": "C", "identity": {"married": False}}), POLICY, on=ON
    )
    assert rows[2]["summary"] == expected.summary
    assert rows[2]["facts_digest"] == expected.facts_digest
    assert "entry.first_entry_on" in rows[2]["missing_facts"].split("; ")


def test_bad_rows_go_to_the_errors_file_and_the_run_goes_on(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "case_id,entry.first_entry_on,identity.married\n"
        "A,2005-03-01,yes\n"
        "B,2021-02-30,maybe\n"
        "\n"
        "C,2005-03-01\n"
        ",,\n"
        "D,2006-01-01,no\n",
        encoding="utf-8",
    )
    results, errors = tmp_path / "results.csv", tmp_path / "errors.csv"

    summary = batch.run(cases, results, policy=POLICY, on=ON, errors=errors)

    assert (summary.read, summary.screened, summary.rejected) == (4, 2, 2)
    assert [r["case_id"] for r in read_csv(results)] == ["A", "D"]
    assert read_csv(errors) == [
        {"row": "3", "column": "entry.first_entry_on", "reason": "'2021-02-30' is not a real date"},
        {
            "row": "3",
            "column": "identity.married",
            "reason": "'maybe' is not yes/no (yes, no, true, false, 1, 0)",
        },
        {"row": "5", "column": "(row)", "reason": "has 2 cells; the header has 3"},
    ]


def test_it_reads_a_spreadsheet_export_with_a_byte_order_mark(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_bytes("\ufeffcase_id,entry.first_entry_on\r\nA,2005-03-01\r\n".encode())

    summary = batch.run(cases, tmp_path / "out.csv", policy=POLICY, on=ON)

    assert summary.screened == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "the file is empty"),
        (b"case_id,entry.first_entry\nA,2005-03-01\n", ":1: unknown column 'entry.first_entry'"),
        (b"case_id,case_id\nA,B\n", ":1: column 'case_id' appears twice"),
        (b"case_id,narrative.introduction\nA,B\n", "not docket columns"),
        (b"case_id\nA\n" + b"B\n" * 10000 + b"\xff\xfe\n", "near row .*not UTF-8"),
        (b"case_id\xff\nA\n", "not UTF-8"),
        (b'case_id\nA\n"B\n', "cannot be read"),
    ],
    ids=[
        "empty",
        "unknown column",
        "duplicate column",
        "letter column",
        "not utf-8",
        "not utf-8 header",
        "unclosed quote",
    ],
)
def test_a_file_that_cannot_be_read_fails_whole_and_keeps_the_old_results(tmp_path, content, words):
    cases = tmp_path / "cases.csv"
    cases.write_bytes(content)
    results, errors = tmp_path / "results.csv", tmp_path / "errors.csv"
    results.write_text("earlier results\n", encoding="utf-8")

    with pytest.raises(BatchError, match=words) as caught:
        batch.run(cases, results, policy=POLICY, on=ON, errors=errors)

    assert "\n" not in str(caught.value)
    assert results.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv", "results.csv"]


def test_it_reports_progress_in_bytes_as_it_streams(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,entry.first_entry_on\n" + "X,2005-03-01\n" * 5000, encoding="utf-8")
    seen: list[int] = []

    batch.run(cases, tmp_path / "out.csv", policy=POLICY, on=ON, progress=seen.append)

    assert len(seen) >= 3
    assert seen == sorted(seen)
    assert seen[-1] == cases.stat().st_size


# --- command line -----------------------------------------------------------------------------


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_the_command_prints_a_summary_and_exits_1_when_rows_were_rejected(tmp_path):
    cases = write_csv(
        tmp_path / "cases.csv",
        [{"case_id": "A", "identity.married": "yes"}, {"case_id": "B", "identity.married": "perhaps"}],
    )
    results = tmp_path / "results.csv"

    result = invoke("screen-batch", str(cases), "-o", str(results), "--as-of", "2021-01-01", *TINY)

    assert result.exit_code == 1
    assert f"{cases}: row 3: identity.married: 'perhaps' is not yes/no" in result.stderr
    assert "2 rows read: 1 screened, 1 rejected (policy tiny, as of 2021-01-01)" in result.stderr
    assert len(read_csv(results)) == 1


def test_a_clean_run_exits_0(tmp_path):
    cases = write_csv(tmp_path / "cases.csv", [{"case_id": "A"}])

    result = invoke("screen-batch", str(cases), "-o", str(tmp_path / "r.csv"), "--as-of", "2021-01-01", *TINY)

    assert result.exit_code == 0, result.stderr
    assert "1 rows read: 1 screened, 0 rejected" in result.stderr


def test_the_command_refuses_to_overwrite_its_input(tmp_path):
    cases = write_csv(tmp_path / "cases.csv", [{"case_id": "A"}])

    result = invoke("screen-batch", str(cases), "-o", str(cases), "--as-of", "2021-01-01", *TINY)

    assert result.exit_code == 2
    assert "would overwrite the cases file" in result.stderr
    assert read_csv(cases) == [{"case_id": "A"}]


def test_a_missing_cases_file_is_one_line(tmp_path):
    result = invoke("screen-batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r.csv"), *TINY)

    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.csv'}: file not found\n"


def test_batch_template_writes_a_header_the_batch_accepts(tmp_path):
    template = tmp_path / "docket.csv"
    invoke("batch-template", "-o", str(template))
    with template.open("a", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow([""] * len(docket.COLUMNS))
        row = io.StringIO()
        cells = [""] * len(docket.COLUMNS)
        cells[0] = "ONLY"
        csv.writer(row, lineterminator="\n").writerow(cells)
        handle.write(row.getvalue())

    summary = batch.run(template, tmp_path / "r.csv", policy=POLICY, on=ON)

    assert (summary.read, summary.screened) == (1, 1)


def test_unsure_rules_carry_their_mark_in_the_column_name(tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (HERE / "policies_ok" / "tiny-2020-01-01.yaml").read_text(encoding="utf-8")
    (policies / "tiny-2020-01-01.yaml").write_text(
        text.replace("    confidence: confirmed", "    confidence: unverified"), encoding="utf-8"
    )
    policy = load_policies(policies).get("tiny")

    assert "mitigating:long_presence [UNVERIFIED]" in batch.rule_columns(policy, ON)
    assert "mitigating:long_presence" in batch.rule_columns(POLICY, ON)


def test_parallel_workers_give_the_same_files_in_the_same_order(tmp_path):
    lines = ["case_id,entry.first_entry_on,identity.married"]
    for i in range(1500):
        year = 1990 + i % 35
        married = ["yes", "no", "", "perhaps"][i % 4]
        lines.append(f"C{i},{year}-0{1 + i % 9}-1{i % 10},{married}")
    cases = tmp_path / "cases.csv"
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = {}
    for workers in (1, 2):
        results, errors = tmp_path / f"r{workers}.csv", tmp_path / f"e{workers}.csv"
        summary = batch.run(cases, results, policy=POLICY, on=ON, errors=errors, workers=workers)
        outputs[workers] = (summary.line(), results.read_bytes(), errors.read_bytes())

    assert outputs[1] == outputs[2]
    assert outputs[1][0] == "1500 rows read: 1125 screened, 375 rejected"


def test_a_missing_output_folder_is_one_line_and_nothing_is_written(tmp_path):
    cases = write_csv(tmp_path / "cases.csv", [{"case_id": "A"}])
    target = tmp_path / "nope" / "results.csv"

    result = invoke("screen-batch", str(cases), "-o", str(target), "--as-of", "2021-01-01", *TINY)

    assert result.exit_code == 2
    assert result.stderr == f"error: {target}: the folder {target.parent} does not exist\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv"]


def test_an_unknown_column_stops_the_command_in_one_line(tmp_path):
    cases = write_csv(tmp_path / "cases.csv", [{"case_id": "A", "identity.nmae": "X"}])

    result = invoke("screen-batch", str(cases), "-o", str(tmp_path / "r.csv"), "--as-of", "2021-01-01", *TINY)

    assert result.exit_code == 2
    assert result.stderr == (f"error: {cases}:1: unknown column 'identity.nmae'; see docs/batch-csv.md\n")
    assert not (tmp_path / "r.csv").exists()


def test_results_and_errors_must_be_different_files(tmp_path):
    cases = write_csv(tmp_path / "cases.csv", [{"case_id": "A"}])
    target = str(tmp_path / "out.csv")

    result = invoke("screen-batch", str(cases), "-o", target, "--errors", target, *TINY)

    assert result.exit_code == 2
    assert "must be different files" in result.stderr


# --- the fast path ----------------------------------------------------------------------------


def _varied_row(rng: random.Random) -> list[str]:
    """A random value, or an empty (unknown) cell, for every column of the template."""
    days = (date(1940, 1, 1) + timedelta(days=rng.randrange(32_000))).isoformat

    def cell(column: docket.Column) -> str:
        if rng.random() < 0.35:
            return ""  # unknown
        name, kind = column.name, column.kind
        if name.startswith("criminal.") and name.endswith(("_convictions", "_charges")):
            return str(rng.choice([0, 0, 1, 2]))
        if name.endswith("_categories"):
            return rng.choice([c.value for c in OffenceCategory])
        if name == "criminal.longest_sentence_days":
            return str(rng.choice([0, 30, 365, 2000]))
        if name == "family.spouse":
            return rng.choice(["none", "usc", "lpr", "undocumented", "unknown"])
        if name.startswith("family."):
            return str(rng.choice([0, 0, 1, 2]))
        if name == "presence.absences":
            return rng.choice(["none", f"{days()}..{days()}", f"{days()}.."])
        if name == "immigration_history.prior_removals":
            return rng.choice(["none", days(), f"{days()}:expedited_removal"])
        if name == "proceedings.pending_applications":
            return rng.choice(["none", "asylum:court", "u_visa;i130:uscis", "cancellation_non_lpr"])
        if name == "entry.paroles":
            return rng.choice(["none", f"{days()}..{days()}", f"{days()[:7]}..:terminated", ".."])
        if name == "presence.proofs":
            return rng.choice(["none", "lease 2019", "lease, tax return; pay stubs", "shelter records"])
        if name == "immigration_history.grandfathering_filings":
            return rng.choice(["none", "2001-04-30", "1999-03:parent"])
        if name == "proceedings.prior_pd_requests":
            return rng.choice(["none", "denied", "granted;no_response"])
        if name == "health.serious_conditions":
            return str(rng.choice([0, 1]))
        if kind == "bool":
            return rng.choice(["yes", "no"])
        if kind == "date":
            return days()
        if kind == "fact_date":  # partial dates too: a year, or a year and month
            return rng.choice([days(), days(), days()[:7], days()[:4]])
        if kind == "int":
            return str(rng.choice([0, 1, 2, 5, 12]))
        if kind == "numbers":
            return ";".join(str(rng.randrange(1990, 2027)) for _ in range(rng.randrange(3)))
        if "One of: " in column.help:
            return rng.choice(column.help.split("One of: ")[1].rstrip(".").split(", "))
        if name == "identity.a_number":
            return f"{rng.randrange(10**8, 10**9)}"
        return rng.choice(["x", "some words; more"])

    row = {c.name: cell(c) for c in docket.COLUMNS}
    # The summary groups are all filled or all unknown, and dates and categories need convictions.
    for group in ("criminal.", "family."):
        known = rng.random() < 0.7
        for c in docket.COLUMNS:
            if c.name.startswith(group):
                row[c.name] = (row[c.name] or cell(c) or "0") if known else ""
    if row["criminal.felony_convictions"]:
        row["criminal.felony_convictions"] = str(rng.choice([0, 0, 1]))
        row["criminal.misdemeanor_convictions"] = str(rng.choice([0, 1, 2]))
        for level in ("felony", "misdemeanor"):
            if row[f"criminal.{level}_convictions"] == "0":
                row[f"criminal.{level}_categories"] = ""
        convicted = any(
            row[f"criminal.{k}_convictions"] != "0" for k in ("felony", "misdemeanor", "infraction")
        )
        last = days() if convicted and rng.random() < 0.7 else ""
        row["criminal.last_conviction_on"] = row["criminal.first_conviction_on"] = last
        row["criminal.longest_sentence_days"] = row["criminal.longest_sentence_days"] if convicted else ""
        if row["criminal.longest_sentence_days"] == "0" and not convicted:
            row["criminal.longest_sentence_days"] = ""
    return list(row.values())


@pytest.mark.parametrize("on", [date(2021, 11, 28), date(2024, 6, 1), date(2026, 11, 28)])
def test_the_fast_path_gives_exactly_what_screen_gives(on):
    """screen_outcomes + outcome_row against screen + result_row, row by row, shipped policies."""
    rng = random.Random(on.toordinal())
    reader = docket.Reader(tuple(c.name for c in docket.COLUMNS))
    policy = shipped().select(on)
    compared = 0
    for number in range(400):
        try:
            facts = reader.facts(_varied_row(rng))
        except docket.RowErrors:
            continue
        full = screen(facts, policy, on=on)
        fast = screen_outcomes(facts, policy, on=on)
        findings = (*full.findings, *full.risks, *full.relief)
        assert [r.id for r in fast.plan.rules] == [f.id for f in findings]
        for finding, verdict in zip(findings, fast.verdicts, strict=True):
            assert (verdict.outcome, verdict.reason, verdict.missing) == (
                finding.outcome,
                finding.reason,
                finding.missing,
            ), finding.id
        assert fast.problems == full.problems
        assert fast.missing_facts == full.missing_facts
        digest = facts_digest(facts)
        assert batch.outcome_row(number, facts, fast, digest) == batch.result_row(number, facts, full)
        compared += 1
    assert compared > 100  # most random rows are valid
    outcomes = {v.outcome for v in fast.verdicts}
    assert len(outcomes) > 1


def test_parse_only_reads_and_rejects_alike_but_screens_nothing(tmp_path):
    cases = write_csv(
        tmp_path / "cases.csv",
        [{"case_id": "A", "entry.manner": "admitted"}, {"case_id": "B", "entry.manner": "swam"}],
    )
    full = batch.run(cases, tmp_path / "r.csv", policy=POLICY, on=ON, errors=tmp_path / "e1.csv")
    parsed = batch.run(cases, None, policy=POLICY, on=ON, errors=tmp_path / "e2.csv", parse_only=True)

    assert (parsed.read, parsed.screened, parsed.rejected) == (full.read, full.screened, full.rejected)
    assert (tmp_path / "e1.csv").read_text() == (tmp_path / "e2.csv").read_text()
    assert "parsed (not screened)" in parsed.line()
    in_workers = batch.run(
        cases, None, policy=POLICY, on=ON, errors=tmp_path / "e3.csv", parse_only=True, workers=2
    )
    assert (in_workers.screened, in_workers.rejected) == (1, 1)
    assert (tmp_path / "e3.csv").read_text() == (tmp_path / "e1.csv").read_text()
    result = invoke("screen-batch", str(cases), "--parse-only", "--as-of", "2021-01-01", *TINY)
    assert result.exit_code == 1 and "1 parsed (not screened), 1 rejected" in result.output
    assert not list(tmp_path.glob("*.tmp"))
    assert invoke("screen-batch", str(cases), *TINY).exit_code == 2  # -o is needed to screen
    assert (
        invoke("screen-batch", str(cases), "-o", str(tmp_path / "r2.csv"), "--parse-only", *TINY).exit_code
        == 2
    )
