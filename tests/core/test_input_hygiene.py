"""Input hygiene at the boundary (issue 9): each mutated case file the issue found crashing the
CLI now gets a one-line error naming the file, line and field; nothing hangs, nothing is left."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from discretion.casefile import load_case, parse_facts
from discretion.cli import main
from discretion.errors import CaseFileError
from discretion.hygiene import InputError, clean_text, cut, spreadsheet_safe

ROOT = Path(__file__).parents[2]
MARIA = ROOT / "examples" / "maria-lopez.yaml"
BASE = "schema_version: 1\ncase_id: T-1\n"


def screen(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["screen", str(path), "--as-of", "2026-03-01", *extra])
    # A traceback reaching the user is a bug: only a clean exit is allowed.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def case(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


NESTED = "a: " + "[" * 500 + "]" * 500 + "\n"
BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BASE + 'identity:\n  name: "Ana\x07"\n', "contains a character that is not allowed (U+0007"),
        (BASE + NESTED, "is nested more than 24 levels deep"),
        (BASE + "identity: &x\n  other_names: *x\n", "an alias refers to the value that holds it"),
        (BASE + "identity:\n  ? [a, b]\n  : 1\n", "a key must be plain text"),
        (BASE + "employment:\n  years_worked_in_us: !!int abc\n", "is not a whole number"),
        (BASE + "employment:\n  years_worked_in_us: " + "9" * 5000 + "\n", "is not a whole number"),
        (BASE + "identity:\n  date_of_birth: 9999-12-31\n", "out of range (years 1800–2200)"),
        (BASE + 'identity:\n  name: "Ana \\ud800"\n', "lone surrogate"),
        (BASE + "employment:\n  tax_years: [2019, -3]\n", "employment.tax_years[1]"),
        (BASE + "employment:\n  years_worked_in_us: 100000000000000\n", "employment.years_worked_in_us"),
        (BASE + 'identity:\n  name: "Ana\\0"\n', "contains a NUL character (U+0000)"),
        (BASE + 'identity:\n  name: "Ana\\vLópez"\n', "identity.name: contains a vertical tab"),
        (
            BASE + "identity:\n  name: " + "A" * 600 + "\n",
            "identity.name: is 600 characters long; the limit is 500",
        ),
        (BASE + BOMB, "aliases"),
    ],
    ids=[
        "non-printable",
        "nesting",
        "recursive-alias",
        "complex-key",
        "bad-int-tag",
        "5000-digits",
        "year-9999",
        "lone-surrogate",
        "tax-year-minus-3",
        "10^14-years",
        "nul",
        "vertical-tab-in-name",
        "long-name",
        "alias-bomb",
    ],
)
def test_a_hostile_case_file_gets_one_line_naming_file_and_field_and_leaves_nothing(tmp_path, text, expected):
    path = case(tmp_path, text)
    started = time.perf_counter()
    code, err = screen(path, "--format", "json", "-o", str(tmp_path / "out.json"))
    assert time.perf_counter() - started < 5
    assert code == 2
    assert err.startswith(f"error: {path}") and expected in err, err
    assert len(err) < 400  # readable: one line, the bad value cut short
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]  # no .tmp, no output


def test_json_duplicate_keys_are_refused_like_yamls(tmp_path):
    path = case(tmp_path, '{"schema_version": 1, "case_id": "A", "case_id": "B"}', "case.json")
    with pytest.raises(CaseFileError, match=r"case.json: duplicate key 'case_id'"):
        load_case(path)


def test_deeply_nested_json_is_refused(tmp_path):
    path = case(tmp_path, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "case.json")
    with pytest.raises(CaseFileError, match="nested too deeply"):
        load_case(path)


def test_a_fifo_named_yaml_is_refused_at_once(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    # In a child process, so a regression hangs the child (killed by the timeout), not the suite.
    code = "import sys; from discretion.cli import main; sys.argv = ['discretion', 'screen', sys.argv[1]]; main()"
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "is not a regular file" in done.stderr


def test_a_huge_file_is_refused_by_size_and_a_huge_value_is_not_echoed(tmp_path):
    big = case(tmp_path, BASE + "x: " + "a" * (6 * 1024 * 1024) + "\n")
    with pytest.raises(CaseFileError, match="is larger than 5 MB"):
        load_case(big)
    value = "a" * (4 * 1024 * 1024)
    bad = case(tmp_path, BASE + f"requested_action: {value}\n", "bad.yaml")
    with pytest.raises(CaseFileError) as caught:
        load_case(bad)
    assert "requested_action" in str(caught.value) and len(str(caught.value)) < 400


def test_a_vertical_tab_in_prose_becomes_a_line_break(tmp_path):
    facts = parse_facts(
        {"schema_version": 1, "narrative": {"equities": "First line\x0bsecond line\r\nthird"}}, where="t"
    )
    assert facts.narrative.equities == "First line\nsecond line\nthird"


def test_the_letter_is_written_for_a_name_of_300_characters(tmp_path):
    import yaml

    data = yaml.safe_load(MARIA.read_text(encoding="utf-8"))
    data["identity"]["name"] = "María " + "X" * 300
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["letter", str(path), "-o", str(tmp_path / "out"), "--as-of", "2026-03-01"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert any(p.suffix == ".docx" for p in (tmp_path / "out").iterdir())


def test_the_public_function_names_the_field_and_keeps_tabs_and_line_breaks():
    assert clean_text("a\tb\nc", field="x") == "a\tb\nc"
    assert clean_text("a\x0bb", field="x", multiline=True) == "a\nb"
    with pytest.raises(InputError, match=r"^notes: contains an escape character \(U\+001B\) at position 2"):
        clean_text("a\x1b[31m", field="notes", multiline=True)
    with pytest.raises(InputError, match="identity.name: contains a vertical tab"):
        clean_text("a\x0bb", field="identity.name")
    with pytest.raises(InputError, match="limit is 10"):
        clean_text("x" * 11, field="ref", max_length=10)
    assert cut("a" * 1000).endswith("… (1,000 characters)")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("-3", "-3"),
        ("\t=1", "'\t=1"),
        ("LOPEZ-2026", "LOPEZ-2026"),
        (7, 7),
    ],
)
def test_spreadsheet_formulas_are_neutralised(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_a_refused_value_carries_its_path_for_a_form_to_show_beside_the_field():
    with pytest.raises(CaseFileError) as caught:
        parse_facts(
            {"schema_version": 1, "family": [{"relationship": "child", "name": "A\x00"}]}, where="facts"
        )
    assert caught.value.path == ("family", 0, "name")
    assert caught.value.reason.startswith("contains a NUL character")


def test_what_the_longer_fuzz_runs_found(tmp_path):
    # An explicit !!timestamp tag on a word crashed PyYAML's constructor (AttributeError).
    with pytest.raises(
        CaseFileError, match=r"case.yaml:3: identity.date_of_birth: 'foo' is not a real date$"
    ):
        load_case(case(tmp_path, "schema_version: 1\nidentity:\n  date_of_birth: !!timestamp foo\n"))
    # A huge schema_version was echoed whole (70,000 characters).
    with pytest.raises(CaseFileError) as caught:
        load_case(case(tmp_path, '{"schema_version": ["' + "A" * 70_000 + '"]}', "big.json"))
    assert len(str(caught.value)) < 400
