"""The 2025 risk screens: boundaries of the 2-year and parole rules, action gating, dated litigation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from discretion import predicates
from discretion.facts import CaseFacts
from discretion.policies import shipped
from discretion.predicates import Outcome
from discretion.rules import Kind
from discretion.screening import screen

ON = date(2026, 11, 28)


def make(**sections: Any) -> CaseFacts:
    return CaseFacts.model_validate(sections)


def run(name: str, facts: CaseFacts, on: date = ON, **params: Any) -> predicates.Verdict:
    return predicates.get(name)(facts, on, **params)


def policy_rule(rule_id: str) -> Any:
    return next(r for r in shipped().get("eo14159-2025").rules if r.id == rule_id)


def risk(rule_id: str, facts: CaseFacts, on: date = ON) -> predicates.Verdict:
    rule = policy_rule(rule_id)
    return run(rule.test, facts, on, **rule.params)


def ewi(since: str | None, **extra: Any) -> CaseFacts:
    base: dict[str, Any] = {
        "requested_action": "dismissal",
        "entry": {"manner": "without_inspection", "first_entry_on": "2024-06-01"},
        "presence": {"continuous_since": since},
        "proceedings": {"in_proceedings": True},
    }
    return make(**(base | extra))


# --- expedited removal after dismissal: the 2-year boundary ------------------------------------


def test_it_flags_dismissal_the_day_before_two_years_of_documented_presence():
    verdict = risk("r25.er1_dismissal_expedited_removal", ewi("2024-11-28"), on=date(2026, 11, 27))

    assert verdict.outcome is Outcome.MET
    assert "2026-11-28" in verdict.reason
    assert "expedited removal" in verdict.reason


def test_it_clears_dismissal_on_the_day_two_years_are_documented():
    verdict = risk("r25.er1_dismissal_expedited_removal", ewi("2024-11-28"), on=date(2026, 11, 28))

    assert verdict.outcome is Outcome.NOT_MET
    assert "keep the proof ready" in verdict.reason


def test_a_stated_entry_date_without_documents_leaves_the_risk_unknown():
    verdict = risk("r25.er1_dismissal_expedited_removal", ewi(None))

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("presence.continuous_since",)
    assert "2024-06-01" in verdict.reason


def test_no_proof_on_hand_means_exposed_whatever_the_entry_date():
    facts = ewi(None, presence={"evidence": []})

    assert risk("r25.er1_dismissal_expedited_removal", facts).outcome is Outcome.MET


def test_unknown_manner_of_entry_is_asked_not_assumed():
    facts = make(requested_action="dismissal")

    verdict = risk("r25.er1_dismissal_expedited_removal", facts)

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("entry.manner",)


def test_an_admitted_person_is_not_exposed_through_this_route():
    facts = make(requested_action="dismissal", entry={"manner": "admitted"})

    assert risk("r25.er1_dismissal_expedited_removal", facts).outcome is Outcome.NOT_MET


# --- action gating -------------------------------------------------------------------------------


def test_a_dismissal_risk_does_not_concern_a_request_for_a_continuance():
    facts = ewi("2026-01-01", requested_action="continuance")

    verdict = risk("r25.er1_dismissal_expedited_removal", facts)

    assert verdict.outcome is Outcome.NOT_MET
    assert "continuance" in verdict.reason
    assert verdict.facts_used == ("requested_action",)


def test_with_no_action_chosen_the_dismissal_risk_is_screened_and_says_so():
    facts = ewi("2026-01-01", requested_action=None)

    verdict = risk("r25.er1_dismissal_expedited_removal", facts)

    assert verdict.outcome is Outcome.MET
    assert "No action has been chosen yet" in verdict.reason
    assert "requested_action" in verdict.facts_used


def test_every_action_gated_risk_gates_on_exactly_its_applies_to_list():
    for rule in shipped().get("eo14159-2025").rules_of(Kind.RISK):
        gated = rule.params.get("actions")
        if gated is not None:
            assert gated == [a.value for a in rule.applies_to], rule.id


def test_every_risk_carries_level_lowering_facts_and_a_citation():
    risks = shipped().get("eo14159-2025").rules_of(Kind.RISK)

    assert len(risks) >= 10
    for rule in risks:
        assert rule.level in {"high", "medium", "low"}
        assert rule.lowered_by and rule.cite, rule.id


# --- parole -------------------------------------------------------------------------------------


def parolee(**entry: Any) -> CaseFacts:
    return make(requested_action="dismissal", entry={"manner": "paroled", **entry})


def test_parole_running_through_the_screening_day_is_not_yet_ended():
    verdict = risk("r25.er2_parole_ended", parolee(parole_ends_on="2026-11-28"), on=date(2026, 11, 28))

    assert verdict.outcome is Outcome.NOT_MET
    assert "terminating active parole" in verdict.reason


def test_parole_that_ended_the_day_before_exposes_the_person():
    verdict = risk("r25.er2_parole_ended", parolee(parole_ends_on="2026-11-28"), on=date(2026, 11, 29))

    assert verdict.outcome is Outcome.MET
    assert "CHIRLA" in verdict.reason


def test_terminated_parole_exposes_the_person_whatever_its_end_date():
    facts = parolee(parole_terminated=True, parole_ends_on="2027-05-01", parole_program="CHNV")

    verdict = risk("r25.er2_parole_ended", facts)

    assert verdict.outcome is Outcome.MET
    assert "CHNV" in verdict.reason


def test_parole_with_no_end_date_or_termination_known_names_both_facts():
    verdict = risk("r25.er2_parole_ended", parolee(paroles=[{"program": "humanitarian parole"}]))

    assert verdict.outcome is Outcome.UNKNOWN
    assert set(verdict.missing) == {"entry.paroles[0].ends_on", "entry.paroles[0].terminated"}


def test_a_parole_not_recorded_at_all_asks_for_the_paroles():
    verdict = risk("r25.er2_parole_ended", parolee())

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("entry.paroles",)


def test_the_latest_of_several_paroles_decides_and_its_own_date_starts_the_two_years():
    facts = parolee(
        last_entry_on="2023-01-10",
        paroles=[
            {"paroled_on": "2023-01-10", "ends_on": "2024-01-09", "program": "CBP One"},
            {"paroled_on": "2024-01-05", "ends_on": "2025-01-04", "program": "humanitarian parole"},
        ],
    )
    verdict = risk("r25.er2_parole_ended", facts)

    assert verdict.outcome is Outcome.MET
    assert "humanitarian parole" in verdict.reason
    assert "before two years from the parole of 2024-01-05" in verdict.reason
    assert "entry.paroles[1]" in verdict.facts_used


# --- asylum, EAD, forum --------------------------------------------------------------------------


def test_an_asylum_case_pending_in_court_is_at_risk_on_dismissal():
    facts = make(
        requested_action="dismissal",
        proceedings={"pending_applications": [{"kind": "asylum", "forum": "court"}]},
    )

    assert risk("r25.er3_asylum", facts).outcome is Outcome.MET


def test_a_missed_asylum_deadline_matters_only_when_expedited_removal_could_follow():
    missed = {"fears_return": True}
    entry = {"manner": "without_inspection", "last_entry_on": "2024-03-01"}
    apps: dict[str, Any] = {"pending_applications": []}
    recent = make(
        requested_action="dismissal",
        entry=entry,
        fear=missed,
        proceedings=apps,
        presence={"continuous_since": "2025-01-01"},
    )
    settled = make(
        requested_action="dismissal",
        entry=entry,
        fear=missed,
        proceedings=apps,
        presence={"continuous_since": "2024-03-01"},
    )

    assert risk("r25.er3_asylum", recent).outcome is Outcome.MET
    # 2025-03-01 was a Saturday, so the deadline ran to Monday 2025-03-03 (8 CFR 208.4(a)(2)(ii)).
    assert "passed on 2025-03-03" in risk("r25.er3_asylum", recent).reason
    assert risk("r25.er3_asylum", settled).outcome is Outcome.NOT_MET


def test_a_work_permit_tied_to_the_court_case_is_flagged_and_unknown_is_asked():
    tied = make(requested_action="dismissal", proceedings={"ead_based_on_pending_application": True})
    unknown = make(requested_action="dismissal")

    assert risk("r25.d2_ead_lapses", tied).outcome is Outcome.MET
    assert risk("r25.d2_ead_lapses", unknown).missing == ("proceedings.ead_based_on_pending_application",)


def test_pending_cancellation_is_forfeited_by_dismissal():
    facts = make(
        requested_action="dismissal",
        proceedings={"pending_applications": [{"kind": "cancellation_non_lpr", "forum": "court"}]},
    )

    verdict = risk("r25.d3_court_only_relief", facts)

    assert verdict.outcome is Outcome.MET
    assert "non-LPR cancellation" in verdict.reason


def test_someone_not_in_proceedings_is_warned_not_to_approach_ice():
    assert risk("r25.self_referral", make(proceedings={"in_proceedings": False})).outcome is Outcome.MET
    assert risk("r25.self_referral", make(proceedings={"in_proceedings": True})).outcome is Outcome.NOT_MET
    assert risk("r25.self_referral", make()).missing == ("proceedings.in_proceedings",)


def test_dhs_may_move_to_dismiss_even_when_the_person_asks_for_something_else():
    facts = ewi("2026-01-01", requested_action="continuance")

    verdict = risk("r25.d1_dhs_oral_dismissal", facts)

    assert verdict.outcome is Outcome.MET
    assert "Ferreira" in verdict.reason


# --- dated litigation ----------------------------------------------------------------------------


def test_closure_risk_mentions_the_vacatur_only_from_its_date():
    facts = make(requested_action="administrative_closure")

    before = risk("r25.ac1_closure_may_not_last", facts, on=date(2026, 6, 21))
    after = risk("r25.ac1_closure_may_not_last", facts, on=date(2026, 6, 22))
    too_early = risk("r25.ac1_closure_may_not_last", facts, on=date(2025, 3, 1))

    assert before.outcome is after.outcome is Outcome.MET
    assert "Texas v. DOJ" not in before.reason
    assert "Texas v. DOJ" in after.reason
    assert too_early.outcome is Outcome.NOT_MET


def test_an_existing_closure_is_at_risk_whatever_is_requested_now():
    facts = make(requested_action="stipulation", proceedings={"administratively_closed": True})

    assert risk("r25.ac1_closure_may_not_last", facts).outcome is Outcome.MET


def test_victim_status_risk_starts_with_directive_11005_4():
    facts = make(victimisation={"domestic_violence": True})

    assert risk("r25.victim_status_not_weighed", facts, on=date(2025, 1, 30)).outcome is Outcome.NOT_MET
    assert risk("r25.victim_status_not_weighed", facts, on=date(2025, 1, 31)).outcome is Outcome.MET


@pytest.mark.parametrize(
    ("on", "outcome"),
    [
        (date(2025, 8, 28), Outcome.MET),
        (date(2025, 8, 29), Outcome.NOT_MET),  # stayed by the district court
        (date(2026, 6, 22), Outcome.NOT_MET),
        (date(2026, 6, 23), Outcome.MET),  # stay vacated by the D.C. Circuit
    ],
)
def test_the_expansion_risk_follows_the_make_the_road_litigation(on, outcome):
    facts = ewi("2025-06-01")

    assert risk("r25.er4_expansion_in_effect", facts, on=on).outcome is outcome


def test_courthouse_risk_notes_the_nationwide_vacatur_and_the_new_york_stay():
    facts = make(proceedings={"in_proceedings": True, "detained": False, "court": "New York - Broadway"})

    verdict = risk("r25.ch1_courthouse_arrest", facts)

    assert verdict.outcome is Outcome.MET
    assert "Pablo Sequen" in verdict.reason
    assert "African Communities Together" in verdict.reason


def test_hearings_warning_names_the_next_hearing():
    facts = make(proceedings={"in_proceedings": True, "next_hearing": {"date": "2027-02-09"}})

    verdict = risk("r25.hearings_continue", facts)

    assert verdict.outcome is Outcome.MET
    assert "2027-02-09" in verdict.reason


def test_a_recent_entrant_asking_for_dismissal_gets_high_risks_in_the_summary():
    policy = shipped().get("eo14159-2025")
    facts = ewi("2026-01-01", proceedings={"in_proceedings": True, "ead_based_on_pending_application": True})

    result = screen(facts, policy, on=ON)

    high = {r.id for r in result.risks if r.outcome is Outcome.MET and r.level == "high"}
    assert {"r25.er1_dismissal_expedited_removal", "r25.d2_ead_lapses", "r25.er4_expansion_in_effect"} <= high
    assert "high risks to review" in result.summary
    assert "no categorical priorities" in result.summary


def test_a_single_kind_of_proof_for_two_years_is_questioned_not_accepted():
    thin = ewi("2024-11-20", presence={"continuous_since": "2024-11-20", "evidence": ["one pay stub"]})
    ample = ewi(
        "2024-11-20", presence={"continuous_since": "2024-11-20", "evidence": ["leases", "pay stubs"]}
    )

    verdict = risk("r25.er1_dismissal_expedited_removal", thin)

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("presence.proofs",)
    assert "one pay stub" in verdict.reason
    assert risk("r25.er1_dismissal_expedited_removal", ample).outcome is Outcome.NOT_MET


def test_a_misspelt_action_in_a_policy_is_one_load_error_naming_file_and_rule(tmp_path):
    from discretion.errors import PolicyError
    from discretion.policies import load_policies

    (tmp_path / "typo-2025-01-20.yaml").write_text(
        "id: typo\n"
        "title: Typo test\n"
        "issuer: Test\n"
        "issued: 2025-01-20\n"
        "effective: 2025-01-20\n"
        "status: current\n"
        "summary: For tests.\n"
        "sources: [{id: s, title: Source, confidence: confirmed}]\n"
        "risks:\n"
        "  - id: r1\n"
        "    label: Dismissal risk\n"
        "    test: expedited_removal_if_case_ends\n"
        "    with: {actions: [dismisal]}\n"
        "    level: high\n"
        "    lowered_by: [proof]\n"
        "    cite: [{source: s}]\n"
        "    confidence: confirmed\n",
        encoding="utf-8",
    )

    with pytest.raises(PolicyError) as caught:
        load_policies(tmp_path)

    message = str(caught.value)
    assert message.startswith("typo-2025-01-20.yaml:")
    assert "'dismisal' is not a requested action" in message
    assert "\n" not in message


def test_while_the_designation_was_stayed_the_dismissal_risk_says_exposure_was_narrower():
    facts = ewi("2025-06-01")

    during = risk("r25.er1_dismissal_expedited_removal", facts, on=date(2026, 1, 15))
    after = risk("r25.er1_dismissal_expedited_removal", facts, on=date(2026, 6, 23))

    assert during.outcome is after.outcome is Outcome.MET
    assert "stayed" in during.reason
    assert "stayed" not in after.reason


def test_a_witness_in_proceedings_is_also_warned_about_directive_11005_4():
    facts = make(victimisation={"witness_or_party_in_proceedings": True})

    verdict = risk("r25.victim_status_not_weighed", facts)

    assert verdict.outcome is Outcome.MET
    assert verdict.facts_used == ("victimisation.witness_or_party_in_proceedings",)


def test_a_trip_abroad_restarts_the_two_years_for_the_risk_screen():
    facts = ewi(
        "2020-01-01",
        presence={
            "continuous_since": "2020-01-01",
            "evidence": ["leases", "pay stubs"],
            "absences": [{"left_on": "2025-12-01", "returned_on": "2026-01-10"}],
        },
    )

    verdict = risk("r25.er1_dismissal_expedited_removal", facts)

    assert verdict.outcome is Outcome.MET
    assert "2028-01-10" in verdict.reason


# --- audit: tags never surer than the weakest cited source; practice equities ----------------------

_RANK = {"statute": 0, "confirmed": 1, "partial": 2, "unverified": 3}


def _too_sure(rules: Any, sources: dict[str, Any]) -> list[str]:
    wrong = []
    for rule in rules:
        weakest = max(_RANK[sources[c.source].confidence.value] for c in rule.cite)
        if _RANK[rule.confidence.value] < weakest:
            wrong.append(f"{rule.id}: {rule.confidence.value}")
    return wrong


def test_no_2025_rule_or_relief_flag_is_tagged_surer_than_its_weakest_cited_source():
    from discretion.relief import load_relief

    policy = shipped().get("eo14159-2025")
    relief_rules, relief_sources = load_relief()

    assert _too_sure(policy.rules, policy.sources) == []
    assert _too_sure(relief_rules, relief_sources) == []


def test_the_dismissal_er_risk_is_confirmed_not_statute_because_its_dates_are_news_level():
    rule = policy_rule("r25.er1_dismissal_expedited_removal")

    assert rule.confidence.value == "confirmed"
    assert "news-level" in (rule.note or "")


def test_a_usc_mother_caring_for_a_sick_child_gets_the_practice_equities_in_2026():
    facts = make(
        family=[
            {"name": "Sofía", "relationship": "child", "status": "usc", "date_of_birth": "2014-02-03"},
        ],
        caretaker={"primary_caretaker": True, "of_whom": "Sofía", "dependant_condition": "Type 1 diabetes"},
        employment={"years_worked_in_us": 15, "filed_taxes": True},
    )
    result = screen(facts, shipped().get("eo14159-2025"), on=ON)
    met = {f.id for f in result.of_kind(Kind.MITIGATING, Outcome.MET)}

    assert {"t25.usc_lpr_family", "t25.primary_caretaker", "t25.work_and_taxes"} <= met
    for rule_id in ("t25.usc_lpr_family", "t25.primary_caretaker", "t25.crime_victim"):
        rule = policy_rule(rule_id)
        assert rule.confidence.value == "partial"
        assert "practice equity" in (rule.note or "")
    assert "11005.4" in (policy_rule("t25.crime_victim").note or "")
