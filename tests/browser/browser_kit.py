"""Helpers for browser tests and scripts: Chromium settings, a logged-in browser ``Session``,
``look()`` (axe-core check of a page, plus screenshots on request), navigation helpers.

Named browser_kit (not conftest) so test modules can import it whatever other conftest.py
files the same pytest run loads.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from browser_server import PASSWORD
from playwright.sync_api import expect

CHROMIUM = os.environ.get("DISCRETION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("DISCRETION_SCREENSHOTS", "")


class Session:
    """One person's browser context, logged in."""

    def __init__(self, browser, server, username: str | None, *, phone: bool = False):
        self.server = server
        device = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {"viewport": DESKTOP}
        self.context = browser.new_context(**device, accept_downloads=True, locale="en-US")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # JavaScript errors; a 4xx page the test asked for also logs "Failed to load resource".
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(msg.text)
                if msg.type == "error" and not msg.text.startswith("Failed to load resource")
                else None
            ),
        )
        if username:
            self.login(username)

    def url(self, path: str) -> str:
        return self.server.url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def login(self, username: str, password: str = PASSWORD) -> None:
        page = self.page
        page.goto(self.url("/accounts/login/"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))

    def close(self) -> None:
        self.context.close()


_axe = None
# At phone width: how wide the page is, and the innermost elements that stick out the most.
OVERFLOW_JS = """(limit) => {
  const width = document.documentElement.scrollWidth;
  if (width <= limit) return [];
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > limit + 1)) {
      const id = el.id ? "#" + el.id : "";
      const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      out.push([Math.round(r.right), el.tagName.toLowerCase() + id + cls + " '" + (el.textContent || "").trim().slice(0, 40) + "'"]);
    }
  }
  out.sort((a, b) => b[0] - a[0]);
  return [width, ...out.slice(0, 4).map(([right, what]) => what + " to " + right + "px")];
}"""


def look(page, name: str) -> None:
    """Check the page with axe-core at desktop and at phone width (no serious or critical
    violation at either) and, when asked, save screenshots of both as
    DISCRETION_SCREENSHOTS/NAME-{desktop,phone}.png with a list of what sticks out at phone width."""
    global _axe
    from axe_playwright_python.sync_playwright import Axe

    if _axe is None:
        _axe = Axe()
    page.wait_for_load_state("load")
    folder = Path(SCREENSHOTS) if SCREENSHOTS else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    bad = []
    try:
        for width, viewport in (("desktop", size), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            results = _axe.run(page)
            bad += [
                (width, v)
                for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")
            ]
            if not folder:
                continue
            with (folder / "axe.txt").open("a") as out:  # every violation, minor ones too
                for v in results.response["violations"]:
                    out.write(
                        f"{name} {width}: [{v.get('impact')}] {v['id']} ({len(v['nodes'])}): {v['help']}\n"
                    )
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            wide = page.evaluate(OVERFLOW_JS, PHONE["width"]) if width == "phone" else []
            if wide:
                with (folder / "phone-overflow.txt").open("a") as out:
                    out.write(f"{name}: page {wide[0]}px wide; widest elements: {'; '.join(wide[1:])}\n")
    finally:
        page.set_viewport_size(size)
    assert not bad, f"axe on {name} ({page.url}):\n" + "\n".join(
        f"- {width}: [{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {n['target']} {n.get('failureSummary', '')[:300]}" for n in v["nodes"][:5])
        for width, v in bad
    )


def nav(page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def add_case(page, name: str, a_number: str, reference: str) -> str:
    """Fill in and submit the Add a case form (the page must be open); the case's code."""
    page.get_by_label("Full legal name (as on the NTA)").fill(name)
    page.get_by_label("A-number").fill(a_number)
    page.get_by_label("Your case reference").fill(reference)
    page.get_by_role("button", name="Add the case").click()
    # A new case opens the guided fact flow at its first section; go to the case page.
    expect(page.get_by_role("heading", level=1, name="Case and request")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("created")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    return page.url.split("/cases/")[1].split("/")[0]
