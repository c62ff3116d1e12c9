"""Fixtures for browser tests: one real `discretion serve` for the session (browser_server),
headless Debian Chromium, a logged-in ``Session`` per person, and a ready-made case of Alpha.
Every test calls ``browser_kit.look()`` on every page it visits: axe-core must find no serious
or critical violation; with DISCRETION_SCREENSHOTS=DIR it also saves the page at desktop
(1280x900) and phone (390x844) widths (benchmarks/screenshots.py sets it).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from browser_files import pdf_bytes  # noqa: E402
from browser_kit import CHROMIUM, CHROMIUM_ARGS, Session, add_case, nav  # noqa: E402
from browser_server import running_server  # noqa: E402
from playwright.sync_api import expect  # noqa: E402


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


@pytest.fixture
def session_for(browser, server):
    made: list[Session] = []

    def make(username: str | None, *, phone: bool = False) -> Session:
        s = Session(browser, server, username, phone=phone)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture(scope="session")
def alpha_case(browser, server):
    """A case of Alpha Legal with a file and a PD request, made by alice in the browser."""
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
