"""The shipped policy data: it loads, cites, carries the digest's confidence tags, and the
catalogue picks the right regime for every day from March 2, 2011 to today."""

import random
from datetime import date, timedelta

import pytest

from discretion.errors import NoPolicyInForce
from discretion.facts import CaseFacts
from discretion.policies import shipped
from discretion.rules import Confidence, Kind
from discretion.screening import screen

STRENGTH = {Confidence.UNVERIFIED: 0, Confidence.PARTIAL: 1, Confidence.CONFIRMED: 2, Confidence.STATUTE: 3}

# First day each regime governs, per the digest (§1, §1.6, §1.7); None = no policy in force.
CHAIN = [
    (date(2011, 3, 2), "morton-2011-03"),
    (date(2011, 6, 17), "morton-2011-06"),
    (date(2015, 1, 5), "johnson-2014"),
    (date(2017, 1, 25), "kelly-2017"),
    (date(2021, 1, 20), "interim-2021"),
    (date(2021, 5, 27), "trasvina-2021"),
    (date(2021, 11, 29), "mayorkas-2021"),
    (date(2022, 4, 25), "doyle-2022"),
    (date(2022, 6, 10), "mayorkas-2021"),  # Doyle partly suspended; the vacatur not yet effective
    (date(2022, 6, 25), "opla-case-by-case-2022"),  # Mayorkas vacated until United States v. Texas
    (date(2023, 6, 23), "mayorkas-2021"),  # Mayorkas reinstated; Doyle not yet fully reinstituted
    (date(2023, 7, 28), "doyle-2022"),
    (date(2025, 1, 20), "eo14159-2025"),
]


def expected_on(day: date) -> str | None:
    return [pid for start, pid in CHAIN if start <= day][-1]


def test_every_shipped_policy_loads_with_unique_rule_ids():
    catalogue = shipped()
    assert {c[1] for c in CHAIN} - {None} <= {p.id for p in catalogue}
    for policy in catalogue:
        ids = [r.id for r in policy.rules]
        assert len(ids) == len(set(ids)), policy.id
        assert policy.meta.not_priority_argument, f"{policy.id} has no not-priority argument"


def test_every_rule_cites_a_listed_source_and_is_no_surer_than_its_sources():
    for policy in shipped():
        for rule in policy.rules:
            assert rule.cite and all(c.source in policy.sources for c in rule.cite), (policy.id, rule.id)
            best = max(STRENGTH[policy.sources[c.source].confidence] for c in rule.cite)
            assert STRENGTH[rule.confidence] <= best, f"{policy.id}:{rule.id} is surer than its sources"


def test_factors_and_priorities_say_what_proves_them_and_what_the_letter_says():
    # The letter's words for a rule are the shared template of its test (letters/data/
    # factors-en.yaml) unless the rule overrides them with its own `letter:`.
    from discretion.letters.arguments import factor_wording

    words = factor_wording()
    for policy in (p for p in shipped() if p.id != "eo14159-2025"):
        for rule in policy.rules:
            if rule.kind in (Kind.PRIORITY, Kind.AGGRAVATING, Kind.MITIGATING):
                table = words.favourable if rule.kind is Kind.MITIGATING else words.unfavourable
                assert rule.evidence, f"{policy.id}:{rule.id}: no evidence"
                assert rule.letter or rule.test in table, (
                    f"{policy.id}:{rule.id}: no letter wording for {rule.test}"
                )


@pytest.mark.parametrize(
    ("policy_id", "rule_id", "tag"),
    [
        ("morton-2011-03", "p1_level1_aggravated_felony", "confirmed"),
        ("morton-2011-03", "p1_level2_felony", "unverified"),
        ("morton-2011-03", "p1_level2_three_lesser_crimes", "unverified"),
        ("morton-2011-03", "p1_level3_lesser_crime", "partial"),
        ("morton-2011-06", "f14_pregnant_or_nursing", "confirmed"),
        ("morton-2011-06", "f15_severe_illness", "partial"),
        ("morton-2011-06", "f16_nationality_renders_removal_unlikely", "unverified"),
        ("morton-2011-06", "f17_likely_relief_as_relative", "unverified"),
        ("morton-2011-06", "f18_likely_humanitarian_relief", "unverified"),
        ("morton-2011-06", "f19_cooperates_with_law_enforcement", "unverified"),
        ("johnson-2014", "p2a_three_misdemeanours", "partial"),
        ("johnson-2014", "p3_final_order_since_2014", "confirmed"),
        ("mayorkas-2021", "mit_conviction_vacated_or_expunged", "partial"),
        ("doyle-2022", "mit_conviction_vacated_or_expunged", "partial"),
    ],
)
def test_confidence_tags_follow_the_digest(policy_id, rule_id, tag):
    rule = next(r for r in shipped().get(policy_id).rules if r.id == rule_id)
    assert rule.confidence.value == tag


def test_the_catalogue_selects_the_designed_regime_every_day():
    catalogue = shipped()
    day, wrong = date(2011, 3, 2), []
    while day <= date(2026, 11, 28):
        try:
            got: str | None = catalogue.select(day).id
        except NoPolicyInForce:
            got = None
        if got != expected_on(day):
            wrong.append((day.isoformat(), got, expected_on(day)))
        day += timedelta(days=1)
    assert not wrong, wrong[:5]


def test_nothing_is_in_force_before_the_first_policy():
    with pytest.raises(
        NoPolicyInForce, match="earliest policy on file, morton-2011-03, took effect on 2011-03-02"
    ):
        shipped().select(date(2011, 3, 1))


def test_the_vacatur_window_is_covered_by_opla_case_by_case_discretion():
    catalogue = shipped()
    fallback = catalogue.get("opla-case-by-case-2022")
    mayorkas = catalogue.get("mayorkas-2021").meta.suspensions[0]
    # It fills exactly the Mayorkas vacatur (ice.gov FAQ; United States v. Texas).
    assert (fallback.effective, fallback.meta.ended) == (mayorkas.start, mayorkas.end)
    assert catalogue.select(date(2022, 12, 1)).id == "opla-case-by-case-2022"
    assert fallback.meta.status == "historical"
    assert "case-by-case basis" in fallback.meta.summary
    assert any("partly suspended" in n for n in fallback.meta.notes)
    # No categorical priorities; the OPLA page factors were seen only in a 2021 copy: partial.
    assert not fallback.rules_of(Kind.PRIORITY)
    assert {r.confidence for r in fallback.rules} == {Confidence.PARTIAL}


def test_morton_factor_10_is_context_and_counts_neither_way():
    policy = shipped().get("morton-2011-06")
    assert not any(r.id.startswith("f10") for r in policy.rules)
    assert any("Factor 10" in n and "context" in n for n in policy.meta.notes)


def test_johnson_and_trasvina_pregnancy_factors_do_not_count_nursing():
    for policy_id in ("johnson-2014", "trasvina-2021"):
        policy = shipped().get(policy_id)
        rule = next(r for r in policy.rules if r.id == "humanitarian_pregnancy")
        assert "nursing" not in (rule.letter or "")
        facts = CaseFacts.model_validate({"health": {"pregnant_or_nursing": True, "conditions": []}})
        finding = next(f for f in screen(facts, policy, on=policy.effective).findings if f.id == rule.id)
        assert finding.outcome.value != "met", policy_id
    morton = next(r for r in shipped().get("morton-2011-06").rules if r.id == "f14_pregnant_or_nursing")
    assert "nursing" in morton.label  # Morton factor 14 does say "pregnant or nursing"


# Phrases that state a fact no predicate establishes; a priority or aggravating rule is printed
# exactly when it is met, so its sentence must not deny what it flags.
UNCHECKED_CLAIMS = (
    "Nothing in",
    "not recent",
    "does not show",
    "not a current threat",
    "complied with every",
    "now treated",
    "completed the sentence",
    "appears eligible",
    "qualifies for relief, now",
    "the evidence that rebuts",
    "steps taken",
    "sentence served",
    "make amends",
    "showing the Respondent is not",
    "deep ties",
    "strong family",
)


def test_letter_sentences_claim_only_what_the_rule_tests():
    for policy in (p for p in shipped() if p.id != "eo14159-2025"):
        for rule in policy.rules:
            for phrase in UNCHECKED_CLAIMS:
                assert phrase not in (rule.letter or ""), f"{policy.id}:{rule.id}: {phrase!r}"


def test_a_past_screen_ignores_later_convictions_and_applications():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    facts = CaseFacts.model_validate(
        yaml.safe_load((root / "examples" / "detained-felony.yaml").read_text(encoding="utf-8"))
    )
    policy = shipped().select(date(2012, 1, 1))
    result = screen(facts, policy, on=date(2012, 1, 1))
    by_id = {f.id: f for f in result.findings}
    assert by_id["f06_criminal_history"].outcome.value == "not_met"
    assert "2023-01-20" in by_id["f06_criminal_history"].reason  # named as not counted
    assert by_id["p1_convicted_of_crime"].outcome.value == "not_met"
    assert by_id["f18_likely_humanitarian_relief"].outcome.value == "not_met"  # filed 2026


def test_successors_start_the_day_their_predecessors_end():
    get = shipped().get
    assert get("kelly-2017").meta.ended == get("interim-2021").effective
    assert get("interim-2021").meta.ended == get("mayorkas-2021").effective
    assert get("trasvina-2021").meta.ended == get("doyle-2022").effective
    assert get("mayorkas-2021").meta.ended == get("eo14159-2025").effective
    assert get("doyle-2022").meta.ended == get("eo14159-2025").effective
    assert get("opla-case-by-case-2022").meta.ended == date(2023, 6, 23)  # United States v. Texas
    # The Kelly memo of Feb 20, 2017 rescinded Johnson; EO 13768 set priorities from Jan 25.
    assert get("johnson-2014").meta.ended == date(2017, 2, 20)


def test_the_biden_era_rule_sets_are_marked_as_ended_in_practice_only():
    for policy_id in ("mayorkas-2021", "doyle-2022"):
        meta = shipped().get(policy_id).meta
        assert meta.status == "superseded-in-practice"
        assert "UNVERIFIED" in (meta.ended_by or "")


def _odd_facts(rnd):
    """A case with any mix of known, unknown and contradictory facts."""

    def maybe(value):
        return rnd.choice([None, value])

    def day():
        return date(1960, 1, 1) + timedelta(days=rnd.randint(0, 24000))

    categories = [
        "aggravated_felony",
        "violent",
        "dui",
        "theft",
        "minor_traffic",
        "immigration_status",
        "gang",
    ]
    dispositions = ["convicted", "pending", "dismissed", "acquitted", "vacated", "deferred", "no_charge"]

    def event():
        fields = {
            "offence_on": maybe(day()),
            "convicted_on": maybe(day()),
            "disposition": maybe(rnd.choice(dispositions)),
            "level": maybe(rnd.choice(["felony", "misdemeanor", "infraction"])),
            "sentence_days": maybe(rnd.randint(0, 900)),
            "max_penalty_days": maybe(rnd.randint(0, 3000)),
            "weapon_used": maybe(rnd.random() < 0.5),
            "harm_caused": maybe(rnd.choice(["", "none", "injury"])),
            "completed_sentence": maybe(True),
        }
        return {"offence": "X", "categories": rnd.sample(categories, rnd.randint(0, 2))} | {
            k: v for k, v in fields.items() if v is not None
        }

    def relative():
        fields = {"date_of_birth": maybe(day()), "dependent": maybe(True), "serious_illness": maybe(True)}
        return {
            "relationship": rnd.choice(["spouse", "child", "parent", "sibling"]),
            "status": rnd.choice(["usc", "lpr", "undocumented", "unknown"]),
        } | {k: v for k, v in fields.items() if v is not None}

    return {
        "identity": {"date_of_birth": maybe(day())},
        "entry": {
            "first_entry_on": maybe(day()),
            "last_entry_on": maybe(day()),
            "manner": maybe(rnd.choice(["admitted", "paroled", "without_inspection"])),
            "apprehended_at_entry": maybe(True),
        },
        "presence": {"continuous_since": maybe(day())},
        "immigration_history": {
            "final_order": maybe(rnd.random() < 0.5),
            "final_order_on": maybe(day()),
            "reentered_after_removal": maybe(True),
            "lpr_since": maybe(day()),
        },
        "criminal_history": maybe([event() for _ in range(rnd.randint(0, 4))]),
        "gang": {"alleged": maybe(True), "age_at_participation": maybe(rnd.randint(10, 30))},
        "family": maybe([relative() for _ in range(rnd.randint(0, 3))]),
        "military": {"served": maybe(True), "discharge": maybe(rnd.choice(["honorable", "dishonorable"]))},
        "caretaker": {"primary_caretaker": maybe(True)},
    }


def test_odd_facts_never_crash_a_screen_and_every_unknown_names_a_fact():
    rnd = random.Random(2011)  # seeded: the same cases every run
    policies = [p for p in shipped() if p.id != "eo14159-2025"]
    for _ in range(60):
        facts = CaseFacts.model_validate(_odd_facts(rnd))
        on = date(2011, 3, 2) + timedelta(days=rnd.randint(0, 5700))
        for policy in policies:
            for finding in screen(facts, policy, on=on).findings:
                assert finding.reason, (policy.id, finding.id)
                assert finding.outcome.value != "unknown" or finding.missing, (policy.id, finding.id)
