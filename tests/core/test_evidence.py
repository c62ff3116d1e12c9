from datetime import date
from pathlib import Path

import pytest

from discretion.casefile import load_case
from discretion.errors import DocumentError
from discretion.evidence import EVIDENCE_FILE, build_checklist, load_evidence
from discretion.evidence_triggers import TRIGGERS
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.predicates import Outcome
from discretion.rules import Confidence, Finding, Kind, Polarity
from discretion.screening import Screening

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "maria-lopez.yaml"
ON = date(2026, 11, 28)


def facts(**data):
    return CaseFacts.model_validate(data)


def ids(checklist):
    return {item.id for item in checklist.items}


def finding(rule_id, *paths, outcome=Outcome.MET, kind=Kind.MITIGATING, evidence=()):
    polarity = Polarity.FAVOURABLE if kind in (Kind.MITIGATING, Kind.RELIEF) else Polarity.UNFAVOURABLE
    return Finding(
        id=rule_id,
        kind=kind,
        label=rule_id.replace("_", " "),
        polarity=polarity,
        outcome=outcome,
        reason=f"{rule_id} test reason",
        facts_used=paths,
        missing=(),
        citations=(),
        confidence=Confidence.CONFIRMED,
        evidence=tuple(evidence),
    )


def screening(*findings):
    return Screening(
        policy_id="test-policy",
        policy_title="Test",
        policy_effective=date(2020, 1, 1),
        policy_sha256="0" * 64,
        policy_status="current",
        on=ON,
        facts_digest="x",
        findings=tuple(findings),
    )


CHILDREN = [
    {"name": "Ana Ruiz", "relationship": "child", "status": "usc"},
    {"name": "Luis Ruiz", "relationship": "child", "status": "lpr"},
    {"name": "Eva Ruiz", "relationship": "child", "status": "undocumented"},
]


def test_unknown_facts_give_questions_not_items():
    checklist = build_checklist(CaseFacts(), None, on=ON)

    assert ids(checklist) == {"passport", "birth_certificate", "consular_id", "respondent_declaration"}
    asked = {q.path for q in checklist.questions}
    assert {
        "family",
        "criminal_history",
        "representative.kind",
        "entry.first_entry_on",
        "entry.manner",
    } <= asked
    assert "military.served" in asked


def test_each_usc_child_gets_a_birth_certificate_and_an_lpr_child_a_green_card():
    checklist = build_checklist(facts(family=CHILDREN), None, on=ON)

    family_items = {i for i in ids(checklist) if "ruiz" in i}
    assert family_items == {"usc_child_birth_certificate.ana-ruiz", "relative_green_card.luis-ruiz"}
    assert checklist.get("usc_child_birth_certificate.ana-ruiz").title == "U.S. birth certificate of Ana Ruiz"
    assert checklist.get("usc_child_birth_certificate.ana-ruiz").fact_paths == ("family[0]",)


def test_a_relative_of_unknown_status_is_a_question():
    checklist = build_checklist(facts(family=[{"name": "Tomás", "relationship": "parent"}]), None, on=ON)

    assert not any("tomas" in i for i in ids(checklist))
    assert any(q.path == "family[0].status" and "Tomás" in q.question for q in checklist.questions)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("usc", {"marriage_certificate.kim-lee", "relative_citizenship.kim-lee"}),
        ("lpr", {"marriage_certificate.kim-lee", "relative_green_card.kim-lee"}),
        ("undocumented", set()),
    ],
)
def test_a_spouse_needs_the_marriage_certificate_and_proof_of_status(status, expected):
    checklist = build_checklist(
        facts(family=[{"name": "Kim Lee", "relationship": "spouse", "status": status}]), None, on=ON
    )

    assert {i for i in ids(checklist) if "kim-lee" in i} == expected


def test_a_usc_parent_needs_proof_of_citizenship_and_relationship():
    checklist = build_checklist(
        facts(family=[{"name": "Rosa", "relationship": "parent", "status": "usc"}]), None, on=ON
    )

    assert {"relative_citizenship.rosa", "relative_relationship.rosa"} <= ids(checklist)


def test_military_service_of_self_and_relative():
    served = build_checklist(
        facts(
            military={"served": True},
            family=[{"name": "Joe", "relationship": "sibling", "military_service": True}],
        ),
        None,
        on=ON,
    )
    not_served = build_checklist(facts(military={"served": False}), None, on=ON)

    assert {"military_records", "relative_military_records.joe"} <= ids(served)
    assert not any("military" in i for i in ids(not_served))
    assert "military.served" not in {q.path for q in not_served.questions}


def test_medical_condition_marks_the_untreatable_abroad_element_as_advocacy():
    condition = {
        "description": "Chronic kidney disease",
        "serious": True,
        "treatment_available_in_home_country": False,
    }
    checklist = build_checklist(
        facts(health={"conditions": [condition]}, identity={"citizenship": ["Honduras"]}), None, on=ON
    )

    medical = checklist.get("medical_records.chronic-kidney-disease")
    abroad = checklist.get("treatment_unavailable.chronic-kidney-disease")
    assert "Chronic kidney disease" in medical.title
    assert "Honduras" in abroad.title
    assert abroad.advocacy and not abroad.required
    assert abroad.confidence is Confidence.UNVERIFIED


def test_treatment_available_at_home_drops_the_advocacy_item():
    condition = {"description": "Asthma", "serious": True, "treatment_available_in_home_country": True}
    checklist = build_checklist(facts(health={"conditions": [condition]}), None, on=ON)

    assert "medical_records.asthma" in ids(checklist)
    assert not any(i.startswith("treatment_unavailable") for i in ids(checklist))


def test_caretaker_needs_the_dependants_records_and_proof_of_care():
    checklist = build_checklist(
        facts(caretaker={"primary_caretaker": True, "of_whom": "her mother"}), None, on=ON
    )

    assert {"dependant_medical_records", "caregiver_proof"} <= ids(checklist)
    assert "her mother" in checklist.get("caregiver_proof").title


def test_victims_get_victim_evidence_and_non_victims_none():
    victim = build_checklist(
        facts(
            victimisation={
                "domestic_violence": True,
                "trafficking": False,
                "crime_victim": True,
                "crime": "robbery",
            }
        ),
        None,
        on=ON,
    )
    not_victim = build_checklist(
        facts(victimisation={"domestic_violence": False, "trafficking": False, "crime_victim": False}),
        None,
        on=ON,
    )

    assert {"dv_evidence", "crime_victim_evidence"} <= ids(victim)
    assert "trafficking_evidence" not in ids(victim)
    assert "robbery" in victim.get("crime_victim_evidence").title
    assert not any(i.endswith("_evidence") for i in ids(not_victim))


def test_every_arrest_needs_a_certified_disposition_and_convictions_more():
    history = [
        {"offence": "Petit larceny", "arrested_on": "2015-03-01", "disposition": "dismissed"},
        {
            "offence": "Assault 3",
            "convicted_on": "2018-05-02",
            "disposition": "convicted",
            "level": "misdemeanor",
        },
    ]
    checklist = build_checklist(facts(criminal_history=history), None, on=ON)

    dispositions = sorted(i for i in ids(checklist) if i.startswith("certified_disposition."))
    assert dispositions == [
        "certified_disposition.2015-03-01-petit-larceny",
        "certified_disposition.2018-05-02-assault-3",
    ]
    assert {i for i in ids(checklist) if i.startswith("sentence_completed.")} == {
        "sentence_completed.2018-05-02-assault-3"
    }
    assert checklist.get("rehabilitation").required
    assert all(checklist.get(i).required for i in dispositions)


def test_a_minor_traffic_infraction_needs_its_disposition_but_no_rehabilitation():
    history = [
        {
            "offence": "Speeding",
            "convicted_on": "2019-01-01",
            "disposition": "convicted",
            "level": "infraction",
        }
    ]
    checklist = build_checklist(facts(criminal_history=history), None, on=ON)

    assert "certified_disposition.2019-01-01-speeding" in ids(checklist)
    assert "rehabilitation" not in ids(checklist)


def test_no_criminal_history_means_no_items_and_no_question():
    checklist = build_checklist(facts(criminal_history=[]), None, on=ON)

    assert not any(i.startswith("certified_disposition") for i in ids(checklist))
    assert "criminal_history" not in {q.path for q in checklist.questions}


def test_pending_applications_by_forum():
    apps = [
        {"kind": "u_visa", "receipt_number": "EAC2190012345"},
        {"kind": "asylum"},
        {"kind": "cancellation_non_lpr", "filed_on": "2020-02-14"},
    ]
    checklist = build_checklist(facts(proceedings={"pending_applications": apps}), None, on=ON)

    receipt = checklist.get("uscis_receipt.u_visa-0")
    assert "EAC2190012345" in receipt.title and receipt.required
    assert "court_application_filed.cancellation_non_lpr-2" in ids(checklist)
    assert not any("asylum" in i for i in ids(checklist))
    assert any(q.path == "proceedings.pending_applications[1].forum" for q in checklist.questions)


def test_representation_forms():
    represented = build_checklist(
        facts(representative={"kind": "attorney"}, proceedings={"in_proceedings": True}), None, on=ON
    )
    pro_se = build_checklist(
        facts(representative={"kind": "pro_se"}, proceedings={"in_proceedings": True}), None, on=ON
    )

    assert represented.get("g28").required and represented.get("eoir28").required
    assert not {"g28", "eoir28"} & ids(pro_se)
    # OPLA also takes requests from unrepresented people (digest §1.7): the reason given is that
    # the representative needs the notice on file, not that OPLA deals only with representatives.
    requirement = represented.get("g28").requirement
    assert "represented" in requirement and "notice of appearance" in requirement
    assert "only" not in requirement and "of record" not in requirement


@pytest.mark.parametrize(
    ("manner", "exposed"), [("without_inspection", True), ("paroled", True), ("admitted", False)]
)
def test_two_year_presence_is_required_for_those_exposed_to_expedited_removal(manner, exposed):
    checklist = build_checklist(facts(entry={"manner": manner}), None, on=ON)

    assert ("two_year_presence" in ids(checklist)) is exposed
    if exposed:
        assert checklist.get("two_year_presence").required


def test_a_recent_arrival_is_told_two_years_cannot_be_shown_yet():
    recent = build_checklist(facts(entry={"manner": "paroled", "last_entry_on": "2025-06-01"}), None, on=ON)
    settled = build_checklist(facts(entry={"manner": "paroled", "last_entry_on": "2020-06-01"}), None, on=ON)

    assert "reached only on 2027-06-01" in (recent.get("two_year_presence").detail or "")
    assert "reached only" not in (settled.get("two_year_presence").detail or "")


def test_arrival_as_a_child_is_computed_from_dates():
    child = build_checklist(
        facts(identity={"date_of_birth": "2000-01-01"}, entry={"first_entry_on": "2005-06-01"}), None, on=ON
    )
    adult = build_checklist(
        facts(identity={"date_of_birth": "1980-01-01"}, entry={"first_entry_on": "2005-06-01"}), None, on=ON
    )

    assert "age 5" in child.get("childhood_arrival").proves
    assert "childhood_arrival" not in ids(adult)


def test_a_favourable_item_is_required_only_when_a_met_factor_relies_on_it():
    case = facts(family=CHILDREN)
    alone = build_checklist(case, None, on=ON)
    weighed = build_checklist(case, screening(finding("usc_family", "family")))
    unmet = build_checklist(case, screening(finding("usc_family", "family", outcome=Outcome.NOT_MET)))

    item = "usc_child_birth_certificate.ana-ruiz"
    assert not alone.get(item).required
    assert weighed.get(item).required
    assert weighed.get(item).rule_ids == ("usc_family",)
    assert "usc_family [met]" in weighed.get(item).why
    assert not unmet.get(item).required and unmet.get(item).rule_ids == ()


def test_a_finding_about_one_relative_does_not_weigh_anothers_document():
    case = facts(family=[CHILDREN[0], {"name": "Lia", "relationship": "child", "status": "usc"}])
    checklist = build_checklist(case, screening(finding("ill_child", "family[1].status")))

    assert not checklist.get("usc_child_birth_certificate.ana-ruiz").required
    assert checklist.get("usc_child_birth_certificate.lia").required


def test_a_met_factor_no_item_covers_gets_its_own_item_from_the_policy_hints():
    checklist = build_checklist(
        CaseFacts(), screening(finding("fear_of_return", "fear.fears_return", evidence=["Country reports"]))
    )

    item = checklist.get("factor.fear_of_return")
    assert item.required and item.detail == "Country reports"
    assert item.rule_ids == ("fear_of_return",)


def test_a_met_relief_flag_or_risk_gets_no_item_of_its_own():
    checklist = build_checklist(
        CaseFacts(),
        screening(
            finding("u_visa", "victimisation.helpful_to_law_enforcement", kind=Kind.RELIEF),
            finding("courthouse_arrest", "proceedings.court", kind=Kind.RISK),
        ),
    )

    assert not any(i.startswith("factor.") for i in ids(checklist))


def test_a_met_unfavourable_factor_no_item_covers_is_required_and_negative():
    checklist = build_checklist(
        CaseFacts(), screening(finding("gang_allegation", "gang.alleged", kind=Kind.AGGRAVATING))
    )

    item = checklist.get("factor.gang_allegation")
    assert item.required and item.basis == "negative"


def test_exhibits_mark_items_provided_missing_or_needing_translation():
    case = facts(family=CHILDREN)
    checklist = build_checklist(case, None, on=ON).with_exhibits(
        [
            Exhibit("A", "Passport", proves=("passport",), language="es"),
            Exhibit(
                "B",
                "Birth certificate",
                proves=("birth_certificate",),
                language="es",
                translation=Path("t.pdf"),
            ),
            Exhibit("C", "Ana's birth certificate", proves=("usc_child_birth_certificate.ana-ruiz",)),
            Exhibit("D", "Mystery", proves=("no_such_item",)),
        ]
    )

    assert checklist.get("passport").status == "needs translation"
    assert checklist.get("birth_certificate").status == "provided"
    assert checklist.get("usc_child_birth_certificate.ana-ruiz").exhibits == ("C",)
    assert checklist.get("relative_green_card.luis-ruiz").status == "missing"
    assert checklist.unmatched_exhibits == (
        "exhibit D: proves 'no_such_item', which is not on this checklist",
    )


def test_an_exhibit_proving_a_per_person_item_without_the_person_names_the_choices():
    checklist = build_checklist(facts(family=CHILDREN[:1]), None, on=ON)

    marked = checklist.with_exhibits(
        [Exhibit("A", "Birth certificate", proves=("usc_child_birth_certificate",))]
    )

    assert marked.unmatched_exhibits == (
        "exhibit A: proves 'usc_child_birth_certificate'; name which one: usc_child_birth_certificate.ana-ruiz",
    )


def test_an_exhibit_proving_a_rule_satisfies_the_factor_item():
    checklist = build_checklist(CaseFacts(), screening(finding("fear_of_return", "fear.fears_return")))
    marked = checklist.with_exhibits([Exhibit("A", "Country report", proves=("fear_of_return",))])

    assert marked.get("factor.fear_of_return").status == "provided"
    assert marked.unmatched_exhibits == ()


def test_translation_notes_follow_where_a_document_comes_from():
    checklist = build_checklist(facts(family=CHILDREN), None, on=ON)

    assert "certified English translation" in (checklist.get("passport").translation or "")
    assert checklist.get("usc_child_birth_certificate.ana-ruiz").translation is None
    assert any(c.source_id == "cfr-1003-33" for c in checklist.translation_citations)


def test_a_declaration_by_someone_who_needs_an_interpreter_needs_a_certificate_of_interpretation():
    spanish = build_checklist(
        facts(identity={"languages": ["Spanish"], "needs_interpreter": True}), None, on=ON
    )
    english = build_checklist(facts(identity={"languages": ["English", "Spanish"]}), None, on=ON)

    assert "certificate of interpretation" in (spanish.get("respondent_declaration").translation or "")
    assert "certificate of interpretation" not in (english.get("respondent_declaration").translation or "")


def test_a_juvenile_court_order_is_asked_for_only_when_there_is_one():
    with_order = build_checklist(facts(juvenile={"juvenile_court_order": True}), None, on=ON)
    without = build_checklist(facts(juvenile={"juvenile_court_order": False}), None, on=ON)

    # The order is statutory (§5.9 [S]) but asking for a certified copy is practice: partial.
    order = with_order.get("juvenile_court_order")
    assert order.confidence is Confidence.PARTIAL
    assert {c.source_id for c in order.citations} >= {"digest-5", "practice"}
    assert "juvenile_court_order" not in ids(without)


def test_the_example_case_checklist():
    checklist = build_checklist(load_case(EXAMPLE), None, on=ON)

    assert {
        "usc_child_birth_certificate.daniel-lopez",
        "usc_child_birth_certificate.sofia-lopez",
        "caregiver_proof",
        "two_year_presence",
        "g28",
        "eoir28",
        "court_application_filed.cancellation_non_lpr-0",
        "tax_transcripts",
    } <= ids(checklist)
    # The spouse is undocumented; nobody served; no condition; the only offence is a traffic infraction.
    assert not any(
        i.startswith(("marriage", "military", "medical_records", "rehabilitation")) for i in ids(checklist)
    )
    assert checklist.questions == ()
    assert checklist.to_dict()["contract"] == "discretion.checklist/1"


def test_every_trigger_is_used_and_every_item_names_a_trigger():
    data, _ = load_evidence()

    assert {item.when for item in data.items} == set(TRIGGERS)


def test_an_unknown_trigger_in_the_data_is_a_one_line_error(tmp_path):
    bad = tmp_path / "evidence.yaml"
    bad.write_text(
        EVIDENCE_FILE.read_text(encoding="utf-8").replace("when: usc_child", "when: usc_kid"),
        encoding="utf-8",
    )

    with pytest.raises(
        DocumentError, match=r"evidence.yaml: item 'usc_child_birth_certificate': no trigger named 'usc_kid'"
    ):
        load_evidence(bad)


def test_a_misspelt_key_in_the_data_names_its_line(tmp_path):
    bad = tmp_path / "evidence.yaml"
    bad.write_text(
        EVIDENCE_FILE.read_text(encoding="utf-8").replace(
            "    basis: identity\n", "    basiss: identity\n", 1
        ),
        encoding="utf-8",
    )

    with pytest.raises(DocumentError, match=r"evidence.yaml:\d+: items\.0\.basiss: unexpected key"):
        load_evidence(bad)
