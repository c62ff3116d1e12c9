"""The guided fact flow against the case page's Edit-and-Save, on the reference journey."""

from __future__ import annotations

from datetime import date

import pytest
from browser_kit import look, nav
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


def test_the_flow_pages_errors_and_court_picker(session_for):
    """Each new page through axe and (with DISCRETION_SCREENSHOTS) screenshots at both widths."""
    page = session_for("alice").page
    nav(page, "Cases").click()
    page.locator("#new-case").click()
    look(page, "case-new-with-action")
    page.get_by_label("Full legal name (as on the NTA)").fill("Marisol Ochoa Lima")
    page.get_by_label("Administrative closure", exact=True).check()
    page.get_by_role("button", name="Add the case").click()
    expect(page.get_by_role("heading", level=1, name="Identity")).to_be_visible()
    look(page, "flow-identity")

    # An impossible date: refused, said next to the field and at the top (focused), kept.
    page.locator('[name="identity.date_of_birth"]').fill("02/30/1990")
    page.locator("#save-continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("February 30 does not exist")
    expect(page.locator("#e-identity-date-of-birth")).to_contain_text("February 30 does not exist")
    expect(page.locator('[name="identity.date_of_birth"]')).to_have_value("1990-02-30")
    look(page, "flow-identity-error")
    summary.get_by_role("link").first.click()
    expect(page.locator('[name="identity.date_of_birth"]')).to_be_focused()
    page.locator('[name="identity.date_of_birth"]').fill("02/03/1990")
    page.locator("#save-continue").click()

    # The court: typed in part, chosen from the suggestions; its OPLA field location shown.
    expect(page.get_by_role("heading", level=1, name="Proceedings")).to_be_visible()
    box = page.locator('[name="proceedings.court"]')
    box.press_sequentially("housto", delay=30)
    options = page.locator("[data-court-option]")
    expect(options.first).to_be_visible()
    assert options.count() >= 2
    look(page, "flow-court-suggestions")
    page.locator('[data-court-option="Houston Immigration Court (Greenspoint Park)"]').click()
    expect(box).to_have_value("Houston Immigration Court (Greenspoint Park)")
    expect(page.locator("#office-line")).to_contain_text("OPLA Houston")
    expect(page.locator("#so-far")).to_contain_text("Screening so far")
    page.locator("#save-continue").click()
    expect(page.get_by_role("heading", level=1, name="Entry")).to_be_visible()

    # A list: the first entry, then "Add another" shows a second one without saving.
    page.locator('.progress-list button:has(.step-title:text-is("Criminal history"))').click()
    page.locator('[name="criminal_history.0.offence"]').fill("Shoplifting")
    page.locator('button[name="add_row"][value="criminal_history"]').click()
    expect(page.locator('[name="criminal_history.1.offence"]')).to_be_focused()
    expect(page.locator('[name="criminal_history.0.offence"]')).to_have_value("Shoplifting")
    look(page, "flow-criminal-history-added")
    page.locator("#save-section").click()
    expect(page.locator("#facts-criminal_history")).to_contain_text("Shoplifting")
    questions = page.locator("#missing-facts")
    expect(questions).to_be_visible()
    assert "needed by" not in questions.inner_text()
    look(page, "case-detail-questions")
    questions.get_by_role("link").first.click()
    expect(page.locator(".section-main h1")).to_be_visible()
    look(page, "flow-from-a-question")
