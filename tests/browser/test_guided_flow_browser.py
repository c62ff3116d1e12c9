"""The guided fact flow against the case page's Edit-and-Save, on the reference journey."""

from __future__ import annotations

from datetime import date

import pytest
from browser_kit import nav
from fact_journey import Counter, enter_guided, reference
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The reference journey on the case page before the guided flow (main at commit 5ca7123, with
# fact_journey.enter_edit_and_save, as in commit "Browser: the reference fact-entry journey"):
# Edit, fill in, Save, section after section. That page cannot run it any more (a list now grows
# by its "Add" buttons, not by saving), so the figure measured there is kept here.
TODAY_CLICKS = 84


def test_reference_journey_guided(session_for):
    page = session_for("alice").page
    counter = Counter(page)
    nav(page, "Cases").click()
    counter.start()
    page.locator("#new-case").click()
    page.get_by_label("Full legal name (as on the NTA)").fill("Ana Lucía Ramírez Pérez")
    page.get_by_label("A-number").fill("208-555-311")
    page.get_by_label("Your case reference").fill("RAMIREZ-2")
    counter.entries += 3
    parts = reference(date.today())
    # The new-case page asks the first section's facts (reference and requested action) itself.
    assert parts[0].section == "Case and request"
    counter.set(page.get_by_label("Dismissal", exact=True), "dismissal")
    page.get_by_role("button", name="Add the case").click()
    enter_guided(counter, page, parts[1:], court_search="gessner")
    expect(page.locator("#facts-family")).to_contain_text("Mateo")
    guided = counter.clicks
    print(f"\nreference journey, guided flow: {guided} clicks, {counter.entries} field entries")
    assert guided <= TODAY_CLICKS // 2, f"{guided} clicks: more than half of {TODAY_CLICKS}"
