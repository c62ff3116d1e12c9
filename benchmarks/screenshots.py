"""Screenshots of every page the browser tests visit, at desktop (1280x900) and phone
(390x844) widths, into screenshots/ (gitignored): look at them before calling a page done.

    .venv/bin/python benchmarks/screenshots.py              # all browser tests
    .venv/bin/python benchmarks/screenshots.py -k journey   # pytest arguments pass through

It runs tests/browser with DISCRETION_SCREENSHOTS set; their look() helper saves
NAME-desktop.png and NAME-phone.png (full page) after the axe check of each page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    env = os.environ | {"DISCRETION_SCREENSHOTS": str(out)}
    args = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "browser"), "-q", "-p", "no:cacheprovider"]
    code = subprocess.call(args + sys.argv[1:], env=env, cwd=ROOT)
    shots = sorted(out.glob("*.png"))
    print(f"{len(shots)} screenshots in {out}")
    return code


if __name__ == "__main__":
    sys.exit(main())
