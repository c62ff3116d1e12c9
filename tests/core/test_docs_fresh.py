"""docs/policies.md is generated from the data; this fails when someone changed one without the other."""

import re
from pathlib import Path

import pytest

from discretion.policies import shipped
from discretion.policy_docs import render_policies_markdown
from discretion.relief import RELIEF_FILE, load_relief

DOCS = Path(__file__).parents[2] / "docs" / "policies.md"


def test_docs_policies_md_matches_the_policy_and_relief_data():
    relief = load_relief() if RELIEF_FILE.exists() else None
    expected = render_policies_markdown(shipped(), relief)

    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""

    if current != expected:  # not a bare assert: pytest would print a diff of two long files
        pytest.fail("docs/policies.md is stale: run `discretion policies docs`", pytrace=False)


def test_every_shipped_policy_and_rule_is_documented():
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""

    for policy in shipped():
        assert f'<a id="policy-{policy.id}"></a>' in text, f"{policy.id} is not in docs/policies.md"
        for rule in policy.rules:
            assert f"#### `{rule.id}`" in text, f"{policy.id}: rule {rule.id} is not in docs/policies.md"


def test_every_link_inside_the_generated_docs_has_its_anchor():
    text = render_policies_markdown(shipped(), load_relief() if RELIEF_FILE.exists() else None)

    links = set(re.findall(r"\]\(#([\w-]+)\)", text))
    anchors = set(re.findall(r'<a id="([\w-]+)"></a>', text))

    assert links, "the contents table links to every policy"
    assert links <= anchors
