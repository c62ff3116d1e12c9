"""The reference fact-entry journey of issue 11, and a counter of what it costs a person.

A mother who entered without inspection, two U.S.-citizen children, one old conviction, an
asylum application pending, a hearing in three months. ``REFERENCE`` holds the facts as
(section, values, rows); the two drivers enter them: ``enter_edit_and_save`` the way the case
page allowed before the guided flow (Edit a section, fill it in, Save; another entry in a list
needs a save and a new Edit), ``enter_guided`` through the guided flow.

``Counter`` counts what a person does: every click the page receives (a DOM listener installed
before any page script, so it counts the clicks the browser really dispatched, on links,
buttons, radios and checkboxes alike) plus two for each drop-down chosen (one to open it, one
to pick the option: Playwright's select_option dispatches none), and the field entries
(text typed into an input or a text area).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from playwright.sync_api import expect

COUNT_CLICKS_JS = """
document.addEventListener('click', (e) => {
  if (!e.isTrusted) return;
  const n = Number(sessionStorage.getItem('journey-clicks') || '0');
  sessionStorage.setItem('journey-clicks', String(n + 1));
}, true);
"""


class Counter:
    def __init__(self, page):
        self.page = page
        self.selects = 0
        self.entries = 0
        page.context.add_init_script(COUNT_CLICKS_JS)

    def start(self) -> None:
        self.page.evaluate("sessionStorage.setItem('journey-clicks', '0')")
        self.selects = self.entries = 0

    @property
    def clicks(self) -> int:
        dom = int(self.page.evaluate("Number(sessionStorage.getItem('journey-clicks') || '0')"))
        return dom + 2 * self.selects

    def set(self, field, value: str) -> None:
        """Enter one value the way a person would: type, tick, pick a radio or a drop-down."""
        tag = field.evaluate("el => el.tagName + ':' + (el.type || '')")
        if tag.startswith("SELECT"):
            field.select_option(value)
            self.selects += 1
        elif tag in ("INPUT:radio", "INPUT:checkbox"):
            field.check()
        else:
            field.fill(value)
            self.entries += 1


@dataclass
class Part:
    section: str  # the section's title
    values: dict[str, str]  # fact path -> value (radio/select value, or text)
    rows: list[dict[str, str]] | None = None  # the list section's entries (paths inside one entry)
    rows_path: str = ""  # the list's fact path (criminal_history, family, proceedings.pending_applications)


def reference(today: date) -> list[Part]:
    """The facts a practitioner records for the reference case: what the screening asks about
    her, including the "no" answers (unknown is not no: an unanswered gang or security question
    stays a missing fact)."""
    hearing = today + timedelta(days=91)
    return [
        Part("Case and request", {"requested_action": "dismissal"}),
        Part(
            "Identity",
            {
                "identity.date_of_birth": "1986-04-12",
                "identity.country_of_birth": "Guatemala",
                "identity.sex": "female",
                "identity.needs_interpreter": "yes",
            },
        ),
        Part(
            "Proceedings",
            {
                "proceedings.in_proceedings": "yes",
                "proceedings.court": "Houston Immigration Court (South Gessner)",
                "proceedings.next_hearing.date": hearing.isoformat(),
                "proceedings.detained": "no",
            },
            rows=[{"kind": "asylum", "forum": "court", "filed_on": "2024-06-03"}],
            rows_path="proceedings.pending_applications",
        ),
        Part(
            "Entry",
            {
                "entry.first_entry_on": "2009-03-15",
                "entry.manner": "without_inspection",
                "entry.apprehended_at_entry": "no",
            },
        ),
        Part("Presence in the United States", {"presence.continuous_since": "2009-03-15"}),
        Part(
            "Immigration history",
            {"immigration_history.final_order": "no", "immigration_history.reentered_after_removal": "no"},
        ),
        Part(
            "Criminal history",
            {},
            rows=[
                {
                    "offence": "Driving without a licence",
                    "convicted_on": "2011-08-02",
                    "disposition": "convicted",
                    "level": "misdemeanor",
                }
            ],
            rows_path="criminal_history",
        ),
        Part("Gang allegations", {"gang.alleged": "no"}),
        Part(
            "Security and human rights",
            {
                "security.terrorism_or_espionage": "no",
                "security.human_rights_violations": "no",
                "security.persecutor": "no",
            },
        ),
        Part(
            "Family",
            {},
            rows=[
                {
                    "name": "Sofía Ramírez",
                    "relationship": "child",
                    "status": "usc",
                    "date_of_birth": "2012-05-01",
                },
                {
                    "name": "Mateo Ramírez",
                    "relationship": "child",
                    "status": "usc",
                    "date_of_birth": "2015-10-20",
                },
            ],
            rows_path="family",
        ),
        Part("Employment and taxes", {"employment.employed": "yes", "employment.filed_taxes": "yes"}),
        Part("Caretaking", {"caretaker.primary_caretaker": "yes"}),
        Part("Fear of return", {"fear.fears_return": "yes", "fear.asylum_filed_on": "2024-06-03"}),
        Part("Community ties", {"community.ties": "yes"}),
    ]


def _fill(counter: Counter, page, values: dict[str, str]) -> None:
    for path, value in values.items():
        radio = page.locator(f'input[type="radio"][name="{path}"][value="{value}"]')
        counter.set(radio if radio.count() else page.locator(f'[name="{path}"]'), value)


def enter_edit_and_save(counter: Counter, page, parts: list[Part]) -> None:
    """The case page's way: Edit, fill in, Save; each further list entry needs Save and Edit again."""
    for part in parts:
        rows = part.rows or []
        for i in range(max(1, len(rows))):
            page.get_by_role("link", name=f"Edit {part.section}", exact=True).click()
            expect(page.get_by_role("heading", level=1, name=part.section)).to_be_visible()
            if i == 0:
                _fill(counter, page, part.values)
            if rows:
                _fill(counter, page, {f"{part.rows_path}.{i}.{k}": v for k, v in rows[i].items()})
            page.locator("#save-section").click()
            expect(page.locator(".messages")).to_contain_text(f"{part.section} saved.")


def enter_guided(counter: Counter, page, parts: list[Part], *, court_search: str = "") -> None:
    """The guided flow's way, from the first section a new case opens on: fill a section in,
    then "Save and continue" when the next section is the one wanted, else the wanted section in
    the progress list (which saves first); a further list entry comes from its "Add" button.
    With ``court_search``, the court is typed in part and chosen from the suggestions."""
    for n, part in enumerate(parts):
        expect(page.get_by_role("heading", level=1, name=part.section)).to_be_visible()
        values = dict(part.values)
        court = values.pop("proceedings.court", None)
        _fill(counter, page, values)
        if court:
            box = page.locator('[name="proceedings.court"]')
            counter.set(box, court_search or court)
            if court_search:
                option = page.locator(f'[data-court-option="{court}"]')
                option.click()
                expect(box).to_have_value(court)
        for i, row in enumerate(part.rows or []):
            row = dict(row)
            if i:
                # "Add a child" when the list has such a button (it fills the relationship in),
                # else "Add another entry".
                add = page.locator(f'button[name="add_row"][value="{part.rows_path}"]')
                for field, value in row.items():
                    preset = page.locator(f'button[name="add_row"][value="{part.rows_path}:{field}={value}"]')
                    if preset.count():
                        add = preset
                        row.pop(field)
                        break
                add.click()
                expect(page.locator(f'[name="{part.rows_path}.{i}.{next(iter(row))}"]').first).to_be_visible()
            _fill(counter, page, {f"{part.rows_path}.{i}.{k}": v for k, v in row.items()})
        following = parts[n + 1].section if n + 1 < len(parts) else None
        if following is None:
            page.locator("#save-section").click()
            break
        onward = page.locator("#save-continue")
        if f"to {following.lower()}" in onward.inner_text():
            onward.click()
        else:
            page.locator(f'.progress-list button:has(.step-title:text-is("{following}"))').click()
        expect(page.locator(".messages")).to_contain_text(f"{part.section} saved.")
