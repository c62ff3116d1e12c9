"""The shipped JSON Schema must be the one generated from CaseFacts today."""

from __future__ import annotations

import json
from pathlib import Path

import discretion
from discretion.casefile import case_schema_text
from discretion.facts import CaseFacts

SHIPPED = Path(discretion.__file__).parent / "data" / "case.schema.json"


def test_it_ships_the_schema_generated_from_the_facts_model():
    assert SHIPPED.read_text(encoding="utf-8") == case_schema_text(), (
        "src/discretion/data/case.schema.json is stale: run "
        "`discretion schema -o src/discretion/data/case.schema.json`"
    )


def test_the_schema_forbids_unknown_fields_and_names_every_section():
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))

    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(CaseFacts.model_fields)
