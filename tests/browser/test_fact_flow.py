"""The guided fact flow against the case page's Edit-and-Save, on the reference journey."""

from __future__ import annotations

from datetime import date

import pytest
from browser_kit import add_case, nav
from fact_journey import Counter, enter_edit_and_save, reference
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_reference_journey_edit_and_save(session_for):
    page = session_for("alice").page
    counter = Counter(page)
    nav(page, "Cases").click()
    counter.start()
    page.locator("#new-case").click()
    add_case(page, "Ana Lucía Ramírez Pérez", "208-555-310", "RAMIREZ-1")
    counter.entries += 3
    today = date.fromisoformat(page.locator("#screen-on").input_value())
    enter_edit_and_save(counter, page, reference(today))
    expect(page.locator("#facts-family")).to_contain_text("Mateo")
    print(f"\nreference journey, Edit and Save: {counter.clicks} clicks, {counter.entries} field entries")
