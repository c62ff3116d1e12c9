"""The workbench's other pages, each checked with axe (and screenshotted on request): compare
another date, fact history, docket import, calendar feed, people, password change, audit log."""

from __future__ import annotations

import pytest
from browser_kit import look, nav
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_compare_history_and_the_screening_report(session_for, alpha_case):
    alice = session_for("alice")
    page = alice.page
    code = alpha_case["code"]
    alice.goto(f"/cases/{code}/")
    page.get_by_text("What would another date or policy say?").click()
    page.locator("#compare-on").fill("2012-06-01")
    page.get_by_role("button", name="Compare side by side").click()
    expect(page).to_have_url(f"{alice.server.url}/cases/{code}/compare/?on=2012-06-01&policy=")
    expect(page.locator("main")).to_contain_text("2012-06-01")
    look(page, "compare")

    alice.goto(f"/cases/{code}/compare/?on=not-a-date")
    expect(page.locator("main")).to_contain_text("YYYY-MM-DD")
    look(page, "compare-error")

    alice.goto(f"/cases/{code}/history/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Idris Haddad Warsame")
    look(page, "history")


def test_import_calendar_people_password_and_audit(session_for):
    alice = session_for("alice")  # an organisation admin
    page = alice.page
    nav(page, "Cases").click()
    alice.goto("/cases/import/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "case-import")

    nav(page, "Calendar feed").click()
    feed = page.get_by_label("Private feed address").input_value()
    assert feed.startswith(alice.server.url + "/calendar/") and feed.endswith(".ics")
    look(page, "calendar")

    nav(page, "People").click()
    expect(page.locator("main")).to_contain_text("Rita")
    look(page, "people")

    alice.goto("/accounts/password/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "password")

    nav(page, "Audit log").click()
    expect(page.locator("main")).to_contain_text("Logged in")
    look(page, "audit")
    assert not alice.errors, alice.errors


def test_people_and_audit_are_for_organisation_admins_only(session_for):
    rita = session_for("rita")
    expect(nav(rita.page, "Audit log")).to_have_count(0)
    expect(nav(rita.page, "People")).to_have_count(0)
    assert rita.goto("/audit/").status in (403, 404)
    assert rita.goto("/accounts/people/").status in (403, 404)
