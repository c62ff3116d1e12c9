"""policy_diff pairs rules across memos whose ids differ and reports what really changed."""

import json
from pathlib import Path

import pytest

from discretion.policies import load_policies
from discretion.policy_diff import Change, diff_policies, to_lines

PAIR = Path(__file__).parent / "policies_pair"


@pytest.fixture(scope="module")
def diff():
    catalogue = load_policies(PAIR)
    return diff_policies(catalogue.get("border-old"), catalogue.get("border-new"))


def _pair(diff, old_id):
    return next(r for r in diff.rules if r.old and r.old.id == old_id)


def test_it_pairs_the_moved_border_cutoff_across_predicates_and_shows_the_new_date(diff):
    border = _pair(diff, "border_apprehension_after_2014")

    assert border.new.id == "border_recent_entrant"
    assert border.matched_by == "parameters"
    assert Change("test", "unlawful_entrant_not_present_since", "entered_unlawfully_after") in border.changes
    assert Change("with.date", "2014-01-01", "2020-11-01") in border.changes


def test_rules_with_the_same_predicate_pair_by_their_parameters_not_their_order(diff):
    misdemeanours = _pair(diff, "misdemeanours")

    assert _pair(diff, "felony").new.id == "felony_conviction"
    assert misdemeanours.new.id == "two_misdemeanours"
    assert misdemeanours.matched_by == "test"
    assert Change("with.count", 3, 2) in misdemeanours.changes


def test_same_subject_rules_with_unrelated_labels_are_not_paired(diff):
    # "A minor" (age_under) and "Advanced age" (age_at_least) share a module and a `years` parameter.
    assert _pair(diff, "minor").new is None


def test_a_rule_whose_predicate_changed_pairs_by_a_similar_label(diff):
    child = _pair(diff, "usc_child")

    assert child.new.id == "citizen_child"
    assert child.matched_by == "label"
    assert Change("test", "has_minor_child", "has_relative") in child.changes


def test_it_lists_added_removed_and_unchanged_rules(diff):
    assert [r.rule.id for r in diff.of_status("added")] == ["elderly"]
    assert [r.rule.id for r in diff.of_status("removed")] == ["minor"]
    assert [r.rule.id for r in diff.of_status("unchanged")] == ["long_presence"]


def test_a_confidence_downgrade_is_a_change(diff):
    assert Change("confidence", "confirmed", "unverified") in _pair(diff, "caught_at_border").changes


def test_a_memo_citing_itself_under_a_new_source_id_is_not_a_change_but_a_moved_pin_is(diff):
    assert not [c for c in _pair(diff, "long_presence").changes if c.field == "cite"]
    assert (
        Change("cite", "old_memo § A(1)(d)", "new_memo § 2(C)")
        in _pair(diff, "border_apprehension_after_2014").changes
    )


def test_it_reports_changed_dates_status_suspensions_and_sources(diff):
    by_field = {c.field: c for c in diff.changes}

    assert by_field["effective"] == Change("effective", "2014-11-20", "2021-11-29")
    assert by_field["ended"] == Change("ended", "2021-09-30", None)
    assert by_field["status"] == Change("status", "historical", "current")
    assert by_field["suspensions"].new == ["2022-06-10 to 2022-07-21"]
    assert by_field["sources"].describe() == "sources: added court; added new_memo; removed old_memo"


def test_a_policy_compared_with_itself_has_no_changes():
    policy = load_policies(PAIR).get("border-new")

    same = diff_policies(policy, policy)

    assert same.changes == ()
    assert {r.status for r in same.rules} == {"unchanged"}


def test_the_text_form_marks_added_removed_changed_and_unsure_rules(diff):
    text = "\n".join(to_lines(diff))

    assert "+ mitigating elderly: Advanced age [partly confirmed]" in text
    assert "- mitigating minor: A minor" in text
    assert "~ priority border_apprehension_after_2014 -> border_recent_entrant" in text
    assert "with.date: 2014-01-01 -> 2020-11-01" in text
    assert "[UNVERIFIED]" in text


def test_the_json_form_round_trips_through_json(diff):
    data = json.loads(json.dumps(diff.to_dict()))

    assert data["old"] == "border-old"
    assert data["unchanged"] == ["long_presence"]
    border = next(r for r in data["rules"] if r["old_id"] == "border_apprehension_after_2014")
    assert {"field": "with.date", "old": "2014-01-01", "new": "2020-11-01"} in border["changes"]
