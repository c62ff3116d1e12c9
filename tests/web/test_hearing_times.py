"""Reading the time on a hearing notice and the court's time zone, without guessing."""

from __future__ import annotations

from datetime import date, time

import pytest

from discretion.web.tracking.hearings import court_zone, hearing_start, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:30 AM", time(8, 30)),
        ("8:30am", time(8, 30)),
        ("8:30 a.m.", time(8, 30)),
        ("1:00 p.m.", time(13, 0)),
        ("1 PM", time(13, 0)),
        ("12:15 PM", time(12, 15)),
        ("13:30", time(13, 30)),
        ("08.30", time(8, 30)),
        ("7:45", time(7, 45)),
        ("1:30", None),  # night or afternoon: not read
        ("8", None),
        ("noon", None),
        ("25:00", None),
        ("8:75", None),
        ("13:00 PM", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_the_times_notices_use_and_refuses_the_unclear(text, expected):
    assert parse_time(text) == expected


def test_courts_with_one_name_several_buildings_share_a_zone():
    zone, note, problem = court_zone("Houston")  # three Houston courts, all Central
    assert (zone, problem) == ("America/Chicago", "")
    assert "Texas spans" in note


def test_a_single_zone_state_is_confirmed_and_a_split_one_says_so():
    assert court_zone("Chicago") == ("America/Chicago", "", "")
    assert court_zone("Detroit")[1].startswith("Michigan spans the Eastern and Central zones")
    assert court_zone("")[2] == "the court is not entered"


def test_every_court_in_the_directory_has_a_real_time_zone_and_split_states_are_partial():
    from zoneinfo import ZoneInfo

    from discretion.offices import directory

    split = {"AZ", "FL", "IN", "KY", "MI", "NE", "NV", "OR", "TN", "TX"}
    for court in directory().courts:
        ZoneInfo(court.time_zone)
        assert (court.time_zone_confidence == "partial") == (court.state in split), court.code
        assert bool(court.time_zone_note) == (court.state in split), court.code


def test_a_timed_hearing_is_aware_in_the_courts_zone():
    start = hearing_start(date(2026, 11, 2), "9:00 AM", "Seattle")
    assert start.at.isoformat() == "2026-11-02T09:00:00-08:00" and start.zone == "America/Los_Angeles"
