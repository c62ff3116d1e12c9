"""Alternative-relief screens: the statutory boundaries (10 years, stop-time, 90/180 days, one-year
asylum deadline, age 21) and the honest handling of unknown facts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from discretion import predicates
from discretion.errors import PolicyError
from discretion.facts import CaseFacts
from discretion.policies import shipped
from discretion.predicates import Outcome, Verdict
from discretion.relief import RELIEF_FILE, load_relief, screen_relief
from discretion.screening import screen

ON = date(2026, 11, 28)


def make(**sections: Any) -> CaseFacts:
    return CaseFacts.model_validate(sections)


def run(name: str, facts: CaseFacts, on: date = ON) -> Verdict:
    return predicates.get(name)(facts, on)


def cancellation_case(**overrides: Any) -> CaseFacts:
    """Entered 2010-05-01, USC child, no record: only the clock is in question."""
    base: dict[str, Any] = {
        "entry": {"manner": "without_inspection", "first_entry_on": "2010-05-01"},
        "presence": {"absences": []},
        "family": [{"name": "Ana", "relationship": "child", "status": "usc", "date_of_birth": "2015-01-01"}],
        "criminal_history": [],
        "proceedings": {"in_proceedings": False},
    }
    return make(**(base | overrides))


def served(on: str, *, time_and_place: bool | None) -> dict[str, Any]:
    return {"in_proceedings": True, "nta_served_on": on, "nta_has_time_and_place": time_and_place}


# --- non-LPR cancellation: 10 years and stop-time ------------------------------------------------


def test_an_nta_served_on_the_tenth_anniversary_leaves_ten_years():
    facts = cancellation_case(proceedings=served("2020-05-01", time_and_place=True))

    verdict = run("non_lpr_cancellation_flag", facts)

    assert verdict.outcome is Outcome.MET
    assert "Raise" in verdict.reason
    assert any("USC child" in s for s in verdict.supporting)


def test_an_nta_served_the_day_before_the_tenth_anniversary_stops_the_clock():
    facts = cancellation_case(proceedings=served("2020-04-30", time_and_place=True))

    verdict = run("non_lpr_cancellation_flag", facts)

    assert verdict.outcome is Outcome.NOT_MET
    assert any("stopped the clock after 9 years" in a for a in verdict.against)


def test_an_nta_without_time_and_place_does_not_stop_the_clock():
    facts = cancellation_case(proceedings=served("2015-01-01", time_and_place=False))

    verdict = run("non_lpr_cancellation_flag", facts)

    assert verdict.outcome is Outcome.MET
    assert any("Niz-Chavez" in s for s in verdict.supporting)


def test_an_early_nta_of_unknown_contents_asks_for_the_nta_itself():
    facts = cancellation_case(proceedings=served("2015-01-01", time_and_place=None))

    verdict = run("non_lpr_cancellation_flag", facts)

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("proceedings.nta_has_time_and_place",)


def test_ten_years_are_not_reached_the_day_before_the_anniversary():
    facts = cancellation_case()

    assert run("non_lpr_cancellation_flag", facts, on=date(2020, 4, 30)).outcome is Outcome.NOT_MET
    assert run("non_lpr_cancellation_flag", facts, on=date(2020, 5, 1)).outcome is Outcome.MET


@pytest.mark.parametrize(
    ("returned", "outcome"), [("2012-03-31", Outcome.MET), ("2012-04-01", Outcome.NOT_MET)]
)
def test_a_single_absence_over_90_days_breaks_continuity(returned, outcome):
    # 2012-01-01 to 2012-03-31 is 90 days; to 2012-04-01 is 91 days (2012 is a leap year).
    facts = cancellation_case(presence={"absences": [{"left_on": "2012-01-01", "returned_on": returned}]})

    verdict = run("non_lpr_cancellation_flag", facts, on=date(2021, 1, 1))

    assert verdict.outcome is outcome
    if outcome is Outcome.NOT_MET:
        assert "restarts on 2012-04-01" in verdict.reason


def test_absences_totalling_over_180_days_in_the_ten_years_break_continuity():
    spans = [("2012-01-01", "2012-03-01"), ("2013-01-01", "2013-03-02"), ("2014-01-01", "2014-03-04")]
    absences = [{"left_on": a, "returned_on": b} for a, b in spans]  # 60 + 60 + 62 = 182 days
    facts = cancellation_case(presence={"absences": absences})

    within = run("non_lpr_cancellation_flag", facts, on=date(2021, 1, 1))
    years_later = run("non_lpr_cancellation_flag", facts, on=date(2026, 11, 28))

    assert within.outcome is Outcome.NOT_MET
    assert any("total 182 days" in a for a in within.against)
    # The 10 years before 2026-11-28 start in 2016: the old trips no longer count.
    assert years_later.outcome is Outcome.MET


def test_the_absence_window_ends_at_the_stop_time_nta():
    absences = [
        {"left_on": "2019-01-01", "returned_on": "2019-03-01"},
        {"left_on": "2019-06-01", "returned_on": "2019-08-01"},
        {"left_on": "2020-01-01", "returned_on": "2020-03-05"},
    ]  # 59 + 61 + 64 = 184 days
    before = cancellation_case(
        presence={"absences": absences}, proceedings=served("2020-12-01", time_and_place=True)
    )

    verdict = run("non_lpr_cancellation_flag", before)

    assert verdict.outcome is Outcome.NOT_MET
    assert any("10 years before 2020-12-01 total 184 days" in a for a in verdict.against)


def test_honourable_service_lifts_the_absence_rule():
    facts = cancellation_case(
        presence={"absences": [{"left_on": "2012-01-01", "returned_on": "2013-01-01"}]},
        military={
            "served": True,
            "active_duty_months": 24,
            "in_us_at_enlistment": True,
            "discharge": "honorable",
        },
    )

    assert run("non_lpr_cancellation_flag", facts).outcome is Outcome.MET


def test_a_cimt_punishable_by_a_year_bars_but_a_petty_one_does_not():
    def with_cimt(max_days: int) -> CaseFacts:
        event = {
            "offence": "Petit larceny",
            "disposition": "convicted",
            "categories": ["cimt", "theft"],
            "offence_on": "2022-01-01",
            "convicted_on": "2022-03-01",
            "max_penalty_days": max_days,
            "sentence_days": 30,
        }
        return cancellation_case(criminal_history=[event])

    barred = run("non_lpr_cancellation_flag", with_cimt(365))
    petty = run("non_lpr_cancellation_flag", with_cimt(364))

    assert barred.outcome is Outcome.NOT_MET
    assert any("240A(b)(1)(C)" in a for a in barred.against)
    assert petty.outcome is Outcome.MET
    assert "Pedroza" in petty.reason


def test_no_qualifying_relative_misses_the_threshold_but_unknown_status_is_asked():
    sibling = cancellation_case(family=[{"relationship": "sibling", "status": "usc"}])
    unsure = cancellation_case(family=[{"relationship": "spouse", "status": "unknown"}])

    assert run("non_lpr_cancellation_flag", sibling).outcome is Outcome.NOT_MET
    assert run("non_lpr_cancellation_flag", unsure).missing == ("family[0].status",)


def test_an_empty_case_names_what_to_ask_for_cancellation():
    verdict = run("non_lpr_cancellation_flag", CaseFacts())

    assert verdict.outcome is Outcome.UNKNOWN
    assert {"entry.first_entry_on", "family", "criminal_history"} <= set(verdict.missing)


# --- LPR cancellation: the offence stops time on commission, not conviction -----------------------


def lpr_case(committed: str, convicted: str) -> CaseFacts:
    event = {
        "offence": "Grand larceny",
        "disposition": "convicted",
        "categories": ["cimt"],
        "offence_on": committed,
        "convicted_on": convicted,
        "max_penalty_days": 1460,
        "sentence_days": 0,
    }
    return make(
        immigration_history={"lpr_since": "2012-01-01"},
        proceedings=served("2024-06-01", time_and_place=True),
        criminal_history=[event],
    )


def test_an_offence_committed_before_seven_years_stops_time_even_if_convicted_after():
    verdict = run("lpr_cancellation_flag", lpr_case("2018-12-31", "2019-06-01"))

    assert verdict.outcome is Outcome.NOT_MET
    assert any("committed 2018-12-31" in a and "not the conviction date" in a for a in verdict.against)


def test_an_offence_committed_on_the_seventh_anniversary_does_not_stop_time():
    verdict = run("lpr_cancellation_flag", lpr_case("2019-01-01", "2019-02-01"))

    assert verdict.outcome is Outcome.MET


def test_a_212a_charge_alone_does_not_rule_out_lpr_status_so_it_is_asked():
    # A returning LPR can be charged as an applicant for admission (INA 101(a)(13)(C)): ask, do not infer.
    facts = make(proceedings={"charges": ["INA 212(a)(6)(A)(i)"]})

    verdict = run("lpr_cancellation_flag", facts)

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("immigration_history.lpr_since",)
    assert run("lpr_cancellation_flag", CaseFacts()).missing == ("immigration_history.lpr_since",)


# --- asylum: one year from the last arrival --------------------------------------------------------


def asylum_case(**fear: Any) -> CaseFacts:
    return make(
        entry={"manner": "without_inspection", "last_entry_on": "2025-03-10"},
        fear={"fears_return": True, "protected_ground": True, **fear},
    )


def test_asylum_can_be_filed_on_the_first_anniversary_of_arrival():
    assert run("asylum_flag", asylum_case(), on=date(2026, 3, 10)).outcome is Outcome.MET


def test_asylum_the_day_after_the_anniversary_needs_an_exception():
    closed = asylum_case(
        unaccompanied_child=False, changed_circumstances=False, extraordinary_circumstances=False
    )
    open_question = asylum_case()

    assert run("asylum_flag", closed, on=date(2026, 3, 11)).outcome is Outcome.NOT_MET
    assert set(run("asylum_flag", open_question, on=date(2026, 3, 11)).missing) == {
        "fear.unaccompanied_child",
        "fear.changed_circumstances",
        "fear.extraordinary_circumstances",
    }


def test_the_one_year_deadline_does_not_apply_to_an_unaccompanied_child():
    verdict = run("asylum_flag", asylum_case(unaccompanied_child=True), on=date(2030, 1, 1))

    assert verdict.outcome is Outcome.MET
    assert any("208(a)(2)(E)" in s for s in verdict.supporting)


def test_a_return_from_a_trip_restarts_the_asylum_year():
    facts = make(
        entry={"last_entry_on": "2020-01-01"},
        presence={"absences": [{"left_on": "2026-01-01", "returned_on": "2026-02-01"}]},
        fear={"fears_return": True, "protected_ground": True},
    )

    verdict = run("asylum_flag", facts)

    assert verdict.outcome is Outcome.MET
    assert "2027-02-01" in verdict.reason


def test_a_time_barred_claim_still_raises_withholding_unless_barred_by_a_serious_crime():
    def case(history: list[dict[str, Any]]) -> CaseFacts:
        return make(
            entry={"last_entry_on": "2015-03-10"},
            fear={
                "fears_return": True,
                "protected_ground": True,
                "unaccompanied_child": False,
                "changed_circumstances": False,
                "extraordinary_circumstances": False,
            },
            criminal_history=history,
        )

    robbery = {"offence": "Robbery", "disposition": "convicted", "categories": ["aggravated_felony"]}
    five_years = case([robbery | {"sentence_days": 1825}])
    shorter = case([robbery | {"sentence_days": 1824}])

    assert run("asylum_flag", case([])).outcome is Outcome.NOT_MET
    assert run("withholding_flag", case([])).outcome is Outcome.MET
    assert run("withholding_flag", five_years).outcome is Outcome.NOT_MET
    assert run("withholding_flag", shorter).outcome is Outcome.MET
    assert "particularly serious crime" in run("withholding_flag", shorter).reason


# --- victims, juveniles, family --------------------------------------------------------------------


def test_sijs_is_flagged_until_the_day_before_the_21st_birthday():
    facts = make(identity={"date_of_birth": "2005-12-01"}, juvenile={"reunification_not_viable": True})

    assert run("sijs_flag", facts, on=date(2026, 11, 30)).outcome is Outcome.MET
    assert run("sijs_flag", facts, on=date(2026, 12, 1)).outcome is Outcome.NOT_MET


def test_u_visa_lists_each_open_question():
    facts = make(victimisation={"crime_victim": True, "crime": "felonious assault"})

    verdict = run("u_visa_flag", facts)

    assert verdict.outcome is Outcome.UNKNOWN
    assert set(verdict.missing) == {
        "victimisation.substantial_harm",
        "victimisation.helpful_to_law_enforcement",
        "victimisation.certification_obtainable",
    }
    assert any("felonious assault" in s for s in verdict.supporting)


def test_vawa_needs_a_usc_or_lpr_abuser():
    usc_spouse = make(
        victimisation={"domestic_violence": True, "abuser_status": "usc", "abuser_relationship": "spouse"}
    )
    undocumented = make(
        victimisation={
            "domestic_violence": True,
            "abuser_status": "undocumented",
            "abuser_relationship": "spouse",
        }
    )

    assert run("vawa_self_petition_flag", usc_spouse).outcome is Outcome.MET
    assert run("vawa_self_petition_flag", undocumented).outcome is Outcome.NOT_MET


@pytest.mark.parametrize(
    ("entry", "history", "outcome"),
    [
        ({"manner": "admitted"}, {}, Outcome.MET),
        ({"manner": "without_inspection"}, {"has_245i_petition": False}, Outcome.NOT_MET),
        (
            {"manner": "without_inspection"},
            {"has_245i_petition": True, "section_245i_filed_on": "1997-05-01"},
            Outcome.MET,
        ),
        (
            {"manner": "without_inspection"},
            {"has_245i_petition": True, "section_245i_filed_on": "2001-05-01"},
            Outcome.NOT_MET,
        ),
        (
            {"manner": "without_inspection"},
            {"has_245i_petition": True, "section_245i_filed_on": "1999-05-01"},
            Outcome.UNKNOWN,
        ),
    ],
)
def test_family_adjustment_follows_245a_and_245i(entry, history, outcome):
    facts = make(
        entry=entry, immigration_history=history, family=[{"relationship": "spouse", "status": "usc"}]
    )

    assert run("family_adjustment_flag", facts).outcome is outcome


def test_a_usc_child_under_21_cannot_petition_yet():
    facts = make(
        entry={"manner": "admitted"},
        family=[{"relationship": "child", "status": "usc", "date_of_birth": "2010-06-01"}],
    )

    verdict = run("family_adjustment_flag", facts)

    assert verdict.outcome is Outcome.NOT_MET
    assert "2031-06-01" in verdict.reason


def test_daca_is_only_a_screen_and_says_initial_grants_are_paused():
    facts = make(
        identity={"date_of_birth": "1995-01-01"},
        entry={"first_entry_on": "2000-01-01", "manner": "without_inspection"},
        education={"us_high_school_diploma_or_ged": True},
        criminal_history=[],
    )

    verdict = run("daca_flag", facts)

    assert verdict.outcome is Outcome.MET
    assert "not decided" in verdict.reason


# --- the data file ---------------------------------------------------------------------------------


def test_every_relief_flag_is_screened_with_threshold_and_pinned_statute():
    rules, sources = load_relief()
    findings = screen_relief(CaseFacts(), on=ON)

    assert {f.id for f in findings} == {r.id for r in rules}
    assert len(rules) >= 12
    for rule in rules:
        assert rule.threshold and rule.cite
        assert all(c.pin for c in rule.cite), rule.id
    assert all(f.outcome is Outcome.UNKNOWN and f.missing for f in findings)


def test_a_relief_file_without_a_threshold_is_one_clear_error(tmp_path: Path):
    broken = RELIEF_FILE.read_text(encoding="utf-8").replace("    threshold: >-\n", "    thresh: >-\n", 1)
    path = tmp_path / "relief.yaml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(PolicyError) as caught:
        load_relief(path)

    message = str(caught.value)
    assert message.startswith("relief.yaml:")
    assert "thresh" in message and "\n" not in message


def test_custody_of_180_days_in_the_period_misses_good_moral_character():
    def with_sentence(days: int) -> CaseFacts:
        event = {
            "offence": "Assault with a deadly weapon",
            "disposition": "convicted",
            "level": "felony",
            "categories": ["violent"],
            "convicted_on": "2023-01-20",
            "sentence_days": days,
        }
        return cancellation_case(criminal_history=[event])

    assert run("non_lpr_cancellation_flag", with_sentence(179)).outcome is Outcome.MET
    verdict = run("non_lpr_cancellation_flag", with_sentence(1095))
    assert verdict.outcome is Outcome.NOT_MET
    assert any("101(f)(7)" in a for a in verdict.against)
    assert "may be an aggravated felony" in verdict.reason


def test_an_lpr_is_not_flagged_for_family_adjustment_or_daca():
    facts = make(
        immigration_history={"lpr_since": "1992-08-14"},
        entry={"manner": "admitted"},
        family=[{"relationship": "spouse", "status": "usc"}],
    )

    assert run("family_adjustment_flag", facts).outcome is Outcome.NOT_MET
    assert run("daca_flag", facts).outcome is Outcome.NOT_MET


def test_a_deadline_falling_on_a_sunday_runs_to_monday():
    # 2026-12-06 is a Sunday (8 CFR 208.4(a)(2)(ii)).
    facts = make(
        entry={"last_entry_on": "2025-12-06"},
        fear={"fears_return": True, "protected_ground": True, "asylum_filed_on": "2026-12-07"},
    )
    late = make(
        entry={"last_entry_on": "2025-12-06"},
        fear={"fears_return": True, "protected_ground": True, "asylum_filed_on": "2026-12-08"},
    )

    assert run("asylum_flag", facts, on=date(2026, 12, 10)).outcome is Outcome.MET
    assert run("asylum_flag", late, on=date(2026, 12, 10)).outcome is Outcome.UNKNOWN
    # The weekend roll-forward is not in the digest: the verdict says so where it decides the outcome.
    assert "[UNVERIFIED]" in run("asylum_flag", facts, on=date(2026, 12, 10)).reason


def test_a_late_parolee_is_reminded_that_keeping_parole_can_excuse_the_delay():
    facts = make(
        entry={"manner": "paroled", "last_entry_on": "2023-01-10"},
        fear={
            "fears_return": True,
            "protected_ground": True,
            "unaccompanied_child": False,
            "changed_circumstances": False,
            "extraordinary_circumstances": False,
        },
    )

    verdict = run("asylum_flag", facts)

    assert verdict.outcome is Outcome.NOT_MET
    assert "208.4(a)(5)(iv)" in verdict.reason


@pytest.mark.parametrize(
    ("time_and_place", "outcome"),
    [(False, Outcome.MET), (None, Outcome.UNKNOWN), (True, Outcome.NOT_MET)],
)
def test_short_of_ten_years_the_clock_keeps_running_only_under_a_defective_nta(time_and_place, outcome):
    facts = cancellation_case(
        entry={"manner": "without_inspection", "first_entry_on": "2017-06-01"},
        proceedings=served("2023-01-10", time_and_place=time_and_place),
    )

    verdict = run("non_lpr_cancellation_flag", facts)

    assert verdict.outcome is outcome
    if outcome is Outcome.MET:
        assert "will be reached on 2027-06-01" in verdict.reason


def test_vawa_cancellation_notes_a_waivable_conviction_but_counts_an_aggravated_felony():
    def survivor(categories: list[str]) -> CaseFacts:
        return make(
            entry={"first_entry_on": "2015-01-01"},
            victimisation={
                "domestic_violence": True,
                "abuser_status": "lpr",
                "abuser_relationship": "spouse",
            },
            criminal_history=[
                {
                    "offence": "Shoplifting",
                    "disposition": "convicted",
                    "categories": categories,
                    "offence_on": "2019-01-01",
                    "max_penalty_days": 365,
                }
            ],
        )

    waivable = run("vawa_cancellation_flag", survivor(["cimt", "theft"]))
    barred = run("vawa_cancellation_flag", survivor(["aggravated_felony"]))

    assert waivable.outcome is Outcome.MET
    assert "240A(b)(5)" in waivable.reason
    assert barred.outcome is Outcome.NOT_MET


def test_an_lpr_cimt_of_unknown_maximum_asks_before_deciding_stop_time():
    facts = lpr_case("2018-12-31", "2019-06-01")
    event = facts.criminal_history[0].model_copy(update={"max_penalty_days": None})  # type: ignore[index]
    unsure = facts.model_copy(update={"criminal_history": [event]})

    verdict = run("lpr_cancellation_flag", unsure)

    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.missing == ("criminal_history[0].max_penalty_days",)


def test_a_set_aside_conviction_is_screened_as_none_with_a_caveat_and_a_pending_charge_is_asked():
    def with_disposition(disposition: str) -> CaseFacts:
        event = {"offence": "Possession", "disposition": disposition, "categories": ["drugs_possession"]}
        return cancellation_case(criminal_history=[event])

    vacated = run("non_lpr_cancellation_flag", with_disposition("vacated"))
    pending = run("non_lpr_cancellation_flag", with_disposition("pending"))
    convicted = run("non_lpr_cancellation_flag", with_disposition("convicted"))

    assert vacated.outcome is Outcome.MET
    assert "may still count" in vacated.reason and "101(a)(48)(A)" in vacated.reason
    assert pending.outcome is Outcome.UNKNOWN
    assert pending.missing == ("criminal_history[0].disposition",)
    assert convicted.outcome is Outcome.NOT_MET


def daca_case(history: list[dict[str, Any]], **extra: Any) -> CaseFacts:
    base: dict[str, Any] = {
        "identity": {"date_of_birth": "1995-01-01"},
        "entry": {"first_entry_on": "2000-01-01", "manner": "without_inspection"},
        "education": {"enrolled_now": True},
        "criminal_history": history,
    }
    return make(**(base | extra))


def test_daca_counts_a_significant_misdemeanour_and_three_others_but_not_minor_traffic():
    def misdemeanour(name: str, *categories: str, days: int = 0) -> dict[str, Any]:
        return {
            "offence": name,
            "disposition": "convicted",
            "level": "misdemeanor",
            "categories": list(categories),
            "sentence_days": days,
        }

    dui = run("daca_flag", daca_case([misdemeanour("DUI", "dui")]))
    three = run(
        "daca_flag",
        daca_case([misdemeanour("Trespass"), misdemeanour("Loitering"), misdemeanour("Graffiti")]),
    )
    traffic = run(
        "daca_flag",
        daca_case(
            [misdemeanour("Trespass"), misdemeanour("Loitering"), misdemeanour("No licence", "minor_traffic")]
        ),
    )
    long_custody = run("daca_flag", daca_case([misdemeanour("Resisting", days=91)]))

    assert dui.outcome is Outcome.NOT_MET
    assert three.outcome is Outcome.NOT_MET
    assert traffic.outcome is Outcome.MET
    assert long_custody.outcome is Outcome.NOT_MET


def test_daca_needs_presence_on_june_15_2012():
    away = daca_case([], presence={"absences": [{"left_on": "2012-06-01", "returned_on": "2012-07-01"}]})

    verdict = run("daca_flag", away)

    assert verdict.outcome is Outcome.NOT_MET
    assert "outside the U.S. on 2012-06-15" in verdict.reason


def test_an_lpr_child_is_not_offered_as_a_petitioner_for_a_parent():
    facts = make(
        entry={"manner": "admitted"},
        family=[{"name": "Ana", "relationship": "child", "status": "lpr", "age": 30}],
    )

    verdict = run("family_adjustment_flag", facts)

    assert verdict.outcome is Outcome.NOT_MET
    assert "preference petition" not in verdict.reason


def test_odd_but_valid_facts_never_raise_and_every_unknown_names_a_fact():
    """Seeded random cases: every risk and relief screen answers, `unknown` always says what to ask,
    and no reason states eligibility."""
    rng = random.Random(7)
    policy = shipped().get("eo14159-2025")

    def d() -> str:
        return (date(1960, 1, 1) + timedelta(days=rng.randint(0, 24000))).isoformat()

    def maybe(value: Any) -> Any:
        return rng.choice([None, value])

    def b() -> bool | None:
        return rng.choice([None, True, False])

    cats = [
        "aggravated_felony",
        "cimt",
        "violent",
        "drugs_possession",
        "dui",
        "minor_traffic",
        "theft",
        "domestic_violence",
        "firearms",
    ]
    disp = [
        "convicted",
        "pending",
        "dismissed",
        "vacated",
        "expunged",
        "deferred",
        "acquitted",
        "no_charge",
        None,
    ]
    acts = [
        None,
        "dismissal",
        "administrative_closure",
        "continuance",
        "cancel_nta",
        "join_motion_to_recalendar_and_terminate",
    ]

    for _ in range(150):
        data = {
            "requested_action": rng.choice(acts),
            "identity": {"date_of_birth": maybe(d()), "married": b()},
            "proceedings": {
                "in_proceedings": b(),
                "nta_served_on": maybe(d()),
                "nta_has_time_and_place": b(),
                "administratively_closed": b(),
                "ead_based_on_pending_application": b(),
                "detained": b(),
                "charges": rng.choice([None, [], ["INA 212(a)(6)(A)(i)"], ["INA 237(a)(2)(A)(i)"]]),
                "pending_applications": rng.choice(
                    [None, [], [{"kind": "asylum"}], [{"kind": "cancellation_non_lpr", "forum": "court"}]]
                ),
            },
            "entry": {
                "first_entry_on": maybe(d()),
                "last_entry_on": maybe(d()),
                "manner": rng.choice([None, "admitted", "paroled", "without_inspection"]),
                "parole_ends_on": maybe(d()),
                "parole_terminated": b(),
                "age_at_first_entry": maybe(rng.randint(0, 60)),
            },
            "presence": {
                "continuous_since": maybe(d()),
                "evidence": rng.choice([None, [], ["x"], ["a", "b"]]),
                "absences": rng.choice(
                    [
                        None,
                        [],
                        [{"left_on": d(), "returned_on": maybe(d())} for _ in range(rng.randint(1, 3))],
                    ]
                ),
            },
            "immigration_history": {
                "lpr_since": maybe(d()),
                "has_245i_petition": b(),
                "section_245i_filed_on": maybe(d()),
                "present_on_2000_12_21": b(),
                "ever_had_daca": b(),
                "prior_relief_granted": rng.choice([None, [], ["212(c)"]]),
            },
            "criminal_history": rng.choice(
                [
                    None,
                    [],
                    [
                        {
                            "offence": "x",
                            "disposition": rng.choice(disp),
                            "categories": rng.sample(cats, rng.randint(0, 2)),
                            "offence_on": maybe(d()),
                            "convicted_on": maybe(d()),
                            "level": rng.choice([None, "felony", "misdemeanor", "infraction"]),
                            "sentence_days": maybe(rng.randint(0, 4000)),
                            "max_penalty_days": maybe(rng.randint(0, 4000)),
                            "sentence_suspended": b(),
                        }
                        for _ in range(rng.randint(1, 4))
                    ],
                ]
            ),
            "family": rng.choice(
                [
                    None,
                    [],
                    [
                        {
                            "relationship": rng.choice(["spouse", "child", "parent", "sibling"]),
                            "status": rng.choice(["usc", "lpr", "unknown", "undocumented"]),
                            "date_of_birth": maybe(d()),
                            "age": maybe(rng.randint(0, 90)),
                        }
                        for _ in range(rng.randint(1, 3))
                    ],
                ]
            ),
            "victimisation": {
                "domestic_violence": b(),
                "abuser_status": rng.choice([None, "usc", "lpr", "unknown", "undocumented"]),
                "abuser_relationship": rng.choice([None, "spouse", "parent", "child", "other"]),
                "trafficking": b(),
                "crime_victim": b(),
                "substantial_harm": b(),
                "helpful_to_law_enforcement": b(),
                "certification_obtainable": b(),
            },
            "fear": {
                "fears_return": b(),
                "protected_ground": b(),
                "torture_fear": b(),
                "asylum_filed_on": maybe(d()),
                "unaccompanied_child": b(),
                "changed_circumstances": b(),
                "extraordinary_circumstances": b(),
            },
            "juvenile": {"juvenile_court_order": b(), "reunification_not_viable": b()},
            "military": {
                "served": b(),
                "active_duty_months": maybe(rng.randint(0, 100)),
                "in_us_at_enlistment": b(),
                "discharge": rng.choice([None, "honorable", "dishonorable"]),
            },
            "education": {"enrolled_now": b(), "us_high_school_diploma_or_ged": b()},
            "security": {"persecutor": b(), "terrorism_or_espionage": b()},
        }
        facts = CaseFacts.model_validate(data)
        on = date(2025, 1, 20) + timedelta(days=rng.randint(0, 800))
        result = screen(facts, policy, on=on)
        for f in (*result.risks, *result.relief):
            if f.outcome is Outcome.UNKNOWN:
                assert f.missing, (f.id, f.reason)
            assert "eligible" not in f.reason.lower(), f.reason  # a screen, never a conclusion


def test_cancellation_outside_proceedings_is_not_available_now_and_warns_against_seeking_them():
    # The predicate measures the thresholds (all met); the court-only gate then says it cannot be used now.
    assert run("non_lpr_cancellation_flag", cancellation_case()).outcome is Outcome.MET
    flag = {f.id: f for f in screen_relief(cancellation_case(), on=ON)}["non_lpr_cancellation"]

    assert flag.outcome is Outcome.NOT_MET
    assert flag.reason.startswith("Not available now:")
    assert "Do not seek proceedings" in flag.reason
    assert "10 years from 2010-05-01 reached on 2020-05-01" in flag.reason  # the measurement stays visible


# --- audit fixes: qualifying child's age, DACA lawful status, dates after the screening date --------


def test_a_usc_child_aged_21_or_over_is_not_a_qualifying_relative_for_cancellation():
    adult = cancellation_case(
        family=[{"name": "Ana", "relationship": "child", "status": "usc", "date_of_birth": "2000-01-01"}]
    )
    minor = cancellation_case(
        family=[{"name": "Ana", "relationship": "child", "status": "usc", "date_of_birth": "2006-11-29"}]
    )
    age_unknown = cancellation_case(family=[{"name": "Ana", "relationship": "child", "status": "usc"}])

    verdict = run("non_lpr_cancellation_flag", adult)

    assert verdict.outcome is Outcome.NOT_MET
    assert "no U.S.-citizen or LPR spouse, parent, or child under 21" in verdict.reason
    assert "Ana is 26" in verdict.reason
    # Turns 21 the day after the screening date: still a child on it.
    assert run("non_lpr_cancellation_flag", minor).outcome is Outcome.MET
    assert run("non_lpr_cancellation_flag", minor, on=date(2027, 11, 29)).outcome is Outcome.NOT_MET
    assert run("non_lpr_cancellation_flag", age_unknown).missing == ("family[0].date_of_birth",)


def test_an_adult_child_does_not_hide_a_qualifying_spouse():
    facts = cancellation_case(
        family=[
            {"name": "Ana", "relationship": "child", "status": "usc", "date_of_birth": "2000-01-01"},
            {"name": "Luis", "relationship": "spouse", "status": "lpr"},
        ]
    )

    verdict = run("non_lpr_cancellation_flag", facts)

    assert verdict.outcome is Outcome.MET
    assert any("Luis" in s for s in verdict.supporting)
    assert not any("Ana" in s for s in verdict.supporting)


def test_facts_dated_after_the_screening_date_do_not_count_on_it():
    child_born_later = cancellation_case(
        family=[{"name": "Ana", "relationship": "child", "status": "usc", "date_of_birth": "2027-03-01"}]
    )
    later_conviction = cancellation_case(
        criminal_history=[
            {
                "offence": "Possession",
                "disposition": "convicted",
                "categories": ["drugs_possession"],
                "offence_on": "2027-01-10",
                "convicted_on": "2027-02-01",
            }
        ]
    )
    convicted_later_of_earlier_offence = cancellation_case(
        criminal_history=[
            {
                "offence": "Possession",
                "disposition": "convicted",
                "categories": ["drugs_possession"],
                "offence_on": "2026-10-10",
                "convicted_on": "2027-02-01",
            }
        ]
    )
    filed_later = make(
        entry={"manner": "without_inspection", "last_entry_on": "2025-03-10"},
        fear={"fears_return": True, "protected_ground": True, "asylum_filed_on": "2027-01-05"},
    )
    lpr_later = make(immigration_history={"lpr_since": "2027-01-01"})

    assert run("non_lpr_cancellation_flag", child_born_later).outcome is Outcome.NOT_MET
    assert run("non_lpr_cancellation_flag", child_born_later, on=date(2027, 3, 1)).outcome is Outcome.MET
    assert run("non_lpr_cancellation_flag", later_conviction).outcome is Outcome.MET
    assert run("non_lpr_cancellation_flag", later_conviction, on=date(2027, 2, 1)).outcome is Outcome.NOT_MET
    early = run("non_lpr_cancellation_flag", convicted_later_of_earlier_offence)
    assert early.outcome is Outcome.MET
    assert "not counted as a conviction" in early.reason
    # Filed 2027-01-05, after the 2026-03-10 deadline: on 2026-11-28 it is not yet filed, and still late.
    asylum = run("asylum_flag", filed_later)
    assert "filed after 2026-11-28" in asylum.reason
    assert asylum.outcome is Outcome.UNKNOWN
    assert run("lpr_cancellation_flag", lpr_later).outcome is Outcome.NOT_MET
    assert "already an LPR" not in run("family_adjustment_flag", lpr_later).reason


def test_a_court_application_filed_after_the_screening_date_is_not_lost_by_dismissing_on_it():
    facts = make(
        requested_action="dismissal",
        proceedings={
            "in_proceedings": True,
            "pending_applications": [
                {"kind": "cancellation_non_lpr", "forum": "court", "filed_on": "2027-01-15"}
            ],
        },
    )

    assert run("court_only_relief_lost_if_case_ends", facts).outcome is Outcome.NOT_MET
    assert run("court_only_relief_lost_if_case_ends", facts, on=date(2027, 1, 15)).outcome is Outcome.MET


def test_daca_needs_no_lawful_status_on_june_15_2012():
    in_status = daca_case(
        [], entry={"first_entry_on": "2000-01-01", "manner": "admitted", "lawful_status_years": 15}
    )
    status_ended = daca_case(
        [], entry={"first_entry_on": "2000-01-01", "manner": "admitted", "lawful_status_years": 2}
    )
    not_asked = daca_case([], entry={"first_entry_on": "2000-01-01", "manner": "admitted"})
    manner_unknown = daca_case([], entry={"first_entry_on": "2000-01-01"})

    verdict = run("daca_flag", in_status)

    assert verdict.outcome is Outcome.NOT_MET
    assert "still in lawful status on 2012-06-15" in verdict.reason
    assert run("daca_flag", status_ended).outcome is Outcome.MET
    assert run("daca_flag", not_asked).missing == ("entry.lawful_status_years",)
    assert run("daca_flag", manner_unknown).missing == ("entry.manner",)


def test_daca_needs_presence_when_filing():
    abroad = daca_case([], presence={"absences": [{"left_on": "2026-10-01"}]})

    verdict = run("daca_flag", abroad)

    assert verdict.outcome is Outcome.NOT_MET
    assert "must be present when filing" in verdict.reason


# --- gates (issue 8): dated, posture and prior-order gates, the same in the batch fast path ----------


def _gated_cases() -> list[CaseFacts]:
    base = cancellation_case(proceedings={"in_proceedings": True, "nta_served_on": "2024-01-01"})
    return [
        base,
        cancellation_case(),  # not in proceedings
        cancellation_case(proceedings={"in_proceedings": None}),
        base.model_copy(
            update={
                "immigration_history": base.immigration_history.model_copy(
                    update={"final_order": True, "final_order_in_absentia": True}
                )
            }
        ),
        make(
            entry={"manner": "without_inspection", "first_entry_on": "2008-01-01"},
            immigration_history={"prior_removals": [{"removed_on": "2009-01-01", "kind": "removal"}]},
            proceedings={"in_proceedings": True},
        ),
    ]


def test_the_batch_fast_path_applies_the_same_gates_as_the_screen():
    from discretion.policies import shipped
    from discretion.screening import screen, screen_outcomes

    policy = shipped().get("eo14159-2025")
    for facts in _gated_cases():
        slow = screen(facts, policy, on=ON)
        fast = screen_outcomes(facts, policy, on=ON)
        relief = fast.verdicts[len(fast.verdicts) - len(slow.relief) :]
        assert [v.outcome for v in relief] == [f.outcome for f in slow.relief]
        assert [v.reason for v in relief] == [f.reason for f in slow.relief]


def test_no_gated_court_relief_is_met_after_a_final_order_or_outside_proceedings():
    for facts in _gated_cases()[1:]:
        flags = {f.id: f for f in screen_relief(facts, on=ON)}
        for rule_id in ("non_lpr_cancellation", "lpr_cancellation", "vawa_cancellation"):
            assert flags[rule_id].outcome is not Outcome.MET, (rule_id, flags[rule_id].reason)


def test_a_relief_file_that_words_the_gates_needs_gates_on_every_flag(tmp_path: Path):
    from discretion.relief import check_relief

    text = RELIEF_FILE.read_text(encoding="utf-8").replace(
        "    gates: {source: ina_240a, forum: court, final_order: motion_to_reopen, prior_order: review}\n",
        "",
        1,
    )
    path = tmp_path / "relief.yaml"
    path.write_text(text, encoding="utf-8")
    _, _, problems = check_relief(path)
    assert any("needs `gates`" in p for p in problems.found), problems.found
