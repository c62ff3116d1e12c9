"""Benchmark: our DOCX + PDF per letter against LibreOffice converting the same DOCX to PDF.

    .venv/bin/python benchmarks/letters.py              # 7 rounds ours, 3 rounds LibreOffice
    .venv/bin/python benchmarks/letters.py --rounds 3   # quicker, on a busy machine

Each round changes the case (name, A-number, narrative, exhibit descriptions) so nothing can be
served from a cache (Typst memoizes layout). Ours: ``build_letter`` + ``render_docx`` and
``render_pdf`` in this process, warm (after one unmeasured render). LibreOffice: ``soffice
--headless --convert-to pdf`` of the DOCX we rendered, a new process and a fresh profile folder
each round, which is how a web worker without a running office server would do it. Goal: ours at
least 10x faster than the conversion. Prints medians and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from discretion.casefile import load_case  # noqa: E402
from discretion.exhibits import Exhibit  # noqa: E402
from discretion.letters import build_letter, render_docx, render_pdf  # noqa: E402
from discretion.policies import shipped  # noqa: E402
from discretion.screening import screen  # noqa: E402

GOAL = 10.0
ON = date(2026, 11, 28)
FIRST = ["María Elena", "Ana Lucía", "José Luis", "Daniela", "Tomás", "Rosa Isela", "Mateo", "Guadalupe"]
LAST = ["López Hernández", "García Ruiz", "Martínez Soto", "Pérez Díaz", "Ramírez Cruz", "Flores Vega"]


def variant(base, i: int):
    """The example case with round-specific data, so each render is new work."""
    name = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}"
    identity = base.identity.model_copy(update={"name": name, "a_number": f"{208555014 + i * 7919:09d}"[-9:]})
    narrative = base.narrative.model_copy(
        update={
            "introduction": f"{name} has lived in the United States for {18 + i % 9} years. " * (2 + i % 3),
            "equities": "The family's letters describe daily care, school runs and medical visits. "
            * (3 + i % 4),
            "negative_factors": "The single traffic matter was resolved long ago. " * (1 + i % 2),
        }
    )
    return base.model_copy(update={"identity": identity, "narrative": narrative, "case_id": f"BENCH-{i:03d}"})


def exhibits(i: int) -> list[Exhibit]:
    return [
        Exhibit(
            chr(65 + k),
            f"Exhibit {k + 1} for round {i}: records, letters and declarations",
            pages=1 + (i + k) % 9,
        )
        for k in range(12 + i % 6)
    ]


def ours(rounds: int, workdir: Path) -> tuple[list[float], list[float], list[Path]]:
    base = load_case(ROOT / "examples" / "maria-lopez.yaml")
    policy = shipped().select(ON)
    warm = variant(base, 999)
    letter = build_letter(warm, screen(warm, policy, on=ON), policy, on=ON, exhibits=exhibits(999))
    render_docx(letter), render_pdf(letter)  # first render loads fonts and templates: not measured
    docx_times, pdf_times, files = [], [], []
    for i in range(rounds):
        facts = variant(base, i)
        start = time.perf_counter()
        letter = build_letter(facts, screen(facts, policy, on=ON), policy, on=ON, exhibits=exhibits(i))
        docx = render_docx(letter)
        mid = time.perf_counter()
        render_pdf(letter)
        end = time.perf_counter()
        docx_times.append(mid - start)
        pdf_times.append(end - mid)
        path = workdir / f"letter-{i}.docx"
        path.write_bytes(docx)
        files.append(path)
    return docx_times, pdf_times, files


def libreoffice(files: list[Path], rounds: int, workdir: Path) -> list[float]:
    times = []
    for i, path in enumerate(files[:rounds]):
        profile = workdir / f"lo-profile-{i}"
        start = time.perf_counter()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(workdir),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        times.append(time.perf_counter() - start)
    return times


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="letters rendered by us (default 7)")
    parser.add_argument("--lo-rounds", type=int, default=3, help="LibreOffice conversions (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp:
        workdir = Path(tmp)
        docx_t, pdf_t, files = ours(args.rounds, workdir)
        both = [d + p for d, p in zip(docx_t, pdf_t, strict=True)]
        print(f"letters rendered: {args.rounds} (data varied every round), policy in force on {ON}")
        print(f"ours  build + DOCX (docxtpl)   median {ms(docx_t)}")
        print(f"ours  PDF (Typst)              median {ms(pdf_t)}")
        print(f"ours  DOCX + PDF per letter    median {ms(both)}")
        if shutil.which("soffice") is None:
            print("LibreOffice (soffice) not installed: no comparison")
            return 0
        lo = libreoffice(files, max(1, min(args.lo_rounds, len(files))), workdir)
        print(f"LibreOffice DOCX -> PDF        median {ms(lo)}  ({len(lo)} runs, fresh profile each)")
        ratio = statistics.median(lo) / statistics.median(both)
        verdict = "meets" if ratio >= GOAL else "MISSES"
        print(
            f"ratio: LibreOffice conversion / our DOCX + PDF = {ratio:.1f}x ({verdict} the {GOAL:.0f}x goal)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
