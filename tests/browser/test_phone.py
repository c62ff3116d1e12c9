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
