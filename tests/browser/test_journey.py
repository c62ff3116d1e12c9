"""The practitioner's whole journey in a real browser against a real `discretion serve`:
log in, add a case, enter facts section by section, read the screening and its citations,
screen as of another date, upload exhibits (a PDF and a phone photo), build the packet in the
background and download it, then record the PD request, send it and record ICE's answer.

Every page visited goes through ``look()``: axe-core finds no serious or critical violation.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_files import pdf_bytes, phone_photo_jpeg
from browser_kit import add_case, look, nav
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _fill_section(page, section_title: str, values: dict[str, str]) -> None:
    """Open a fact section from the case page, fill inputs and selects by fact path, save."""
    page.get_by_role("link", name=f"Edit {section_title}", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=section_title)).to_be_visible()
    for path, value in values.items():
        radio = page.locator(f'input[type="radio"][name="{path}"][value="{value}"]')
        field = page.locator(f'[name="{path}"]')
        if radio.count():
            radio.check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("#save-section").click()
    expect(page.locator(".messages")).to_contain_text(f"{section_title} saved.")


def test_the_whole_journey(session_for, tmp_path):
    anon = session_for(None)
    anon.goto("/")
    expect(anon.page).to_have_url(re.compile(r"/accounts/login/"))
    look(anon.page, "login")
    anon.page.get_by_label("Username").fill("alice")
    anon.page.get_by_label("Password").fill("not the password")
    anon.page.get_by_role("button", name="Log in").click()
    expect(anon.page.locator("#login-error")).to_contain_text("do not match")
    look(anon.page, "login-error")

    alice = session_for("alice")
    page = alice.page
    expect(page.get_by_role("heading", level=1, name="This week")).to_be_visible()
    look(page, "dashboard-empty")

    # --- a new case ------------------------------------------------------------------------
    nav(page, "Cases").click()
    look(page, "case-list-empty")
    page.locator("#new-case").click()
    look(page, "case-new")
    page.get_by_role("button", name="Add the case").click()  # nothing filled in
    expect(page.locator(".error-summary")).to_be_visible()
    look(page, "case-new-errors")
    code = add_case(page, "Valeria Hernández Cruz", "205-555-077", "HERNANDEZ-2026-077")  # "created" seen
    look(page, "case-detail-new")
    # The server's today (its time zone, not this machine's), as the as-of field shows it.
    today = date.fromisoformat(page.locator("#screen-on").input_value())
    hearing = today + timedelta(days=3)  # inside "This week" on the dashboard, whatever the weekday

    # --- facts, section by section ---------------------------------------------------------
    _fill_section(page, "Case and request", {"requested_action": "dismissal"})
    _fill_section(
        page,
        "Identity",
        {"identity.date_of_birth": "2000-03-22", "identity.country_of_birth": "Mexico"},
    )
    _fill_section(
        page,
        "Proceedings",
        {
            "proceedings.in_proceedings": "yes",
            "proceedings.court": "Chicago",
            "proceedings.next_hearing.date": hearing.isoformat(),
        },
    )
    _fill_section(page, "Entry", {"entry.first_entry_on": "2005-07-01", "entry.age_at_first_entry": "5"})
    page.get_by_role("link", name="Edit Criminal history", exact=True).click()
    look(page, "section-criminal-history")
    page.get_by_role("link", name="Case and screening").click() if page.get_by_role(
        "link", name="Case and screening"
    ).count() else page.go_back()
    _fill_section(
        page,
        "Representative",
        {
            "representative.name": "Daniel Okafor",
            "representative.kind": "attorney",
            "representative.organisation": "Midwest Dreamers Legal Clinic",
            "representative.g28_filed": "yes",
            "representative.eoir28_filed": "yes",
        },
    )
    detail = page.url.split("#")[0]
    expect(page.locator("#facts-entry")).to_contain_text("2005")

    # --- screening with citations ----------------------------------------------------------
    result = page.locator("#screening-result")
    expect(result).to_be_visible()
    expect(result.locator(".cites li").first).to_be_visible()
    assert result.locator(".cites li").count() >= 3
    expect(result.locator(".policy-line")).to_contain_text(f"as of {today.isoformat()}")
    todays_policy = result.locator(".policy-line strong").inner_text()
    look(page, "case-detail-screened")

    # --- another as-of date: another policy ------------------------------------------------
    page.locator("#screen-on").fill("2012-06-01")
    page.locator("#screen-button").click()
    expect(page.locator(".messages")).to_contain_text("Screened as of June 1, 2012")
    expect(result.locator(".policy-line")).to_contain_text("as of 2012-06-01")
    old_policy = result.locator(".policy-line strong").inner_text()
    assert old_policy != todays_policy, "a 2012 screening must use a 2011-era policy, not today's"
    look(page, "case-detail-2012")
    page.locator("#screen-on").fill(today.isoformat())
    page.locator("#screen-button").click()
    expect(result.locator(".policy-line")).to_contain_text(f"as of {today.isoformat()}")

    # --- evidence: a PDF against a checklist item, a phone photo as a general exhibit --------
    page.get_by_role("link", name="Evidence").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evidence for")
    look(page, "evidence-empty")
    first_item = page.locator(".checklist .check-item").first
    item_title = first_item.locator("strong").first.inner_text()
    expect(first_item.locator(".tag").first).to_have_text("Missing")
    first_item.locator("input[type=file]").set_input_files(
        {"name": "birth-certificate.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(3, "Birth")}
    )
    first_item.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("1 file uploaded")
    first_item = page.locator(".checklist .check-item").first
    expect(first_item.locator(".tag").first).to_have_text("Provided: Exhibit A")
    page.locator("#ex-upload").set_input_files(
        {"name": "IMG_20261102_0915.jpg", "mimeType": "image/jpeg", "buffer": phone_photo_jpeg()}
    )
    page.locator("#ex-desc").fill("Photo of the lease, first page")
    page.locator("#exhibits").get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("1 file uploaded")
    rows = page.locator(".exhibits-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("birth-certificate.pdf")
    expect(rows.nth(1)).to_contain_text("IMG_20261102_0915.jpg")
    look(page, "evidence-with-exhibits")
    assert item_title

    # --- letter and packet (built in the background by the task worker) --------------------
    page.get_by_role("link", name="Letters and packets").first.click()
    look(page, "documents-empty")
    # The signature block is entered once: the signer's profile, then the organisation's letterhead.
    documents_url = page.url
    page.locator("#signer-notice").get_by_role("link", name="signer profile").click()
    look(page, "signer-profile")
    for name, value in {
        "name": "Alice Abara", "bar_number": "6391021", "bar_state": "Illinois", "eoir_id": "ZZ204816",
        "phone": "(312) 555-0187", "email": "alice@example.org",
    }.items():  # fmt: skip
        page.locator(f'[name="{name}"]').fill(value)
    page.locator("#save-signer").click()
    expect(page.locator(".messages")).to_contain_text("Signer profile saved")
    page.goto(documents_url)
    page.locator("#signer-notice").get_by_role("link", name="letterhead").click()
    page.locator('[name="name"]').fill("Midwest Dreamers Legal Clinic")
    page.locator('[name="address"]').fill("1520 W. Cermak Road, Suite 210, Chicago, IL 60608")
    page.locator("#save-letterhead").click()
    expect(page.locator(".messages")).to_contain_text("Letterhead saved")
    look(page, "letterhead")
    page.goto(documents_url)
    page.locator("#check-packet").click()
    preflight = page.locator("#preflight")
    expect(preflight.get_by_role("heading", level=2)).to_contain_text("ready to build")
    expect(preflight).to_contain_text("no exhibit proves required item")  # the rest of the checklist
    look(page, "documents-preflight")
    # The letter edited in the browser: one paragraph rewritten, saved as version 1, the files
    # made from that version carry the practitioner's words.
    page.locator("#edit-letter").click()
    look(page, "letter-editor")
    box = page.locator("textarea.letter-paragraph").first
    box.fill("On behalf of my client I ask that OPLA move to dismiss these proceedings, for the reasons below.")
    page.locator('[name="note"]').fill("Shorter opening")
    page.locator("#save-version").click()
    expect(page.locator(".messages")).to_contain_text("Saved as version 1")
    look(page, "letter-editor-version")
    page.locator("#generate-version").click()
    expect(page.locator(".messages")).to_contain_text("Letter generated")
    expect(page.locator("#doc-list")).to_contain_text("from letter version 1")
    page.goto(documents_url)
    page.locator("#generate-letter").click()
    expect(page.locator(".messages")).to_contain_text("Letter generated")
    page.locator("#build-packet").click()
    expect(page.locator(".messages")).to_contain_text("Packet build started")
    look(page, "documents-building")
    packet = page.locator("li.doc").filter(has_text="packet").first
    expect(packet.locator(".tag").first).to_have_text(re.compile("Ready|Failed"), timeout=120_000)
    assert packet.locator(".tag").first.inner_text() == "Ready", packet.inner_text()
    look(page, "documents-done")
    shown = re.search(r"(\d+) pages", packet.inner_text())
    assert shown, packet.inner_text()
    with page.expect_download() as dl:
        packet.get_by_role("link").first.click()
    path = tmp_path / "packet.pdf"
    dl.value.save_as(path)
    _check_packet(path.read_bytes(), int(shown.group(1)))

    # --- the PD request: record, send, answer ----------------------------------------------
    page.goto(detail)
    page.get_by_role("link", name="Record a request").click()
    look(page, "request-new")
    page.get_by_label("Action requested").select_option("dismissal")
    page.get_by_label("OPLA field location").fill("OPLA Chicago")
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".messages")).to_contain_text("Request recorded")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Drafted")
    look(page, "request-drafted")

    _event(page, "sent", today, note="Emailed to the OPLA Chicago PD mailbox")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sent")
    follow_up = today + timedelta(days=30)  # the practice default
    expect(page.locator(".facts-inline")).to_contain_text(f"{follow_up:%b} {follow_up.day}, {follow_up.year}")
    look(page, "request-sent")

    nav(page, "This week").click()
    week = page.get_by_role("region", name="Due this week")
    valeria = week.get_by_role("row").filter(has_text="Valeria Hernández Cruz")
    expect(valeria.and_(page.locator("tr.due-hearing"))).to_contain_text("Hearing")
    # Sent today, hearing in a few days: chasing it is due today, not overdue.
    expect(valeria.and_(page.locator("tr.due-hearing_follow_up"))).to_contain_text(
        "Chase the open PD request"
    )
    expect(page.get_by_role("region", name="Overdue")).to_have_count(0)
    look(page, "dashboard-hearing")
    page.go_back()

    _event(
        page,
        "granted",
        today,
        note="OPLA agreed to move to dismiss.",
        outcome="dismissal",
        attachment={
            "name": "OPLA-response.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes(1, "OPLA"),
        },
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Granted")
    timeline = page.locator("#timeline li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("Drafted")
    expect(timeline.nth(1)).to_contain_text("Sent")
    expect(timeline.nth(2)).to_contain_text("Granted")
    expect(timeline.nth(2).get_by_role("link", name="OPLA-response.pdf")).to_be_visible()
    expect(page.locator(".facts-inline")).to_contain_text("Dismissal")
    look(page, "request-granted")

    page.goto(detail)
    expect(page.locator("#requests")).to_contain_text("Granted")
    expect(page.locator("#files")).to_contain_text("OPLA-response.pdf")

    # The case's status followed the work: drafted, sent, granted.
    expect(page.locator("#case-status")).to_have_text("Decision received")
    expect(page.locator("#status-history")).to_contain_text("OPLA granted the PD request")

    nav(page, "Cases").click()
    expect(page.locator(".cases-table")).to_contain_text("Valeria Hernández Cruz")
    page.locator("#q").fill("205555077")
    expect(page.locator(".results-count")).to_have_text("1 case found")
    expect(page.locator(f"#case-{code}")).to_contain_text("Decision received")
    look(page, "case-list")

    _daily_tools(page, detail, code, today, tmp_path)
    assert not alice.errors, alice.errors


def _daily_tools(page, detail: str, code: str, today: date, tmp_path) -> None:
    """Tasks, the What is due page, notes, export of the case file and its import as a new case."""
    # --- a task on the case, on What is due, ticked off ---------------------------------------
    page.goto(detail + "#tasks")
    tasks = page.locator("#tasks")
    expect(tasks).to_contain_text("Hearing")  # the hearing is listed among the tasks
    page.locator("#task-title").fill("Ask Valeria for her children's school records")
    page.locator("#task-due_on").fill(today.isoformat())
    page.locator("#add-task").click()
    expect(page.locator(".messages")).to_contain_text("Task added")
    expect(page.locator("#task-list")).to_contain_text("Ask Valeria for her children's school records")
    look(page, "case-detail-tasks")
    page.locator("#add-task").click()  # nothing typed
    expect(page.locator(".error-summary")).to_contain_text("Task: Say what needs doing.")
    look(page, "task-errors")

    nav(page, "What is due").click()
    expect(page.get_by_role("heading", level=1, name="What is due")).to_be_visible()
    today_panel = page.locator("#due-today")
    row = today_panel.locator("tr").filter(has_text="school records")
    expect(row).to_contain_text("Valeria Hernández Cruz")
    look(page, "due")
    row.get_by_role("button", name=re.compile("^Done")).click()
    expect(page.locator(".messages")).to_contain_text("Done: Ask Valeria")
    expect(page.locator("#due-today")).not_to_contain_text("school records")
    page.locator("#who").select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"who=all"))
    look(page, "due-everyone")

    # --- a note ------------------------------------------------------------------------------
    page.goto(detail + "#notes")
    page.locator("#note-body").fill("Valeria called: the school will send the records by Friday.")
    page.locator("#add-note").click()
    expect(page.locator(".messages")).to_contain_text("Note added")
    note = page.locator("#note-list .note").first
    expect(note).to_contain_text("the school will send the records by Friday")
    expect(note).to_contain_text("Alice Abara")
    look(page, "case-detail-notes")
    note.get_by_role("link", name=re.compile("^Edit")).click()
    look(page, "note-edit")
    page.get_by_label("Note").fill("Valeria called: the school sent the records.")
    page.locator("#save-note").click()
    expect(page.locator("#note-list .note").first).to_contain_text("(edited")

    # --- export the case file, import it as a new case ----------------------------------------
    with page.expect_download() as dl:
        page.locator("#export-yaml").click()
    exported = tmp_path / dl.value.suggested_filename
    dl.value.save_as(exported)
    assert exported.name == "case-HERNANDEZ-2026-077.yaml"
    assert "Valeria Hernández Cruz" in exported.read_text(encoding="utf-8")

    nav(page, "Cases").click()
    with page.expect_download() as dl:
        page.locator("#export-csv").click()
    listed = (tmp_path / "cases.csv").write_bytes(Path(dl.value.path()).read_bytes()) and (
        tmp_path / "cases.csv"
    )
    assert "Valeria Hernández Cruz" in listed.read_text(encoding="utf-8-sig")

    page.locator("#import-cases").click()
    look(page, "case-import")
    page.locator("#import-file").set_input_files(
        [
            {"name": exported.name, "mimeType": "application/yaml", "buffer": exported.read_bytes()},
            {"name": "typo.yaml", "mimeType": "application/yaml", "buffer": b"identity:\n  nmae: X\n"},
        ]
    )
    page.locator("#import-button").click()
    expect(page.locator("#import-problems")).to_contain_text("typo.yaml:2")
    expect(page.locator("#import-problems")).to_contain_text("identity.nmae: unknown field")
    look(page, "case-import-errors")
    page.locator("#import-file").set_input_files(str(exported))
    page.locator("#import-button").click()
    expect(page.locator(".messages")).to_contain_text("Imported 1 case")
    expect(page.locator(".messages")).to_contain_text("same A-number as Valeria Hernández Cruz")
    expect(page.get_by_role("heading", level=1, name="Valeria Hernández Cruz")).to_be_visible()
    assert code not in page.url, "the import is a new case"
    look(page, "case-imported")

    nav(page, "This week").click()
    expect(page.locator("#status-counts")).to_be_visible()
    look(page, "dashboard-status")


def _event(page, status: str, on: date, *, note: str = "", outcome: str = "", attachment=None) -> None:
    form = page.get_by_role("region", name="Record what happened")
    form.locator("#id_new_status").select_option(status)
    form.locator("#id_on").fill(on.isoformat())
    if note:
        form.locator("#id_note").fill(note)
    if outcome:
        form.locator("#id_outcome").select_option(outcome)
    if attachment:
        form.locator("#id_attachment").set_input_files(attachment)
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator(".messages")).to_contain_text("Recorded:")


def _check_packet(data: bytes, pages_shown: int) -> None:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == pages_shown
    marks = {
        o.title: reader.get_destination_page_number(o) for o in reader.outline if not isinstance(o, list)
    }
    titles = list(marks)
    assert titles[:2] == ["Cover letter", "Index of exhibits"], titles
    assert [t.split(" — ")[0] for t in titles[2:]] == ["Exhibit A", "Exhibit B"], titles
    assert titles[3].endswith("Photo of the lease, first page"), titles
    a, b = marks[titles[2]], marks[titles[3]]
    # Each exhibit: its tab page, then its pages (the PDF has 3, the photo becomes 1 page).
    assert b - a == 1 + 3, marks
    assert len(reader.pages) == b + 1 + 1, marks
    assert "Birth page 1 of 3" in reader.pages[a + 1].extract_text()
    assert "Birth page 3 of 3" in reader.pages[a + 3].extract_text()
    photo = reader.pages[b + 1]
    assert float(photo.mediabox.width) == 612 and float(photo.mediabox.height) == 792  # US Letter
    assert photo.images, "the phone photo is on its own page"
