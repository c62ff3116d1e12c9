"""Who sees what, in the browser: another organisation's attorney gets "not found" on every
page of Alpha's case; a read-only member of Alpha sees the case but no control that changes it."""

from __future__ import annotations

import pytest
from browser_kit import look, nav
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_another_organisation_gets_not_found_everywhere(session_for, alpha_case):
    charlie = session_for("charlie")
    page = charlie.page
    code = alpha_case["code"]
    for path in (
        f"/cases/{code}/",
        f"/cases/{code}/facts/identity/",
        f"/cases/{code}/evidence/",
        f"/cases/{code}/documents/",
        f"/cases/{code}/compare/?on=2025-01-01",
        f"/cases/{code}/export.json",
        alpha_case["request"],
        alpha_case["file"],
    ):
        response = charlie.goto(path)
        assert response.status == 404, (path, response.status)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert "Idris" not in page.content(), path
    look(page, "not-found")
    nav(page, "Cases").click()
    expect(page.locator("main")).not_to_contain_text("Idris Haddad Warsame")
    expect(page.locator(".results-count")).to_have_text("0 cases")
    look(page, "case-list-other-org")


def test_a_read_only_member_sees_no_edit_controls(session_for, alpha_case):
    rita = session_for("rita")
    page = rita.page
    code = alpha_case["code"]

    nav(page, "Cases").click()
    expect(page.locator(".cases-table")).to_contain_text("Idris Haddad Warsame")
    expect(page.locator("#new-case")).to_have_count(0)
    look(page, "case-list-read-only")
    assert rita.goto("/cases/new/").status == 403
    look(page, "forbidden")

    rita.goto(f"/cases/{code}/")
    expect(page.get_by_role("heading", level=1, name="Idris Haddad Warsame")).to_be_visible()
    main = page.locator("main")
    expect(main.locator("form[method=post]")).to_have_count(0)
    expect(main.locator("input[type=file]")).to_have_count(0)
    expect(page.get_by_role("link", name="Record a request")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit Identity", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="View Identity", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="lease.pdf")).to_be_visible()  # reading is allowed
    look(page, "case-detail-read-only")

    page.get_by_role("link", name="View Identity", exact=True).click()
    expect(page.locator(".notice-info")).to_contain_text("read-only access")
    expect(page.locator("#save-section")).to_have_count(0)
    for field in page.locator("main fieldset[disabled] input").all()[:5]:
        expect(field).to_be_disabled()
    look(page, "section-read-only")

    rita.goto(f"/cases/{code}/evidence/")
    expect(main.locator("input[type=file]")).to_have_count(0)
    expect(page.locator("#save-exhibits")).to_have_count(0)
    expect(main.locator(".exhibits-table")).to_contain_text("lease.pdf")
    look(page, "evidence-read-only")

    rita.goto(f"/cases/{code}/documents/")
    expect(main.locator("form[method=post]")).to_have_count(0)
    expect(page.locator("#generate-letter")).to_have_count(0)
    expect(page.locator("#build-packet")).to_have_count(0)
    look(page, "documents-read-only")

    rita.goto(alpha_case["request"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Drafted")
    expect(page.get_by_role("region", name="Record what happened")).to_have_count(0)
    expect(main.locator("form[method=post]")).to_have_count(0)
    look(page, "request-read-only")
    assert not rita.errors, rita.errors


def test_a_read_only_member_cannot_type_into_the_exhibit_list(session_for, alpha_case):
    rita = session_for("rita")
    rita.goto(f"/cases/{alpha_case['code']}/evidence/")
    table = rita.page.locator(".exhibits-table")
    expect(table).to_contain_text("lease.pdf")
    for control in table.locator("input, select").all():
        expect(control).to_be_disabled(timeout=1000)
