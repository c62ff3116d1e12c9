"""Scenario tests: every ``tests/scenarios/*.yaml`` case screened against a shipped policy.

A file names a ``policy`` (or a case sets ``expect.selects`` and the catalogue picks by date) and
lists cases: ``on``, ``facts`` and ``expect``:

- ``met`` / ``not_met`` / ``unknown`` / ``review``: rule ids (priorities, factors, risks, relief) with that outcome;
- ``missing_facts``: fact paths that must be asked;
- ``reason_contains`` / ``reason_not_contains``: rule id -> a substring (or a list) of its reason;
- ``summary_contains``: substrings of the one-line summary;
- ``forms_fit`` / ``forms_do_not_fit``: requested actions among the regime's forms of discretion that fit
  (or are listed but do not fit) the person's posture;
- ``selects``: which policy the date selects (``none`` for no policy in force).

A case or an ``expect`` with a key not listed here fails: a typo must never turn an expectation off.
"""

from pathlib import Path

import pytest
import yaml

from discretion.errors import NoPolicyInForce
from discretion.facts import CaseFacts
from discretion.policies import shipped
from discretion.screening import screen

OUTCOMES = ("met", "not_met", "unknown", "review")
EXPECT_KEYS = {
    *OUTCOMES,
    "missing_facts",
    "reason_contains",
    "reason_not_contains",
    "summary_contains",
    "forms_fit",
    "forms_do_not_fit",
    "selects",
}
SCREENED = EXPECT_KEYS - {"selects"}
CASE_KEYS = {"name", "on", True, "policy", "facts", "expect"}  # YAML 1.1 reads a bare `on:` as True

CASES = [
    pytest.param(data.get("policy"), case, id=f"{path.stem}: {case['name']}")
    for path in sorted(Path(__file__).parent.glob("*.yaml"))
    for data in [yaml.safe_load(path.read_text(encoding="utf-8"))]
    for case in data["cases"]
]


def _texts(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize(("policy_id", "case"), CASES)
def test_scenario(policy_id, case):
    unknown_case_keys = set(case) - CASE_KEYS
    assert not unknown_case_keys, f"unknown case key(s) {sorted(map(str, unknown_case_keys))}"
    expect, on = case["expect"], case.get("on", case.get(True))
    unknown_keys = set(expect) - EXPECT_KEYS
    assert not unknown_keys, (
        f"unknown expectation key(s) {sorted(unknown_keys)}: allowed {sorted(EXPECT_KEYS)}"
    )
    assert expect, "a scenario needs at least one expectation"
    if "selects" in expect:
        if expect["selects"] == "none":
            with pytest.raises(NoPolicyInForce):
                shipped().select(on)
        else:
            assert shipped().select(on).id == expect["selects"]
    if not SCREENED & set(expect):
        return
    policy = shipped().get(case.get("policy", policy_id) or expect["selects"])
    result = screen(CaseFacts.model_validate(case.get("facts") or {}), policy, on=on)
    found = {f.id: f for f in (*result.findings, *result.risks, *result.relief)}
    for outcome in OUTCOMES:
        for rule_id in expect.get(outcome, ()):
            assert rule_id in found, f"{rule_id} is not a rule of {policy.id}"
            assert found[rule_id].outcome.value == outcome, f"{rule_id}: {found[rule_id].reason}"
    missing = {m["path"] for m in result.missing_facts}
    assert set(expect.get("missing_facts", ())) <= missing, sorted(missing)
    for rule_id, texts in expect.get("reason_contains", {}).items():
        assert rule_id in found, f"{rule_id} is not a rule of {policy.id}"
        for text in _texts(texts):
            assert text in found[rule_id].reason, found[rule_id].reason
    for rule_id, texts in expect.get("reason_not_contains", {}).items():
        assert rule_id in found, f"{rule_id} is not a rule of {policy.id}"
        for text in _texts(texts):
            assert text not in found[rule_id].reason, found[rule_id].reason
    for text in _texts(expect.get("summary_contains", [])):
        assert text in result.summary, result.summary
    forms = {f["action"]: f for f in result.forms}
    for action in expect.get("forms_fit", ()):
        assert action in forms and forms[action]["fits"], (action, result.forms)
    for action in expect.get("forms_do_not_fit", ()):
        assert action in forms and not forms[action]["fits"], (action, result.forms)
