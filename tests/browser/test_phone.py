"""On a phone (390x844, touch): log in, find the case, take a photo of a document and file it
against a checklist item. Many clients and some practitioners have only a phone."""

from __future__ import annotations

import pytest
from browser_files import phone_photo_jpeg
from browser_kit import look
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_phone_user_files_a_photo_against_a_checklist_item(session_for, alpha_case):
    alice = session_for("alice", phone=True)
    page = alice.page
    assert page.viewport_size == {"width": 390, "height": 844}
    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.locator("#q").fill("Idris")
    row = page.locator(".cases-table tbody tr").filter(has_text="Idris Haddad Warsame")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Idris Haddad Warsame").tap()
    page.get_by_role("link", name="Evidence").first.tap()
    item = page.locator(".checklist .check-item").first
    expect(item.locator(".tag").first).to_have_text("Missing")
    upload = item.locator("input[type=file]")
    assert "image/*" in (upload.get_attribute("accept") or ""), "the phone offers its camera"
    upload.set_input_files({"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": phone_photo_jpeg()})
    item.get_by_role("button", name="Upload", exact=True).tap()
    expect(page.locator(".messages")).to_contain_text("1 file uploaded")
    expect(page.locator(".checklist .check-item").first.locator(".tag").first).to_contain_text("Provided")
    look(page, "phone-evidence")
    assert not alice.errors, alice.errors


WIDTH_JS = "() => document.documentElement.scrollWidth"


def test_no_page_is_wider_than_a_phone_and_stacked_case_rows_keep_their_labels(session_for, alpha_case):
    code = alpha_case["code"]
    admin = session_for("alice", phone=True)  # alice is also the organisation admin
    page = admin.page
    for path in (
        "/",
        "/cases/",
        f"/cases/{code}/",
        f"/cases/{code}/evidence/",
        f"/cases/{code}/compare/?on=2012-06-01",
        "/accounts/people/",
    ):
        admin.goto(path)
        assert page.evaluate(WIDTH_JS) <= 390, f"{path} is wider than the phone"

    # The people page: the role dropdown stays wide enough to read.
    admin.goto("/accounts/people/")
    assert page.locator("select[name=role]").first.bounding_box()["width"] >= 120

    # The case list on a phone: rows stack, each value says which column it is.
    admin.goto("/cases/")
    cell = page.locator(".cases-table tbody tr").first.locator("td[data-label=Court]")
    before = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Court" in before

    # The header takes a small part of the screen.
    assert page.locator(".site-header").bounding_box()["height"] <= 844 * 0.16
    assert not admin.errors, admin.errors
