"""Scenario tests: every ``tests/scenarios/*.yaml`` case screened against a shipped policy.

A file names a ``policy`` (or a case sets ``expect.selects`` and the catalogue picks by date) and
lists cases: ``on``, ``facts`` and ``expect`` (met / not_met / unknown rule ids, missing fact
paths, substrings of reasons, and which policy the date selects, ``none`` for no policy in force).
"""

from pathlib import Path

import pytest
import yaml

from discretion.errors import NoPolicyInForce
from discretion.facts import CaseFacts
from discretion.policies import shipped
from discretion.screening import screen

CASES = [
    pytest.param(data.get("policy"), case, id=f"{path.stem}: {case['name']}")
    for path in sorted(Path(__file__).parent.glob("*.yaml"))
    for data in [yaml.safe_load(path.read_text(encoding="utf-8"))]
    for case in data["cases"]
]


@pytest.mark.parametrize(("policy_id", "case"), CASES)
def test_scenario(policy_id, case):
    # YAML 1.1 reads a bare `on:` key as the boolean True.
    expect, on = case["expect"], case.get("on", case.get(True))
    if "selects" in expect:
        if expect["selects"] == "none":
            with pytest.raises(NoPolicyInForce):
                shipped().select(on)
        else:
            assert shipped().select(on).id == expect["selects"]
    if not any(k in expect for k in ("met", "not_met", "unknown", "missing_facts", "reason_contains")):
        return
    policy = shipped().get(case.get("policy", policy_id) or expect["selects"])
    result = screen(CaseFacts.model_validate(case.get("facts") or {}), policy, on=on)
    found = {f.id: f for f in (*result.findings, *result.risks, *result.relief)}
    for outcome in ("met", "not_met", "unknown"):
        for rule_id in expect.get(outcome, ()):
            assert rule_id in found, f"{rule_id} is not a rule of {policy.id}"
            assert found[rule_id].outcome.value == outcome, f"{rule_id}: {found[rule_id].reason}"
    missing = {m["path"] for m in result.missing_facts}
    assert set(expect.get("missing_facts", ())) <= missing, sorted(missing)
    for rule_id, text in expect.get("reason_contains", {}).items():
        assert text in found[rule_id].reason, found[rule_id].reason
