"""The dated tables behind the 2025-2026 risks: circuits and bond, TPS, parole programs, court
changes, and the records that settle missing facts (what the Ask lines and the checklist name)."""

from datetime import date
from pathlib import Path

import pytest

from discretion.circuits import CIRCUITS_FILE, circuits, load_circuits
from discretion.errors import DocumentError
from discretion.evidence import build_checklist
from discretion.facts import CaseFacts
from discretion.offices import OFFICES_FILE, find_court, load_directory
from discretion.policies import shipped
from discretion.predicates.expedited_removal import refiling_note
from discretion.programs import TPS_FILE, load_tps, parole_programs, tps_table
from discretion.records import records
from discretion.report import render_text
from discretion.screening import screen


def _copy_with(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / source.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


# --- circuits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("court", "circuit"),
    [
        ("Houston", "Fifth Circuit"),
        ("HOU", "Fifth Circuit"),
        ("New York", "Second Circuit"),
        ("Chicago", "Seventh Circuit"),
        ("San Francisco", "Ninth Circuit"),
        ("Atlanta", "Eleventh Circuit"),
    ],
)
def test_a_court_reaches_its_circuit_through_the_directory(court, circuit):
    assert circuits().for_court(court).circuit.name == circuit


def test_a_circuit_position_exists_only_from_the_date_it_is_on_record():
    table = circuits()
    fifth = table.by_state("TX")
    assert table.position(fifth, date(2026, 2, 5)) is None
    held = table.position(fifth, date(2026, 2, 6))
    assert held is not None and held.bond_hearing is False and held.confidence.is_unsure
    ninth = table.by_state("CA")
    assert table.position(ninth, date(2026, 11, 28)) is None, "no Ninth Circuit position in the digest"


def test_an_unknown_court_has_no_circuit_and_says_why():
    found = circuits().for_court("Atlantis")
    assert found.circuit is None and "Atlantis" in found.message


def test_a_state_listed_in_two_circuits_is_a_load_error(tmp_path):
    bad = _copy_with(tmp_path, CIRCUITS_FILE, "states: [CT, NY, VT]", "states: [CT, NY, VT, TX]")
    with pytest.raises(DocumentError, match="state TX is in two circuits"):
        load_circuits(bad)


def test_a_bond_position_citing_an_unknown_source_is_a_load_error(tmp_path):
    bad = _copy_with(tmp_path, CIRCUITS_FILE, "{source: buenrostro-mendez}", "{source: nowhere}")
    with pytest.raises(DocumentError, match="unknown source 'nowhere'"):
        load_circuits(bad)


# --- TPS and parole --------------------------------------------------------------------------


def test_tps_ends_on_its_date_and_not_before():
    table = tps_table()
    assert table.status("Haiti", date(2026, 7, 26)).ended is False
    assert table.status("Haiti", date(2026, 7, 27)).ended is True
    assert table.status("Myanmar", date(2026, 9, 1)).country == "Burma"


def test_tps_litigation_events_are_followed_in_date_order():
    table = tps_table()
    assert table.status("Nepal", date(2026, 1, 10)).ended is False  # vacated 2025-12-31
    assert table.status("Nepal", date(2026, 2, 9)).ended is True  # vacatur stayed
    assert table.status("Nepal", date(2025, 6, 1)).ended is None  # end date not in the table


def test_a_country_not_in_the_tps_table_is_never_assumed():
    status = tps_table().status("El Salvador", date(2026, 11, 28))
    assert status.ended is None and "check the USCIS TPS page" in status.text


def test_tps_events_out_of_order_are_a_load_error(tmp_path):
    text = TPS_FILE.read_text(encoding="utf-8")
    swapped = text.replace("{since: 2026-02-09", "{since: 2025-01-09", 1)
    target = tmp_path / "tps.yaml"
    target.write_text(swapped, encoding="utf-8")
    with pytest.raises(DocumentError, match="events must be in date order"):
        load_tps(target)


def test_a_parole_program_is_matched_on_whole_names_only():
    table = parole_programs()
    assert table.find("CHNV").program == "CHNV"
    assert table.find("chnv parole (Venezuela)").program == "CHNV"
    assert table.find("CBP One") is None
    assert table.find("XCHNVX") is None


def test_the_i589_refiling_procedure_is_dated():
    assert "USCIS keeps the original filing date" in refiling_note(date(2023, 10, 16), date(2023, 10, 16))
    assert "[UNVERIFIED]" in refiling_note(date(2023, 10, 15), date(2023, 10, 16))


# --- court changes ---------------------------------------------------------------------------


def test_a_delisted_adjudication_center_is_inactive_from_its_month_not_deleted():
    court = find_court("FCI").court
    assert court is not None, "history is never deleted"
    assert court.active_on(date(2026, 5, 31)) is True
    assert court.active_on(date(2026, 6, 15)) is None, "dated only by month: inside June it is undecided"
    assert court.active_on(date(2026, 7, 1)) is False
    assert court.to_dict()["changes"][0]["month"] == "2026-06"


def test_a_hearing_location_under_another_courts_control_finds_that_court():
    lookup = find_court("Boise")
    assert lookup.court.code == "POO" and lookup.status == "moved"
    assert "[partly confirmed]" in lookup.message
    west_virginia = circuits().for_court("West Virginia")
    assert west_virginia.circuit.name == "Third Circuit" and west_virginia.moved


def test_a_court_change_naming_an_unknown_court_is_a_load_error(tmp_path):
    bad = _copy_with(tmp_path, OFFICES_FILE, "courts: [FCI, RIC, FTW]", "courts: [FCI, RIC, XXX]")
    with pytest.raises(DocumentError, match="unknown court code 'XXX'"):
        load_directory(bad)


# --- records that settle missing facts -------------------------------------------------------


def test_an_indexed_fact_is_settled_by_the_records_of_its_field():
    ids = [r.id for r in records().for_fact("criminal_history[3].disposition")]
    assert ids == ["police_reports", "certified_dispositions"]
    assert [r.id for r in records().for_fact("criminal_history")] == ids
    assert "i94" in [r.id for r in records().for_fact("entry.manner")]
    assert "nta" in [r.id for r in records().for_fact("proceedings.nta_has_time_and_place")]
    assert records().for_fact("fear.fears_return") == (), "only the client can say whether they fear return"


def test_the_ask_line_and_the_checklist_name_the_same_records():
    facts = CaseFacts.model_validate(
        {"requested_action": "dismissal", "proceedings": {"in_proceedings": True}}
    )
    on = date(2026, 11, 28)
    result = screen(facts, shipped().get("eo14159-2025"), on=on)
    missing = {m["path"]: m for m in result.missing_facts}
    assert any("I-94" in t for t in missing["entry.manner"]["records"])
    text = render_text(result, facts, width=120)
    assert "Ask: Get: The I-94 arrival/departure record" in text
    checklist = build_checklist(facts, result)
    item = checklist.get("record.i94")
    assert "entry.manner" in item.fact_paths and not item.required
    assert "r25.det2_no_bond_ewi" in item.rule_ids
    assert checklist.get("record.release_paper").confidence.is_unsure


def test_a_risk_the_facts_rule_out_is_not_called_high():
    facts = CaseFacts.model_validate({"immigration_history": {"lpr_since": "2015-03-01"}})
    result = screen(facts, shipped().get("eo14159-2025"), on=date(2026, 11, 28))
    text = " ".join(render_text(result, facts).split())
    assert (
        "○ not met Nationwide expedited-removal designation in effect and the person is amenable [not a high risk on these facts]"
        in text
    )


def test_the_new_york_stay_covers_only_the_three_new_york_city_courts():
    policy = shipped().get("eo14159-2025")

    def reason(court: str) -> str:
        facts = CaseFacts.model_validate({"proceedings": {"in_proceedings": True, "court": court}})
        result = screen(facts, policy, on=date(2026, 11, 28))
        return next(r for r in result.risks if r.id == "r25.ch1_courthouse_arrest").reason

    assert "African Communities Together" in reason("New York")  # all three NYC courts
    assert "African Communities Together" in reason("NYB")
    assert "African Communities Together" not in reason("Buffalo")  # New York State, not the stay
    assert "African Communities Together" not in reason("Batavia")


def test_a_permanent_resident_is_not_asked_for_two_years_of_presence_proof():
    facts = CaseFacts.model_validate(
        {"entry": {"manner": "without_inspection"}, "immigration_history": {"lpr_since": "2015-03-01"}}
    )
    result = screen(facts, shipped().get("eo14159-2025"), on=date(2026, 11, 28))
    ids = {i.id for i in build_checklist(facts, result).items}
    assert "two_year_presence" not in ids
    ewi = CaseFacts.model_validate({"entry": {"manner": "without_inspection"}})
    assert "two_year_presence" in {i.id for i in build_checklist(ewi, None, on=date(2026, 11, 28)).items}


def test_a_misspelt_court_reaches_a_circuit_only_when_it_names_the_city():
    houston = circuits().for_court("Houston - S. Gessner")
    assert houston.circuit.name == "Fifth Circuit" and houston.confidence.is_unsure
    assert "not matched" in houston.court
    assert circuits().for_court("Atlantis").circuit is None  # a likeness is not a match
