"""Impossible and contradictory facts are reported with their field path, never raised."""

from __future__ import annotations

import types
import typing
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel

from discretion.casefile import load_case
from discretion.facts import CaseFacts
from discretion.validation import _dates, check

ON = date(2026, 11, 28)
EXAMPLES = Path(__file__).parents[2] / "examples"


def problems(data: dict) -> list[tuple[str, str, str]]:
    return [(p.path, p.message, p.severity) for p in check(CaseFacts.model_validate(data), on=ON)]


CASES = [
    # (what, facts, path, words in the message, severity)
    (
        "birth after as-of",
        {"identity": {"date_of_birth": "2027-01-01"}},
        "identity.date_of_birth",
        "after the as-of",
        "error",
    ),
    (
        "entry before birth",
        {"identity": {"date_of_birth": "1990-01-01"}, "entry": {"first_entry_on": "1989-05-01"}},
        "entry.first_entry_on",
        "before the date of birth",
        "error",
    ),
    (
        "hearing before NTA service",
        {"proceedings": {"nta_served_on": "2020-05-01", "next_hearing": {"date": "2020-04-01"}}},
        "proceedings.next_hearing.date",
        "before the NTA was served",
        "error",
    ),
    (
        "hearing already passed",
        {"proceedings": {"next_hearing": {"date": "2025-04-01"}}},
        "proceedings.next_hearing.date",
        "already passed",
        "warning",
    ),
    (
        "offence in the future",
        {"criminal_history": [{"offence": "x", "offence_on": "2027-03-01"}]},
        "criminal_history[0].offence_on",
        "in the future",
        "error",
    ),
    (
        "conviction in the future",
        {"criminal_history": [{"offence": "x", "convicted_on": "2026-12-01"}]},
        "criminal_history[0].convicted_on",
        "in the future",
        "error",
    ),
    (
        "conviction before offence",
        {"criminal_history": [{"offence": "x", "offence_on": "2015-03-01", "convicted_on": "2015-01-01"}]},
        "criminal_history[0].convicted_on",
        "before the offence",
        "error",
    ),
    (
        "arrest before offence",
        {"criminal_history": [{"offence": "x", "offence_on": "2015-03-01", "arrested_on": "2015-02-01"}]},
        "criminal_history[0].arrested_on",
        "before the offence",
        "error",
    ),
    (
        "dismissed yet convicted",
        {"criminal_history": [{"offence": "x", "disposition": "dismissed", "convicted_on": "2015-01-01"}]},
        "criminal_history[0].disposition",
        "conviction date",
        "error",
    ),
    (
        "sentence above maximum",
        {"criminal_history": [{"offence": "x", "sentence_days": 400, "max_penalty_days": 365}]},
        "criminal_history[0].sentence_days",
        "exceeds the maximum",
        "error",
    ),
    (
        "NTA served before entry",
        {"entry": {"first_entry_on": "2019-01-01"}, "proceedings": {"nta_served_on": "2018-06-01"}},
        "proceedings.nta_served_on",
        "before the first entry",
        "error",
    ),
    (
        "parole ends before entry",
        {"entry": {"last_entry_on": "2023-01-01", "manner": "paroled", "parole_ends_on": "2022-06-01"}},
        "entry.paroles",
        "before the last entry",
        "error",
    ),
    (
        "parole details without parole",
        {"entry": {"manner": "without_inspection", "parole_program": "CHNV"}},
        "entry.manner",
        "parole details",
        "warning",
    ),
    (
        "age at entry disagrees with dates",
        {
            "identity": {"date_of_birth": "2000-06-15"},
            "entry": {"first_entry_on": "2010-06-14", "age_at_first_entry": 10},
        },
        "entry.age_at_first_entry",
        "the dates give 9",
        "error",
    ),
    (
        "age at entry older than the person",
        {"identity": {"date_of_birth": "2010-01-01"}, "entry": {"age_at_first_entry": 30}},
        "entry.age_at_first_entry",
        "older than the person",
        "error",
    ),
    (
        "last entry before first",
        {"entry": {"first_entry_on": "2010-01-01", "last_entry_on": "2009-01-01"}},
        "entry.last_entry_on",
        "before the first entry",
        "error",
    ),
    (
        "not in proceedings yet a hearing",
        {"proceedings": {"in_proceedings": False, "next_hearing": {"date": "2027-01-01"}}},
        "proceedings.in_proceedings",
        "not in proceedings",
        "warning",
    ),
    (
        "final order in the future",
        {"immigration_history": {"final_order": True, "final_order_on": "2027-01-01"}},
        "immigration_history.final_order_on",
        "in the future",
        "error",
    ),
    (
        "no final order but in absentia",
        {"immigration_history": {"final_order": False, "final_order_in_absentia": True}},
        "immigration_history.final_order",
        "no final order",
        "error",
    ),
    (
        "returned before leaving",
        {"presence": {"absences": [{"left_on": "2015-06-01", "returned_on": "2015-05-01"}]}},
        "presence.absences[0].returned_on",
        "before leaving",
        "error",
    ),
    (
        "overlapping absences",
        {
            "presence": {
                "absences": [
                    {"left_on": "2015-06-01", "returned_on": "2015-08-01"},
                    {"left_on": "2015-07-01", "returned_on": "2015-07-20"},
                ]
            }
        },
        "presence.absences[1].left_on",
        "still abroad",
        "error",
    ),
    (
        "left again without returning",
        {
            "presence": {
                "absences": [
                    {"left_on": "2015-06-01"},
                    {"left_on": "2016-01-01", "returned_on": "2016-02-01"},
                ]
            }
        },
        "presence.absences[1].left_on",
        "no return recorded",
        "error",
    ),
    (
        "absence before first entry",
        {"entry": {"first_entry_on": "2010-01-01"}, "presence": {"absences": [{"left_on": "2009-01-01"}]}},
        "presence.absences[0].left_on",
        "before the first entry",
        "error",
    ),
    (
        "presence before entry",
        {"entry": {"first_entry_on": "2010-01-01"}, "presence": {"continuous_since": "2008-01-01"}},
        "presence.continuous_since",
        "before the first entry",
        "error",
    ),
    (
        "removal before last entry but no re-entry",
        {
            "entry": {"last_entry_on": "2012-01-01"},
            "immigration_history": {
                "prior_removals": [{"removed_on": "2010-01-01"}],
                "reentered_after_removal": False,
            },
        },
        "immigration_history.reentered_after_removal",
        "precedes the last entry",
        "error",
    ),
    (
        "relative born in the future",
        {"family": [{"relationship": "child", "date_of_birth": "2027-05-01"}]},
        "family[0].date_of_birth",
        "in the future",
        "error",
    ),
    (
        "relative age disagrees with birth date",
        {"family": [{"relationship": "child", "date_of_birth": "2010-01-01", "age": 10}]},
        "family[0].age",
        "gives 16",
        "error",
    ),
    (
        "parent younger than the person",
        {
            "identity": {"date_of_birth": "1980-01-01"},
            "family": [{"relationship": "parent", "date_of_birth": "1985-01-01"}],
        },
        "family[0].date_of_birth",
        "a parent born",
        "error",
    ),
    (
        "child born before the person",
        {
            "identity": {"date_of_birth": "1980-01-01"},
            "family": [{"relationship": "child", "date_of_birth": "1979-01-01"}],
        },
        "family[0].date_of_birth",
        "a child born",
        "error",
    ),
    (
        "spouse while unmarried",
        {"identity": {"married": False}, "family": [{"relationship": "spouse"}]},
        "family[0].relationship",
        "married is false",
        "warning",
    ),
    (
        "tax year in the future",
        {"employment": {"tax_years": [2025, 2031]}},
        "employment.tax_years[1]",
        "in the future",
        "error",
    ),
    (
        "DACA after arriving at 20",
        {"entry": {"age_at_first_entry": 20}, "immigration_history": {"ever_had_daca": True}},
        "immigration_history.ever_had_daca",
        "before 16",
        "warning",
    ),
    (
        "military contradiction",
        {"military": {"served": False, "branch": "Army"}},
        "military.served",
        "never served",
        "error",
    ),
]


@pytest.mark.parametrize(("what", "data", "path", "words", "severity"), CASES, ids=[c[0] for c in CASES])
def test_it_reports_impossible_facts_with_their_path(what, data, path, words, severity):
    found = problems(data)

    assert any(p == path and words in m and s == severity for p, m, s in found), found


def test_it_finds_nothing_wrong_with_plausible_facts():
    data = {
        "identity": {"date_of_birth": "1990-01-01", "married": True},
        "entry": {"first_entry_on": "2005-03-01", "last_entry_on": "2005-03-01", "age_at_first_entry": 15},
        "proceedings": {
            "in_proceedings": True,
            "nta_served_on": "2019-01-01",
            "next_hearing": {"date": "2027-02-01"},
        },
        "presence": {
            "continuous_since": "2005-03-01",
            "absences": [
                {"left_on": "2010-01-01", "returned_on": "2010-02-01"},
                {"left_on": "2011-01-01", "returned_on": "2011-01-10"},
            ],
        },
        "criminal_history": [
            {
                "offence": "x",
                "offence_on": "2012-01-01",
                "arrested_on": "2012-01-01",
                "convicted_on": "2012-03-01",
                "disposition": "convicted",
            }
        ],
        "family": [
            {"relationship": "child", "date_of_birth": "2015-01-01", "age": 11},
            {"relationship": "spouse"},
        ],
        "employment": {"tax_years": [2024, 2025], "years_worked_in_us": 15},
        "immigration_history": {"ever_had_daca": True},
    }

    assert problems(data) == []


def test_an_unknown_fact_is_never_a_problem():
    assert problems({}) == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_example_cases_have_no_errors(path):
    facts = load_case(path)
    errors = [p for p in check(facts, on=ON) if p.severity == "error"]

    assert errors == []


def _date_fields(model: type[BaseModel], prefix: str) -> list[str]:
    """Every date-typed field path in ``model``, lists written ``[*]``."""
    found = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        for arg in _flatten(info.annotation):
            if arg is date:
                found.append(path)
            elif isinstance(arg, type) and issubclass(arg, BaseModel):
                found += _date_fields(arg, f"{path}.")
            elif typing.get_origin(arg) is list:
                (item,) = typing.get_args(arg)
                if isinstance(item, type) and issubclass(item, BaseModel):
                    found += _date_fields(item, f"{path}[*].")
    return found


def _flatten(annotation: object) -> list[object]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [a for arg in typing.get_args(annotation) for a in _flatten(arg)]
    return [annotation]


def test_every_date_field_in_the_facts_is_checked():
    """When a date field is added to CaseFacts, validation must learn about it (or say why not)."""
    birth_dates = {"identity.date_of_birth", "family[*].date_of_birth"}
    expected = set(_date_fields(CaseFacts, "")) - birth_dates
    one_of_each = {
        "proceedings": {
            "nta_served_on": "2020-01-01",
            "nta_filed_on": "2020-01-01",
            "next_hearing": {"date": "2020-01-01"},
            "hearing_notices": [{"issued_on": "2019-12-01", "hearing_on": "2020-01-01"}],
            "pending_applications": [{"kind": "asylum", "filed_on": "2020-01-01"}],
            "prior_pd_requests": [{"sent_on": "2020-01-01"}],
        },
        "entry": {
            **dict.fromkeys(
                ("first_entry_on", "last_entry_on", "apprehended_in_interior_on", "i94_admit_until"),
                "2020-01-01",
            ),
            "paroles": [dict.fromkeys(("paroled_on", "ends_on", "terminated_on"), "2020-01")],
        },
        "presence": {
            "continuous_since": "2020-01-01",
            "absences": [{"left_on": "2020-01-01", "returned_on": "2020-01-01"}],
            "proofs": [{"kind": "lease", "dated_from": "2020", "dated_to": "2020-06"}],
        },
        "immigration_history": {
            "final_order_on": "2020-01-01",
            "lpr_since": "2020-01-01",
            "grandfathering_filings": [{"filed_on": "2000-01-01"}],
            "prior_removals": [{"removed_on": "2020-01-01"}],
        },
        "criminal_history": [
            {
                "offence": "x",
                "offence_on": "2020-01-01",
                "arrested_on": "2020-01-01",
                "charged_on": "2020-01-01",
                "convicted_on": "2020-01-01",
            }
        ],
        "family": [
            {"relationship": "parent", **dict.fromkeys(("naturalized_on", "status_since", "died_on"), "2019")}
        ],
        "health": {"conditions": [{"description": "x", "diagnosed_on": "2019", "ended_on": "2020"}]},
        "victimisation": {"crime_on": "2019-05", "u_bona_fide_on": "2020-01-01"},
        "fear": {"asylum_filed_on": "2020-01-01", "credible_fear_on": "2019-01-01"},
        "juvenile": {"order_on": "2019-01-01"},
        "tps": {"applied_on": "2019", "granted_on": "2019-06", "valid_until": "2027-01-01"},
        "supervision": {
            "released_on": "2019-01-01",
            "check_ins": [{"on": "2019-02-01"}],
            "next_check_in_on": "2027-01-01",
            "atd_since": "2019-01-01",
        },
        "counsel": {
            "advice": [{"given_on": "2020-01-01", "by": "x", "language": "x", "consent_on": "2020-01-01"}],
            "high_risk_override": {
                "by": "x",
                "decided_on": "2020-01-01",
                "reason": "ten chars!",
                "risks": ["r"],
            },
        },
    }
    walked = {p.replace("[0]", "[*]") for p, _ in _dates(CaseFacts.model_validate(one_of_each))}

    assert walked == expected
