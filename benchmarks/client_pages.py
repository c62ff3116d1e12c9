"""Page weight, outside requests and axe-core results of every page the person sees, printed.

    .venv/bin/python benchmarks/client_pages.py                 # English and Spanish
    DISCRETION_SCREENSHOTS=screenshots .venv/bin/python benchmarks/client_pages.py   # and save them

Starts a real `discretion serve` (tests/browser/browser_server.py), sets up a consultation
page, hours and a case through the practitioner's pages, then walks every state of the booking
and intake pages at phone size (390x844) in Debian's Chromium (tests/browser/client_walk.py):
for each page the size of its HTML document, all bytes it loaded (CSS included), its requests,
requests to any other host, and axe-core violations of every impact. The goal: at most 50 KB of
HTML, no other host, no violation.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))


def main() -> int:
    from browser_kit import CHROMIUM, CHROMIUM_ARGS, Session
    from browser_server import running_server
    from client_walk import HTML_LIMIT, Figures, invite, set_up, walk
    from playwright.sync_api import sync_playwright

    results: list[Figures] = []
    with running_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        alice = Session(browser, server, "alice")
        code = set_up(alice)
        links = {lang: invite(alice, code, lang) for lang in ("en", "es")}
        alice.close()
        for lang, link in links.items():
            walk(browser, server, lang=lang, invitation=link, results=results)
        browser.close()
    print(f"{'page':<26} {'lang':<4} {'HTML KB':>8} {'all KB':>8} {'reqs':>5} {'other hosts':>11} {'axe':>4}")
    for f in results:
        print(
            f"{f.name:<26} {f.lang:<4} {f.html_bytes / 1024:8.1f} {f.total_bytes / 1024:8.1f} {f.requests:5d}"
            f" {len(f.third_party):11d} {len(f.violations):4d}"
        )
        for v in f.violations:
            print(f"    {v}")
    heaviest = max(results, key=lambda f: f.html_bytes)
    bad = [f for f in results if f.html_bytes > HTML_LIMIT or f.third_party or f.violations]
    print(
        f"\n{len(results)} page states; heaviest HTML {heaviest.html_bytes / 1024:.1f} KB ({heaviest.name}, {heaviest.lang}); "
        f"requests to other hosts: {sum(len(f.third_party) for f in results)}; "
        f"axe violations: {sum(len(f.violations) for f in results)}; "
        f"{'all within the goals' if not bad else f'{len(bad)} page(s) outside the goals'}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
