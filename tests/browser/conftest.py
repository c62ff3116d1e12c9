"""Fixtures for browser tests: one real server for the session, headless Debian Chromium, and
``look()``, which every test calls on every page it visits: axe-core must find no serious or
critical violation, and with DISCRETION_SCREENSHOTS=DIR it also saves the page at desktop
(1280x900) and phone (390x844) widths (benchmarks/screenshots.py sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from files import pdf_bytes  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from server import PASSWORD, running_server  # noqa: E402

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


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


_server = None


@pytest.fixture(scope="session")
def server():
    global _server
    with running_server() as s:
        _server = s
        yield s
        _server = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and _server is not None:
        report.sections.append(("discretion serve log (last 6000 characters)", _server.log_text()[-6000:]))
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `./dev setup` installs it (Debian package chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Session:
    """One person's browser context, logged in."""

    def __init__(self, browser, server, username: str | None):
        self.server = server
        self.context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="en-US")
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


@pytest.fixture
def session_for(browser, server):
    made: list[Session] = []

    def make(username: str | None) -> Session:
        s = Session(browser, server, username)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture(scope="session")
def alpha_case(browser, server):
    """A case of Alpha Legal with a file and a PD request, made by alice in the browser."""
    from test_journey import add_case, nav

    alice = Session(browser, server, "alice")
    page = alice.page
    nav(page, "Cases").click()
    page.locator("#new-case").click()
    code = add_case(page, "Idris Haddad Warsame", "208-555-014", "ACCESS-1")
    page.locator("#upload-file").set_input_files(
        {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(1, "Lease")}
    )
    page.locator("#files").get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#files")).to_contain_text("lease.pdf")
    file_url = page.locator("#files").get_by_role("link", name="lease.pdf").get_attribute("href")
    page.get_by_role("link", name="Record a request").click()
    page.get_by_label("OPLA field location").fill("OPLA Chicago")
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".messages")).to_contain_text("Request recorded")
    request_url = page.url.removeprefix(server.url)
    alice.close()
    return {"code": code, "file": file_url, "request": request_url}


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
    """Check the page with axe-core (no serious or critical violations) and, when asked, save
    screenshots of it at desktop and phone widths as screenshots/NAME-{desktop,phone}.png."""
    global _axe
    from axe_playwright_python.sync_playwright import Axe

    if _axe is None:
        _axe = Axe()
    page.wait_for_load_state("load")
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        page.screenshot(path=str(folder / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
        wide = page.evaluate(OVERFLOW_JS, PHONE["width"])
        if wide:
            with (folder / "phone-overflow.txt").open("a") as out:
                out.write(f"{name}: page {wide[0]}px wide; widest elements: {'; '.join(wide[1:])}\n")
        page.set_viewport_size(size)
    assert not bad, f"axe on {name} ({page.url}):\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {n['target']} {n.get('failureSummary', '')[:300]}" for n in v["nodes"][:5])
        for v in bad
    )
