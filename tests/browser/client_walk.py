"""Every page the person sees, visited in one language at phone size, with its figures.

``set_up(alice)`` makes, through the practitioner's own pages, what the walk needs in the
organisation (a published consultation page, weekly hours, a case); ``invite(alice, code)``
makes an invitation link. ``walk(browser, server, ...)`` then visits each state of the booking
and intake pages (questions of every kind, errors, entries, files, review, plain pages) and
measures each: the HTML document's size, all bytes the page loaded, any request to another
host, and axe-core's violations of every impact. Used by tests/browser/test_person_side.py
(which asserts) and benchmarks/client_pages.py (which prints).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from browser_files import phone_photo_jpeg
from browser_kit import CHROMIUM_ARGS, PHONE, add_case, nav  # noqa: F401 - CHROMIUM_ARGS for callers
from playwright.sync_api import expect

HTML_LIMIT = 50 * 1024
PAGE_SLUG = "alpha-help"


@dataclass
class Figures:
    name: str
    lang: str
    url: str
    html_bytes: int
    total_bytes: int
    requests: int
    third_party: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def set_up(alice) -> str:
    """Publish Alpha's consultation page, give alice hours every day, add a case; its code."""
    page = alice.page
    alice.goto("/consultations/page/")
    page.get_by_label("Published (people can book)").check()
    page.get_by_label("Page address").fill(PAGE_SLUG)
    page.get_by_label("Phone number shown to people").fill("(555) 010-0123")
    page.get_by_label("Earliest booking: hours from now").fill("2")
    page.get_by_role("button", name="Save the page").click()
    expect(page.locator(".messages")).to_contain_text("Consultation page saved")
    alice.goto("/consultations/availability/")
    page.get_by_label("Time zone").fill("America/New_York")
    page.get_by_label("Length of a consultation (minutes)").fill("30")
    page.get_by_label("Buffer after each consultation (minutes)").fill("0")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(f"{day}, hours 1: from").fill("07:00")
        page.get_by_label(f"{day}, hours 1: to").fill("21:00")
    page.locator("#save-availability").click()
    expect(page.locator(".messages")).to_contain_text("Availability saved")
    nav(page, "Cases").click()
    page.locator("#new-case").click()
    return add_case(page, "Rosa Elena Díaz Cruz", "208-555-077", "PERSON-1")


def invite(alice, code: str, lang: str = "es") -> str:
    page = alice.page
    alice.goto(f"/cases/{code}/intake/")
    page.get_by_label("Language of the first page").select_option(lang)
    page.locator("#invite").click()
    expect(page.locator("#invite-link")).to_be_visible()
    return page.locator("#invite-link").input_value()


class Visitor:
    """A phone-sized browser context that measures every page it is asked to."""

    def __init__(self, browser, server, lang: str, results: list[Figures], shots: Path | None = None):
        self.server = server
        self.lang = lang
        self.results = results
        self.shots = shots
        self.context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, locale="es-US" if lang == "es" else "en-US"
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.bytes = 0
        self.requests: list[str] = []
        self.document = None
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", self._response)

    def _response(self, response) -> None:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
            body = b""
        self.bytes += len(body)
        if response.request.resource_type == "document" and response.status < 300:
            self.document = (response.url, len(body))

    def start(self) -> None:
        self.bytes, self.requests, self.document = 0, [], None

    def goto(self, path: str) -> None:
        self.start()
        self.page.goto(path if path.startswith("http") else self.server.url + path)

    def click(self, selector: str) -> None:
        self.start()
        self.page.locator(selector).first.click()
        self.page.wait_for_load_state("load")

    def measure(self, name: str) -> Figures:
        from axe_playwright_python.sync_playwright import Axe

        page = self.page
        page.wait_for_load_state("load")
        url, html = self.document or (page.url, len(page.content().encode()))
        results = Axe().run(page)
        violations = [f"[{v.get('impact')}] {v['id']}: {v['help']}" for v in results.response["violations"]]
        own = self.server.url
        figures = Figures(
            name,
            self.lang,
            url.removeprefix(own),
            html,
            self.bytes,
            len(self.requests),
            [u for u in self.requests if not u.startswith((own, "data:"))],
            violations,
        )
        self.results.append(figures)
        if self.shots:
            self.shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(self.shots / f"person-{self.lang}-{name}.png"), full_page=True)
        return figures

    def close(self) -> None:
        self.context.close()


def walk(browser, server, *, lang: str, invitation: str, results: list[Figures]) -> None:
    shots = Path(os.environ["DISCRETION_SCREENSHOTS"]) if os.environ.get("DISCRETION_SCREENSHOTS") else None
    v = Visitor(browser, server, lang, results, shots)
    try:
        _booking(v)
        _intake(v, invitation)
    finally:
        v.close()
    # A browser that was closed: no session, so the page asks to open the link again.
    again = Visitor(browser, server, lang, results, shots)
    try:
        again.goto(f"/intake/?lang={lang}")
        again.measure("intake-open-link-again")
    finally:
        again.close()


def _booking(v: Visitor) -> None:
    p = v.page
    v.goto(f"/book/{PAGE_SLUG}/?lang={v.lang}")
    v.measure("book-start")
    v.click("#start")
    v.measure("book-court")
    v.click("#next")
    v.measure("book-court-error")
    p.locator("#id_answer_1").check()  # no court case
    v.click("#next")
    v.measure("book-careful")
    v.click("#next")
    v.measure("book-detained")
    v.goto(f"/book/{PAGE_SLUG}/court/")
    p.locator("#id_answer_0").check()
    v.click("#next")
    p.locator("#id_answer_0").check()  # detained: the "call us now" box
    v.click("#next")
    v.measure("book-court-date")
    p.locator("#id_hearing_on").fill((date.today() + timedelta(days=9)).isoformat())
    v.click("#next")
    v.measure("book-days")
    v.click(".days a")
    v.measure("book-times")
    p.locator(".slots input").first.check()
    v.click("#next")
    v.measure("book-contact")
    v.click("#next")
    v.measure("book-contact-errors")
    p.locator("#id_name").fill("Rosa Díaz")
    p.locator("#id_phone").fill("212 555 0144")
    v.click("#next")
    v.measure("book-check")
    v.click("#book")
    v.measure("book-booked")
    manage = p.url.split("?")[0]
    v.click("#move")
    v.measure("book-move-day")
    v.click(".days a")
    v.measure("book-move-time")
    v.goto(manage)
    v.click("#cancel")
    v.measure("book-cancel")
    v.click("#confirm-cancel")
    v.measure("book-cancelled")
    v.goto("/booked/not-a-real-link/")
    v.measure("book-bad-link")


def _intake(v: Visitor, invitation: str) -> None:
    p = v.page
    v.goto(invitation + f"?lang={v.lang}")
    v.measure("intake-home")
    v.click("#start")
    v.measure("intake-first-question")
    v.click("#next")
    v.measure("intake-question-error")
    for path, name in (
        ("identity.date_of_birth", "intake-date"),
        ("entry.manner", "intake-choice"),
        ("employment.years_worked_in_us", "intake-number"),
        ("identity.country_of_birth", "intake-text"),
        ("identity.languages", "intake-lines"),
        ("family", "intake-list"),
    ):
        v.goto(f"/intake/question/{path}/")
        v.measure(name)
    p.locator("#q-family-yes").check()
    v.click("#next")
    v.measure("intake-entry")
    p.locator("#q-family-n-relationship-2").check()
    p.locator("#q-family-n-name").fill("Lucía")
    v.click("#save-entry")
    v.measure("intake-more")
    p.locator("#more-no").check()
    v.click("#next")
    v.goto("/intake/papers/")
    v.measure("intake-papers")
    v.click(".days a")
    v.measure("intake-paper")
    p.locator("#file").set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": phone_photo_jpeg()}
    )
    v.click("#send-file")
    v.measure("intake-paper-sent")
    v.goto("/intake/check/")
    v.measure("intake-review")
    v.click("#send")
    v.measure("intake-sent")
    v.goto(f"/i/not-a-real-link/?lang={v.lang}")
    v.measure("intake-bad-link")
