"""Case format v2: schema 1 files converted on reading, partial dates as ranges, typed proofs,
claimed / documented markers, disputed facts screened per version, and the new records."""

from __future__ import annotations

import json
import pickle
import random
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from discretion import disputes, docket, partial_dates
from discretion.casefile import load_case, parse_facts
from discretion.errors import CaseFileError
from discretion.facts import SCHEMA_VERSION, Basis, CaseFacts, Harm, ProofKind, RequestedAction
from discretion.letters import build_letter
from discretion.letters.refusals import LetterRefused
from discretion.migration import migrate
from discretion.partial_dates import PartialDate, bounds, compare, describe
from discretion.policies import shipped
from discretion.proof_kinds import kind_of
from discretion.report import render_markdown, render_text
from discretion.screening import screen
from discretion.validation import check

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ON = date(2026, 11, 28)


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- schema 1 files ---------------------------------------------------------------------------

V1 = """\
schema_version: 1
entry: {manner: paroled, last_entry_on: 2023-07-01, parole_program: CHNV, parole_ends_on: 2025-06-30, parole_terminated: true}
presence: {continuous_since: 2023-07-01, evidence: [leases, "tax returns 2023", union card]}
immigration_history: {has_245i_petition: true, section_245i_filed_on: 2001-04-30, present_on_2000_12_21: true}
criminal_history:
  - {offence: assault, disposition: convicted, harm_caused: victim hospitalised}
  - {offence: shoplifting, disposition: convicted, harm_caused: "None."}
"""


def test_a_schema_1_file_is_read_as_schema_2(tmp_path):
    facts = load_case(_write(tmp_path, V1))

    assert facts.schema_version == SCHEMA_VERSION == 2
    (parole,) = facts.entry.paroles or []
    assert (parole.paroled_on, parole.ends_on, parole.program, parole.terminated) == (
        date(2023, 7, 1),
        date(2025, 6, 30),
        "CHNV",
        True,
    )
    # Rules written for schema 1 read the same answers.
    assert (facts.entry.parole_ends_on, facts.entry.parole_program, facts.entry.parole_terminated) == (
        date(2025, 6, 30),
        "CHNV",
        True,
    )
    kinds = [p.kind for p in facts.presence.proofs or []]
    assert kinds == [ProofKind.LEASE, ProofKind.TAX_RETURN, ProofKind.OTHER]
    assert facts.presence.proofs[1].dated_from == date(2023, 1, 1)  # type: ignore[index]
    assert facts.presence.proofs[2].description == "union card"  # type: ignore[index]
    (filing,) = facts.immigration_history.grandfathering_filings or []
    assert filing.filed_on == date(2001, 4, 30)
    assert facts.immigration_history.has_245i_petition is True
    assert facts.immigration_history.section_245i_filed_on == date(2001, 4, 30)
    assault, shoplifting = facts.criminal_history or []
    # Free text never decides the harm: it is kept, and the harm is left for counsel.
    assert (assault.harm, assault.harm_description) == (None, "victim hospitalised")
    assert (shoplifting.harm, shoplifting.harm_description) == (Harm.NONE, None)


def test_schema_1_without_a_version_and_245i_false_become_an_empty_list():
    facts = CaseFacts.model_validate({"immigration_history": {"has_245i_petition": False}})
    assert facts.immigration_history.grandfathering_filings == []
    assert facts.immigration_history.has_245i_petition is False


def test_migration_is_idempotent_and_leaves_schema_2_alone():
    once = migrate(yaml.safe_load(V1))
    assert migrate(once) == once
    current = {"schema_version": 2, "presence": {"evidence": ["leases"]}}
    assert migrate(current) is current  # schema 2 is never rewritten, so the old name is an error


def test_a_schema_2_file_with_an_old_field_name_says_where_it_moved(tmp_path):
    path = _write(tmp_path, "schema_version: 2\nentry:\n  manner: paroled\n  parole_ends_on: 2025-06-30\n")
    with pytest.raises(
        CaseFileError, match=r"case.yaml:4: entry.parole_ends_on: moved in schema_version 2 to entry.paroles"
    ):
        load_case(path)


def test_saved_facts_are_schema_2_and_read_back_equal(tmp_path):
    facts = load_case(_write(tmp_path, V1))
    text = json.dumps(facts.model_dump(mode="json", exclude_none=True))
    again = parse_facts(json.loads(text), where="saved")
    assert again == facts
    assert json.loads(text)["schema_version"] == 2


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_examples_are_saved_as_schema_2(path):
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["schema_version"] == 2
    assert load_case(path).schema_version == 2


# --- partial dates ---------------------------------------------------------------------------


def test_a_partial_date_is_a_range():
    june = PartialDate(2009, 6)
    assert (june.earliest, june.latest, june.isoformat()) == (date(2009, 6, 1), date(2009, 6, 30), "2009-06")
    assert bounds(PartialDate(2012)) == (date(2012, 1, 1), date(2012, 12, 31))
    assert bounds(date(2012, 6, 15)) == (date(2012, 6, 15), date(2012, 6, 15))
    assert compare(june, date(2009, 6, 15)) == "inside"
    assert compare(june, date(2009, 7, 1)) == "before"
    assert compare(june, date(2009, 5, 31)) == "after"
    assert compare(date(2012, 6, 15), date(2012, 6, 15)) == "same"
    assert compare(date(2012, 6, 15), PartialDate(2012)) == "inside"
    assert (
        describe(june) == "June 2009 (day unknown)" and describe(PartialDate(2009)) == "2009 (month unknown)"
    )
    assert pickle.loads(pickle.dumps(june)).isoformat() == "2009-06"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2009", "2009"),
        (2009, "2009"),
        ("2009-06", "2009-06"),
        ("2009-6", "2009-06"),
        ("2009-06-14", "2009-06-14"),
    ],
)
def test_partial_dates_are_accepted_and_written_back_as_given(written, expected):
    facts = CaseFacts.model_validate({"entry": {"first_entry_on": written}})
    assert facts.model_dump(mode="json")["entry"]["first_entry_on"] == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [("2009-13", "month must be 01 to 12"), ("spring 2009", "YYYY-MM or YYYY"), ("2021-02-30", "YYYY-MM-DD")],
)
def test_a_bad_date_names_the_field(tmp_path, written, message):
    path = _write(tmp_path, f"entry:\n  first_entry_on: '{written}'\n")
    with pytest.raises(CaseFileError, match=rf"case.yaml:2: entry.first_entry_on: .*{message}"):
        load_case(path)


def test_a_hearing_date_must_be_exact():
    with pytest.raises(ValidationError):
        CaseFacts.model_validate({"proceedings": {"next_hearing": {"date": "2027-02"}}})


def test_a_partial_date_is_not_a_problem_where_its_range_allows_the_facts():
    facts = CaseFacts.model_validate(
        {
            "identity": {"date_of_birth": "1990-05-05"},
            "entry": {"first_entry_on": "1990", "age_at_first_entry": 0},  # born and came the same year
        }
    )
    assert [p for p in check(facts, on=ON) if p.severity == "error"] == []
    wrong = CaseFacts.model_validate(
        {"identity": {"date_of_birth": "1990-05-05"}, "entry": {"first_entry_on": "1989"}}
    )
    assert any(p.path == "entry.first_entry_on" for p in check(wrong, on=ON))


# --- typed proofs ------------------------------------------------------------------------------


def test_a_line_of_proofs_and_the_same_items_one_by_one_give_the_same_result():
    line = CaseFacts.model_validate({"presence": {"proofs": "lease 2019, tax returns 2020; school record"}})
    items = CaseFacts.model_validate(
        {"presence": {"proofs": ["lease 2019", "tax returns 2020", "school record"]}}
    )
    assert line == items
    assert [p.kind.value for p in line.presence.proofs or []] == ["lease", "tax_return", "school_record"]


KIND_WORDS = ["lease", "tax return", "school record", "pay stub", "utility bill", "medical record", "photo"]


def test_how_the_proofs_are_typed_never_changes_the_screen():
    """Generated (seeded): one line joined any way, or one entry per item, screens the same."""
    rng = random.Random(8)
    policy = shipped().select(ON)
    base = {"entry": {"manner": "without_inspection"}}
    for _ in range(40):
        words = [rng.choice(KIND_WORDS) for _ in range(rng.randrange(1, 6))]
        separator = rng.choice([", ", "; ", "\n", ",", " ; "])
        since = f"{rng.randrange(2015, 2026)}-0{rng.randrange(1, 10)}"
        one_line = CaseFacts.model_validate(
            {**base, "presence": {"continuous_since": since, "proofs": separator.join(words)}}
        )
        each = CaseFacts.model_validate(
            {**base, "presence": {"continuous_since": since, "proofs": list(words)}}
        )
        assert one_line.presence.proofs == each.presence.proofs
        a, b = screen(one_line, policy, on=ON), screen(each, policy, on=ON)
        assert [(f.id, f.outcome) for f in (*a.findings, *a.risks)] == [
            (f.id, f.outcome) for f in (*b.findings, *b.risks)
        ]


def test_three_pay_stubs_count_as_one_kind_of_proof():
    facts = CaseFacts.model_validate({"presence": {"proofs": ["pay stub", "pay stub 2024", "pay stubs"]}})
    assert facts.presence.evidence == ["pay stub"]
    assert (
        kind_of("contrato de arrendamiento") is ProofKind.LEASE
        and kind_of("shelter records") is ProofKind.OTHER
    )


# --- claimed / documented, notes -----------------------------------------------------------------


def test_dates_carry_a_basis_and_a_bad_path_is_named():
    facts = CaseFacts.model_validate(
        {"date_basis": {"entry.first_entry_on": "claimed"}, "notes": "FOIA sent"}
    )
    assert facts.basis_of("entry.first_entry_on") is Basis.CLAIMED
    assert facts.basis_of("entry.last_entry_on") is None
    for bad, message in [
        ("entry.first_entry", "no field 'first_entry'"),
        ("entry.manner", "is not a date field"),
        ("presence.absences[0].left_on", "carries its own basis"),
    ]:
        with pytest.raises(ValidationError, match=message):
            CaseFacts.model_validate({"date_basis": {bad: "claimed"}})


def test_notes_are_never_read_by_a_rule():
    policy = shipped().select(ON)
    plain = load_case(EXAMPLES / "detained-felony.yaml")
    data = plain.model_dump(mode="json", exclude_none=True)
    data["notes"] = "no harm; he is a danger; entered 2001; not a priority"
    for event in data["criminal_history"]:
        event["notes"] = "violent, serious harm, weapon used"
    noted = CaseFacts.model_validate(data)
    a, b = screen(plain, policy, on=ON), screen(noted, policy, on=ON)
    assert [(f.id, f.outcome, f.reason) for f in (*a.findings, *a.risks, *a.relief)] == [
        (f.id, f.outcome, f.reason) for f in (*b.findings, *b.risks, *b.relief)
    ]


# --- disputed facts -------------------------------------------------------------------------------

DISPUTED = {
    "identity": {"name": "Test Person", "date_of_birth": "1990-01-01"},
    "proceedings": {"in_proceedings": True},
    "entry": {"first_entry_on": "2005-03", "last_entry_on": "2005-03", "manner": "without_inspection"},
    "criminal_history": [],
    "disputes": [
        {
            "fact": "entry.first_entry_on",
            "recorded_source": "client",
            "versions": [{"value": "2024-05-01", "source": "CBP FOIA", "basis": "documented"}],
        },
        {"fact": "identity.name", "versions": [{"value": "Test P. Person", "source": "NTA"}]},
    ],
}


def test_the_screen_runs_on_each_version_and_reports_what_changes():
    facts = CaseFacts.model_validate(DISPUTED)
    policy = shipped().select(ON)
    result = screen(facts, policy, on=ON).to_dict()

    entry, name = result["disputes"]
    assert entry["fact"] == "entry.first_entry_on" and entry["recorded_value"] == "2005-03"
    assert entry["outcome_differs"] is True
    (version,) = entry["versions"]
    assert version["value"] == "2024-05-01" and version["source"] == "CBP FOIA"
    changed = {c["rule"]: c for c in version["changes"]}
    daca = changed["daca"]  # arrived at 15 as recorded; at 34 on the FOIA's date
    assert (daca["recorded_outcome"], daca["version_outcome"]) == ("met", "not_met")
    assert "2024-05-01" in daca["version_reason"] and "2024-05-01" not in daca["recorded_reason"]
    assert name["outcome_differs"] is False and name["versions"][0]["changes"] == []

    text = render_text(screen(facts, policy, on=ON), facts)
    assert "Disputed facts (2; 1 change an outcome)" in text
    assert "If entry.first_entry_on is '2024-05-01' (CBP FOIA)" in text
    assert "## Disputed facts" in render_markdown(screen(facts, policy, on=ON), facts)


def test_without_disputes_the_screening_contract_is_unchanged():
    facts = CaseFacts.model_validate({k: v for k, v in DISPUTED.items() if k != "disputes"})
    assert "disputes" not in screen(facts, shipped().select(ON), on=ON).to_dict()


@pytest.mark.parametrize(
    ("dispute", "message"),
    [
        (
            {"fact": "entry.arrival", "versions": [{"value": "2005"}]},
            r"disputes\[0\].fact: .*no field 'arrival'",
        ),
        (
            {"fact": "entry.first_entry_on", "versions": [{"value": "last spring"}]},
            r"disputes\[0\].versions\[0\].value",
        ),
        ({"fact": "criminal_history[3].harm", "versions": [{"value": "none"}]}, r"there is no record 3"),
        ({"fact": "entry.manner", "versions": []}, r"versions"),
    ],
)
def test_a_bad_dispute_is_refused_naming_it(tmp_path, dispute, message):
    path = _write(tmp_path, yaml.safe_dump({"criminal_history": [], "disputes": [dispute]}))
    with pytest.raises(CaseFileError, match=message):
        load_case(path)


def test_a_dispute_on_a_record_changes_only_that_record():
    facts = CaseFacts.model_validate(
        {
            "criminal_history": [{"offence": "assault", "disposition": "convicted", "harm": "none"}],
            "disputes": [
                {
                    "fact": "criminal_history[0].harm",
                    "versions": [{"value": "serious", "source": "police report"}],
                }
            ],
        }
    )
    (alt,) = disputes.alternatives(facts)
    assert alt.facts.criminal_history[0].harm is Harm.SERIOUS  # type: ignore[index]
    assert alt.facts.criminal_history[0].offence == "assault"  # type: ignore[index]
    assert facts.criminal_history[0].harm is Harm.NONE  # type: ignore[index]


# --- harm, requested action, CSV -----------------------------------------------------------------


def test_no_harm_in_words_can_never_make_harm_aggravating():
    from discretion.predicates.criminal import offence_caused_harm

    event = {"offence": "theft", "disposition": "convicted", "level": "misdemeanor"}
    said_none = CaseFacts.model_validate(
        {
            "criminal_history": [
                {**event, "harm": "none", "harm_description": "No harm: the victim was not hurt at all"}
            ]
        }
    )
    assert offence_caused_harm(said_none, ON).outcome.value == "not_met"
    unknown = CaseFacts.model_validate({"criminal_history": [{**event, "harm_description": "victim hurt"}]})
    verdict = offence_caused_harm(unknown, ON)
    assert verdict.outcome.value == "unknown" and "criminal_history[0].harm" in verdict.missing


def test_not_in_proceedings_never_produces_a_request():
    facts = load_case(EXAMPLES / "maria-lopez.yaml").model_copy(
        update={"requested_action": RequestedAction.NONE_NOT_IN_PROCEEDINGS}
    )
    policy = shipped().select(ON)
    with pytest.raises(
        LetterRefused, match="none_not_in_proceedings: the person is not in removal proceedings"
    ):
        build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)


def _row(**cells: str) -> CaseFacts:
    header = tuple(cells)
    return docket.Reader(header).facts(list(cells.values()))


def test_csv_takes_partial_dates_typed_proofs_paroles_and_245i():
    facts = _row(
        **{
            "entry.first_entry_on": "2009-06",
            "presence.proofs": "lease 2019;tax return 2020",
            "entry.paroles": "2023-01-10..2025-01-09;2025-02..:terminated",
            "immigration_history.grandfathering_filings": "2001-04-30:parent",
            "tps.country": "Honduras",
            "victimisation.crime_in_united_states": "yes",
        }
    )
    assert facts.entry.first_entry_on == PartialDate(2009, 6)
    assert [p.kind.value for p in facts.presence.proofs or []] == ["lease", "tax_return"]
    first, second = facts.entry.paroles or []
    assert (first.paroled_on, first.ends_on, second.terminated) == (date(2023, 1, 10), date(2025, 1, 9), True)
    assert facts.immigration_history.grandfathering_filings[0].beneficiary.value == "parent"  # type: ignore[index,union-attr]
    assert (facts.tps.country, facts.victimisation.crime_in_united_states) == ("Honduras", True)


def test_csv_written_for_schema_1_still_reads():
    facts = _row(
        **{
            "presence.evidence": "leases;pay stubs",
            "entry.parole_ends_on": "2025-06-30",
            "entry.manner": "paroled",
        }
    )
    assert [p.kind.value for p in facts.presence.proofs or []] == ["lease", "pay_stub"]
    assert facts.entry.parole_ends_on == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"entry.first_entry_on": "06/2009"}, "entry.first_entry_on", "YYYY-MM-DD (or YYYY-MM, or YYYY)"),
        ({"entry.paroles": "2023-01-10..soon"}, "entry.paroles", "not a date"),
        ({"entry.paroles": "2023..:ended"}, "entry.paroles", "'ended' is not one of terminated"),
        (
            {"immigration_history.grandfathering_filings": "2001-04-30:uncle"},
            "immigration_history.grandfathering_filings",
            "'uncle'",
        ),
        ({"tps.status": "yes"}, "tps.status", "'yes' is not one of"),
    ],
)
def test_a_bad_csv_cell_names_its_column(cells, column, reason):
    with pytest.raises(docket.RowErrors) as caught:
        _row(**cells)
    (error,) = caught.value.errors
    assert error.column == column and reason in error.reason


def test_the_schema_documents_partial_dates():
    schema = json.loads((ROOT / "src/discretion/data/case.schema.json").read_text(encoding="utf-8"))
    entry = schema["$defs"]["Entry"]["properties"]["first_entry_on"]
    assert "YYYY-MM" in json.dumps(entry)
    assert schema["properties"]["schema_version"]["const"] == 2


def test_partial_dates_module_has_no_clock():
    assert "today" not in Path(partial_dates.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("facts", "path"),
    [
        (
            {"entry": {"paroles": [{"paroled_on": "2023-05-01", "ends_on": "2023-04"}]}},
            "entry.paroles[0].ends_on",
        ),
        (
            {"presence": {"proofs": [{"kind": "lease", "dated_from": "2020", "dated_to": "2019"}]}},
            "presence.proofs[0].dated_to",
        ),
        (
            {"family": [{"relationship": "parent", "date_of_birth": "1960", "died_on": "1959"}]},
            "family[0].died_on",
        ),
        (
            {"family": [{"relationship": "parent", "deceased": False, "died_on": "2020"}]},
            "family[0].deceased",
        ),
        ({"tps": {"applied_on": "2021-05-01", "granted_on": "2021-04"}}, "tps.granted_on"),
    ],
)
def test_new_records_that_contradict_themselves_are_problems(facts, path):
    assert path in {p.path for p in check(CaseFacts.model_validate(facts), on=ON)}


def test_a_range_that_may_fit_is_not_a_problem():
    facts = CaseFacts.model_validate(
        {"entry": {"paroles": [{"paroled_on": "2023-05-10", "ends_on": "2023-05"}]}}
    )
    assert [p for p in check(facts, on=ON) if p.path.startswith("entry.paroles")] == []
