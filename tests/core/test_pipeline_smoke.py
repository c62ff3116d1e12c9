from datetime import date
from pathlib import Path

import pytest

from discretion.errors import NoPolicyInForce
from discretion.facts import CaseFacts
from discretion.policies import load_policies
from discretion.predicates import Outcome
from discretion.screening import Screening, screen

HERE = Path(__file__).parent


def test_it_screens_a_case_against_a_dated_policy():
    catalogue = load_policies(HERE / "policies_ok")
    policy = catalogue.select(date(2021, 1, 1))
    facts = CaseFacts.model_validate({"entry": {"first_entry_on": "2005-03-01"}})

    result = screen(facts, policy, on=date(2021, 1, 1))

    (finding,) = result.findings
    assert finding.outcome is Outcome.MET
    assert "15 years" in finding.reason
    assert finding.citations[0].pin == "§ 2"
    assert Screening.from_dict(result.to_dict()).to_dict() == result.to_dict()


def test_unknown_entry_date_is_unknown_not_false():
    policy = load_policies(HERE / "policies_ok").get("tiny")

    result = screen(CaseFacts(), policy, on=date(2021, 1, 1))

    assert result.findings[0].outcome is Outcome.UNKNOWN
    # The alternative-relief screens run in every screening and also ask for the entry date.
    needed = {m["path"]: m["needed_by"] for m in result.missing_facts}
    assert needed["entry.first_entry_on"][0] == "long_presence"


def test_a_suspended_policy_is_not_in_force():
    catalogue = load_policies(HERE / "policies_ok")
    with pytest.raises(NoPolicyInForce, match="suspended from 2020-06-01 until 2020-07-01"):
        catalogue.select(date(2020, 6, 15))


def test_a_reason_ends_with_one_full_stop_even_after_an_abbreviation():
    from discretion.predicates import Verdict

    assert Verdict.met("Has 1 relative in the U.S..").reason == "Has 1 relative in the U.S."
    assert Verdict.met("Wait...").reason == "Wait..."
