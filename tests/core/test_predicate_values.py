"""A misspelt value in a policy's ``with:`` is one load-time line naming the file and the rule."""

import pytest

from discretion.errors import PolicyError
from discretion.policies import load_policy

POLICY = """\
id: typo
title: Typo test
issuer: Test office
issued: 2020-01-01
effective: 2020-01-01
status: historical
summary: For tests only.
sources:
  - {{id: memo, title: Test memo, confidence: confirmed}}
priorities:
  - id: p1_aggravated_felony
    label: Aggravated felony
    test: {test}
    with: {params}
    cite: [{{source: memo}}]
    confidence: confirmed
"""


@pytest.mark.parametrize(
    ("test", "params", "bad"),
    [
        ("convictions_at_least", "{count: 1, categories: [aggravated_felon]}", "'aggravated_felon'"),
        ("convictions_at_least", "{levels: [felonies]}", "'felonies'"),
        ("has_relative", "{relationships: [spouse], statuses: [citizen]}", "'citizen'"),
        ("relief_being_pursued", "{kinds: [asylm]}", "'asylm'"),
        ("crime_victim", "{kinds: [fraud]}", "'fraud'"),
    ],
)
def test_a_misspelt_value_is_one_line_naming_file_rule_and_value(tmp_path, test, params, bad):
    path = tmp_path / "typo-2020-01-01.yaml"
    path.write_text(POLICY.format(test=test, params=params), encoding="utf-8")

    with pytest.raises(PolicyError) as caught:
        load_policy(path)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("typo-2020-01-01.yaml:")
    assert "p1_aggravated_felony" in message and bad in message


def test_good_values_load(tmp_path):
    path = tmp_path / "typo-2020-01-01.yaml"
    path.write_text(
        POLICY.format(
            test="convictions_at_least", params="{count: 2, levels: [felony], excluding: [minor_traffic]}"
        ),
        encoding="utf-8",
    )
    assert [r.id for r in load_policy(path).rules] == ["p1_aggravated_felony"]
