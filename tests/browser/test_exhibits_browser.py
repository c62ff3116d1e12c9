"""The exhibit list in the browser: a Word letter uploaded from the evidence page is converted to
PDF by LibreOffice in the background and joins the exhibits; the exhibits are reordered and one is
turned, and preflight names the turn."""

from __future__ import annotations

import io
import shutil

import pytest
from browser_files import pdf_bytes
from browser_kit import add_case, look, nav
from playwright.sync_api import expect

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by ./dev setup"
)


def word_letter() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading("Letter of support", 1)
    doc.add_paragraph("I have known Ms. Haddad for twelve years as a volunteer at our parish.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_word_upload_becomes_an_exhibit_and_exhibits_are_reordered_and_turned(session_for):
    page = session_for("alice").page
    nav(page, "Cases").click()
    page.locator("#new-case").click()
    add_case(page, "Samira Haddad Nur", "208-555-077", "EXHIBITS-1")
    page.get_by_role("link", name="Evidence").first.click()
    page.locator("#ex-upload").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(1, "Lease")}
    )
    page.locator("#exhibits").get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("1 file uploaded")
    page.locator("#ex-upload").set_input_files(
        {
            "name": "carta del pastor.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": word_letter(),
        }
    )
    page.locator("#ex-desc").fill("Letter of support from the pastor")
    page.locator("#exhibits").get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("1 file uploaded")
    # The worker converts it; the page says so until it is done, then the PDF is an exhibit.
    rows = page.locator(".exhibits-table tbody tr")
    for _ in range(90):
        if rows.count() == 2:
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("carta del pastor.pdf")
    look(page, "evidence-word-converted")

    # Put the pastor's letter first and turn the scan, then save the list.
    rows.nth(0).locator("input[name^=position-]").fill("2")
    rows.nth(1).locator("input[name^=position-]").fill("1")
    rows.nth(1).locator("select[name^=rotation-]").select_option("0")
    page.locator("select[name^=rotation-]").first.select_option("90")
    page.locator("#save-exhibits").click()
    expect(page.locator(".messages")).to_contain_text("Exhibit list saved")
    rows = page.locator(".exhibits-table tbody tr")
    expect(rows.nth(0)).to_contain_text("carta del pastor.pdf")
    expect(rows.nth(1).locator("select[name^=rotation-]")).to_have_value("90")
    look(page, "evidence-reordered")

    # Preflight names the turn; the packet can be built.
    page.get_by_role("link", name="Letters and packets").first.click()
    page.locator("#check-packet").click()
    expect(page.locator("#preflight")).to_contain_text("turned 90° clockwise")
    expect(page.locator("#build-packet")).to_be_enabled()
