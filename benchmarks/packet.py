"""Benchmark: packet build time and peak memory against merely reading and copying the inputs.

    .venv/bin/python benchmarks/packet.py                 # 150 and 600 pages
    .venv/bin/python benchmarks/packet.py --pages 150     # quick, while developing
    .venv/bin/python benchmarks/packet.py --compress 200  # also with scans downsampled

Inputs are generated like the stack spike's (docs: /work/shared/research/stack-spike.md §3):
about a quarter of exhibit pages are heavy 300 dpi scans (RGB and gray JPEG, 8-bit gray PNG,
1-bit PNG), the rest text PDFs (some A4, landscape or /Rotate 90). Each measurement runs in
a fresh child process, which reports its own wall time and peak RSS (ru_maxrss), so one
packet's memory never hides another's, and those of the build's worker processes (their CPU
time, and the largest one's peak RSS counted once per core). Goals: a 600-page packet costs at most 10x the copy,
and peak memory stays under 400 MiB at any page count.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core"))

GOAL_RATIO = 10.0
GOAL_MIB = 400.0
SCAN_SHARE = 0.27  # share of exhibit pages that are scans, as in the spike (34 of 150, 155 of 600)

CHILD = r"""
import json, os, resource, shutil, sys, time
from pathlib import Path
mode, folder, out, cover, compress = sys.argv[1:6]
if mode == "build":
    from discretion.packets import Caption, build_packet, load_exhibits
start = time.perf_counter()
cpu_start = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
kids_cpu_start = sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])
if mode == "copy":
    # The floor: read every input byte once and write it once, streamed.
    with open(out, "wb") as sink:
        for path in sorted(Path(folder).iterdir()):
            with path.open("rb") as source:
                shutil.copyfileobj(source, sink, 1 << 20)
    pages = 0
else:
    report = build_packet(
        Path(cover).read_bytes(), load_exhibits(Path(folder)),
        caption=Caption("Bench Respondent", "000-000-000", "BENCH-1"), bates_prefix="BENCH-",
        out_path=Path(out), compress_dpi=int(compress) or None,
    )
    pages = report.pages
seconds = time.perf_counter() - start
# The build's worker processes (image conversion) have exited and been waited for by now, so
# RUSAGE_CHILDREN holds their CPU time and the peak RSS of the largest of them.
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = sum(own[:2]) - cpu_start + sum(kids[:2]) - kids_cpu_start
print(json.dumps({
    "seconds": seconds, "cpu": cpu, "own_mib": own.ru_maxrss / 1024, "worker_mib": kids.ru_maxrss / 1024,
    # An upper bound for the whole process tree: every worker (at most one per core) at the
    # largest one's peak, all at once; forked workers share pages with the parent, so less.
    "peak_mib": own.ru_maxrss / 1024 + (os.cpu_count() or 1) * kids.ru_maxrss / 1024,
    "pages": pages, "bytes": Path(out).stat().st_size,
}))
"""


def make_templates(work: Path) -> dict[str, Path]:
    """A handful of distinct inputs; the packets copy them under new names."""
    import packet_fixtures as fx  # only in the generating child: see main()

    t = work / "templates"
    t.mkdir()
    return {
        "scan-rgb.jpg": fx.scan(t / "scan-rgb.jpg", dpi=300),
        "scan-gray.jpg": _gray_jpeg(fx.scan(t / "scan-g.png", dpi=300, kind="png"), t / "scan-gray.jpg"),
        "scan-gray.png": fx.scan(t / "scan-gray.png", dpi=300, kind="png"),
        "scan-1bit.png": _one_bit(t / "scan-gray.png", t / "scan-1bit.png"),
        "text4.pdf": fx.text_pdf(t / "text4.pdf", 4),
        "text6.pdf": fx.text_pdf(t / "text6.pdf", 6),
        "a4.pdf": fx.text_pdf(t / "a4.pdf", 3, size=fx.A4),
        "wide.pdf": fx.text_pdf(t / "wide.pdf", 2, size=(792, 612)),
        "rotated.pdf": fx.text_pdf(t / "rotated.pdf", 3, rotate=90),
    }


def _gray_jpeg(png: Path, out: Path) -> Path:
    from PIL import Image

    with Image.open(png) as image:
        image.save(out, "JPEG", quality=85, dpi=(300, 300))
    png.unlink()
    return out


def _one_bit(source: Path, out: Path) -> Path:
    from PIL import Image

    with Image.open(source) as image:
        image.point(lambda v: 255 if v > 150 else 0).convert("1").save(out, dpi=(300, 300))
    return out


def make_folder(work: Path, templates: dict[str, Path], pages: int) -> tuple[Path, int]:
    """An exhibits folder whose exhibit pages total about ``pages``; returns it and its byte size."""
    folder = work / f"exhibits-{pages}"
    folder.mkdir()
    scans = ["scan-rgb.jpg", "scan-gray.jpg", "scan-gray.png", "scan-1bit.png"]
    texts = [
        ("text4.pdf", 4),
        ("text6.pdf", 6),
        ("a4.pdf", 3),
        ("wide.pdf", 2),
        ("rotated.pdf", 3),
        ("text4.pdf", 4),
    ]
    # Cover (3), index (1-2) and tab pages count towards the total, as in the spike.
    target_scans = round(pages * SCAN_SHARE)
    made, n, scan_i, text_i = 0, 0, 0, 0
    budget = pages - 4
    while made < budget:
        n += 1
        if scan_i < target_scans and (n % 4 == 0 or made + 1 >= budget - (target_scans - scan_i) * 2):
            name = scans[scan_i % len(scans)]
            scan_i += 1
            made += 2  # tab page + scan page
        else:
            name, count = texts[text_i % len(texts)]
            text_i += 1
            made += 1 + count
        shutil.copyfile(templates[name], folder / f"{n:03d} - exhibit {n}{Path(name).suffix}")
    return folder, sum(p.stat().st_size for p in folder.iterdir())


def generate(work: Path, pages: list[int]) -> None:
    import packet_fixtures as fx

    templates = make_templates(work)
    fx.text_pdf(work / "cover.pdf", 3, title="COVER LETTER")
    for count in pages:
        make_folder(work, templates, count)


def child(mode: str, folder: Path, out: Path, cover: Path, compress: int) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(folder), str(out), str(cover), str(compress)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, nargs="+", default=[150, 600])
    parser.add_argument("--rounds", type=int, default=1, help="runs per measurement; the median is shown")
    parser.add_argument("--generate", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument(
        "--compress", type=int, default=0, metavar="DPI", help="also build with --compress DPI"
    )
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate), args.pages)
        return
    with tempfile.TemporaryDirectory(prefix="bench-packet-") as tmp:
        work = Path(tmp)
        print("generating inputs ...", flush=True)
        # In a child: Linux carries a process's peak RSS across fork+exec, so a parent that had
        # just held 300 dpi scans in memory would inflate every child's figure.
        subprocess.run(
            [sys.executable, __file__, "--generate", str(work), "--pages", *map(str, args.pages)], check=True
        )
        cover = work / "cover.pdf"
        print(
            f"{'pages':>6} {'input MB':>9} {'copy s':>7} {'build s':>8} {'cpu s':>6} {'ratio':>6} "
            f"{'peak MiB':>9} {'own+wkr':>9} {'copy MiB':>9} {'out MB':>7} {'process s':>9}  variant"
        )
        verdicts = []
        for pages in args.pages:
            folder = work / f"exhibits-{pages}"
            size = sum(p.stat().st_size for p in folder.iterdir())
            variants = [("plain", 0)] + (
                [(f"compress {args.compress} dpi", args.compress)] if args.compress else []
            )
            for label, dpi in variants:
                copy = _median(
                    [child("copy", folder, work / "copy.bin", cover, 0) for _ in range(args.rounds)]
                )
                build = _median(
                    [child("build", folder, work / "packet.pdf", cover, dpi) for _ in range(args.rounds)]
                )
                ratio = build["seconds"] / copy["seconds"]
                print(
                    f"{int(build['pages']):>6} {size / 1e6:>9.1f} {copy['seconds']:>7.3f} {build['seconds']:>8.2f} "
                    f"{build['cpu']:>6.2f} "
                    f"{ratio:>6.1f} {build['peak_mib']:>9.0f} "
                    f"{build['own_mib']:>4.0f}+{build['worker_mib']:<4.0f} {copy['peak_mib']:>9.0f} "
                    f"{build['bytes'] / 1e6:>7.1f} {build['wall']:>9.2f}  {label}",
                    flush=True,
                )
                verdicts.append((pages, label, ratio, build["peak_mib"]))
                (work / "packet.pdf").unlink()
                (work / "copy.bin").unlink()
            shutil.rmtree(folder)
        print(
            "\n'build s' and 'copy s' are wall time inside the child after imports (a warm worker);\n"
            "'cpu s' is the build's user+system CPU, its worker processes' included;\n"
            "'peak MiB' counts the build process plus one worker per core at the largest worker's\n"
            "peak ('own+wkr': the two figures), an upper bound for the whole process tree;\n"
            "'process s' is the whole child process: interpreter start, imports (about 1 s) and build."
        )
        for pages, label, ratio, peak in verdicts:
            # The time goal is stated for a 600-page packet, where fixed costs (Typst, qpdf
            # start-up) weigh least; at other sizes the ratio is shown for comparison only.
            if pages >= 600:
                time_note = f"goal <= {GOAL_RATIO:g}x: {'ok' if ratio <= GOAL_RATIO else 'OVER'}"
            else:
                time_note = f"the {GOAL_RATIO:g}x goal is for 600 pages"
            mem_ok = "ok" if peak < GOAL_MIB else "OVER"
            print(
                f"{pages} pages ({label}): build/copy = {ratio:.1f}x ({time_note}); "
                f"peak {peak:.0f} MiB (goal < {GOAL_MIB:g}: {mem_ok})"
            )


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: sorted(run[key] for run in runs)[len(runs) // 2] for key in runs[0]}


if __name__ == "__main__":
    main()
