import csv
from pathlib import Path

import pytest

from discretion.errors import DocumentError
from discretion.offices import OFFICES_FILE, directory, find_court, load_directory, office_for_court

SHARED_COURTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "immigration-courts.csv"


def test_the_example_case_court_goes_to_opla_new_york():
    match = office_for_court("New York - Broadway")

    assert match is not None
    assert match.name == "OPLA New York"
    assert match.court is not None and match.court.code == "NYB"
    assert match.address_lines == ("26 Federal Plaza, Room 1130", "New York, NY 10278")
    assert "Office of the Principal Legal Advisor" in match.addressee


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NYV", "NYV"),
        ("nyv", "NYV"),
        ("Varick", "NYV"),
        ("Krome", "KRO"),
        ("Chicago, IL", "CHI"),
        ("ANN", "WAS"),
    ],
)
def test_it_matches_codes_aliases_and_cities(text, code):
    lookup = find_court(text)

    assert lookup.status == "matched"
    assert lookup.court is not None and lookup.court.code == code


def test_a_sub_location_gets_its_own_address():
    match = office_for_court("Stewart")

    assert match is not None
    assert (match.name, match.location) == ("OPLA Atlanta", "Lumpkin")
    assert "146 CCA Road" in match.address_lines


def test_an_unknown_court_is_none_with_a_reason():
    assert office_for_court("Springfield Municipal") is None
    lookup = find_court("Springfield Municipal")
    assert lookup.status == "unknown"
    assert "no immigration court matches" in lookup.message


def test_a_misspelt_court_is_not_guessed_but_suggested():
    assert office_for_court("Bostn") is None
    lookup = find_court("Bostn")
    assert [c.code for c in lookup.candidates] == ["BOS"]
    assert "did you mean" in lookup.message


def test_an_ambiguous_city_is_none_with_candidates():
    assert office_for_court("New York") is None
    lookup = find_court("New York")
    assert lookup.status == "ambiguous"
    assert {c.code for c in lookup.candidates} == {"NYB", "NYC", "NYV"}


def test_an_ambiguous_city_whose_courts_share_one_office_still_routes():
    match = office_for_court("Houston")

    assert match is not None and match.name == "OPLA Houston"
    assert match.court is None
    assert any("3 courts match" in w for w in match.warnings)


def test_no_court_given_is_none():
    assert office_for_court(None) is None
    assert find_court("  ").status == "empty"


def test_every_routed_court_maps_to_an_office_with_warnings_when_unsure():
    routed = [c for c in directory().courts if c.office_id]
    assert len(routed) >= 70
    for court in routed:
        match = office_for_court(court.code)
        assert match is not None, court.code
        assert match.court == court
        if not match.verified:
            assert any("verify before sending" in w for w in match.warnings), court.code


def test_courts_whose_office_is_not_published_return_none():
    unrouted = {c.code for c in directory().courts if c.office_id is None}

    assert unrouted == {"FCI", "FTW", "RIC"}
    assert all(office_for_court(code) is None for code in unrouted)


def test_no_address_is_invented_and_no_unverified_email_is_offered():
    dc = office_for_court("NYB")
    assert dc is not None and dc.email is None
    assert any("OFL Email Addresses for Requests" in w for w in dc.warnings)
    chicago = office_for_court("CHI")
    assert chicago is not None and chicago.email is None
    assert chicago.unverified_email and any("UNVERIFIED" in w for w in chicago.warnings)
    sacramento = office_for_court("SMO")
    assert sacramento is not None and sacramento.address_lines == ()
    assert any("no street address on file" in w for w in sacramento.warnings)


def test_partly_confirmed_routing_is_said():
    match = office_for_court("Aurora")

    assert match is not None and match.routing == "partial"
    assert any("only partly confirmed" in w for w in match.warnings)


def test_los_angeles_warns_about_its_own_subject_line_rule():
    match = office_for_court("VNS")

    assert match is not None and match.subject_line is None
    assert any("subject lines" in w for w in match.warnings)


@pytest.mark.skipif(not SHARED_COURTS.exists(), reason="shared research data not present")
def test_every_court_in_the_research_csv_is_in_the_directory():
    with SHARED_COURTS.open(newline="", encoding="utf-8") as handle:
        codes = {row["court_code"] for row in csv.DictReader(handle)}

    assert codes == {c.code for c in directory().courts}


def test_a_court_pointing_at_an_unknown_office_is_a_one_line_error(tmp_path):
    text = OFFICES_FILE.read_text(encoding="utf-8").replace("office: orlando", "office: orland0")
    bad = tmp_path / "offices.yaml"
    bad.write_text(text, encoding="utf-8")

    with pytest.raises(DocumentError, match=r"offices.yaml: court ORL: unknown office 'orland0'"):
        load_directory(bad)


def test_a_misspelt_key_names_the_line(tmp_path):
    text = OFFICES_FILE.read_text(encoding="utf-8").replace(
        "  - id: dallas\n", "  - id: dallas\n    aera: x\n"
    )
    bad = tmp_path / "offices.yaml"
    bad.write_text(text, encoding="utf-8")

    with pytest.raises(DocumentError, match=r"offices.yaml:\d+: offices\.\d+\.aera: unexpected key"):
        load_directory(bad)
