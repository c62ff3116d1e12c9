"""The checklist's work grows with the number of relatives, not with its square (issue 9:
4,000 relatives took 46 s), and it decides exactly what the one-path-at-a-time rule did."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from discretion import evidence
from discretion.casefile import parse_facts
from discretion.evidence import build_checklist
from discretion.policies import shipped
from discretion.screening import screen

ROOT = Path(__file__).parents[2]
ON = date(2026, 3, 1)
_INDEX = re.compile(r"\[(\d+)\]")


def _case(relatives: int):
    data = yaml.safe_load((ROOT / "examples" / "maria-lopez.yaml").read_text(encoding="utf-8"))
    data["family"] = [
        {
            "relationship": ("child", "parent", "spouse")[n % 3],
            "status": ("usc", "lpr", "undocumented")[n % 3],
            "age": 4 + n % 60,
            "in_us": n % 2 == 0,
            "serious_illness": n % 5 == 0,
        }  # fmt: skip
        for n in range(relatives)
    ]
    return parse_facts(data, where="test")


def _reads_one_path_at_a_time(finding, patterns, hit_path):
    """The rule as it was first written: each path of the finding tested against the hit."""
    own = _INDEX.search(hit_path)
    for path in (*finding.facts_used, *finding.missing):
        index = _INDEX.search(path)
        if index and own and path[: index.start()] == hit_path[: own.start()] and index[1] != own[1]:
            continue
        field = _INDEX.sub("", path)
        if evidence._field_matches(field, patterns):
            return True
    return False


def test_the_grouped_rule_decides_what_the_path_by_path_rule_did(monkeypatch):
    facts = _case(7)
    screening = screen(facts, shipped().select(ON), on=ON)
    grouped = build_checklist(facts, screening, on=ON)
    monkeypatch.setattr(evidence, "_reads", lambda f, p, h, read=None: _reads_one_path_at_a_time(f, p, h))
    assert build_checklist(facts, screening, on=ON) == grouped
    assert sum(i.id.startswith("family") or "family" in " ".join(i.fact_paths) for i in grouped.items) >= 7


@pytest.mark.parametrize("small", [40])
def test_the_work_per_relative_does_not_grow_with_the_family(monkeypatch, small):
    calls = 0
    real = evidence._field_matches

    def counted(field, patterns):
        nonlocal calls
        calls += 1
        return real(field, patterns)

    monkeypatch.setattr(evidence, "_field_matches", counted)
    work = []
    for size in (small, small * 4):
        facts = _case(size)
        screening = screen(facts, shipped().select(ON), on=ON)
        calls = 0
        build_checklist(facts, screening, on=ON)
        work.append(calls)
    # Four times the relatives: about four times the comparisons (it was sixteen times).
    assert work[1] <= work[0] * 5, work
