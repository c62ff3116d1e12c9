"""Preflight: everything wrong with a packet's inputs, found before a single page is written.

Each problem is a Finding. An *error* blocks the build (the file cannot be filed as it is); a
*warning* is filed anyway but the practitioner should look (a repaired PDF, an A4 page, a
foreign-language exhibit without a translation); a *note* is information. Every finding names
the file or exhibit it is about, so the report reads as a to-do list.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pikepdf
from PIL import Image

from discretion.exhibits import Exhibit
from discretion.packets import active_content
from discretion.packets.sources import Source, UnusableFile, inspect, is_letter, paper_name
from discretion.scratch import scratch_dir

Severity = Literal["error", "warning", "note"]

# EOIR's ECAS upload guidelines allow 25 MB per document; larger ones must be split into
# `_Part1`, `_Part2`, ... Source: /work/shared/research/letters-and-filing.md rule table,
# citing [S11], confidence P (a quotation of EOIR's guidelines, not EOIR's own page).
DEFAULT_MAX_MB = 25.0
MAX_MB_SOURCE = "EOIR ECAS upload guidelines, 25 MB per document (quoted, not verified at EOIR)"
TRANSLATION_RULE = (
    "8 C.F.R. §1003.33 requires a certified English translation, with the translator's signed "
    "certificate of competence and accuracy"
)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    subject: str  # the file name, "Exhibit C", or "packet"
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.subject}: {self.message}"


@dataclass(frozen=True)
class Preflight:
    """The findings plus what was learned about each usable file (reused by the build)."""

    findings: tuple[Finding, ...]
    sources: Mapping[Path, Source] = field(default_factory=dict)
    total_bytes: int = 0
    max_bytes: int = int(DEFAULT_MAX_MB * 1024 * 1024)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def report(self) -> str:
        """The findings, errors first, one per line, with a closing count."""
        order = {"error": 0, "warning": 1, "note": 2}
        lines = [str(f) for f in sorted(self.findings, key=lambda f: order[f.severity])]
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        lines.append(f"preflight: {counts}" + ("" if self.ok else " — the packet cannot be built"))
        return "\n".join(lines)


def run_preflight(
    exhibits: Sequence[Exhibit],
    *,
    required: Mapping[str, str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    compress: bool = False,
) -> Preflight:
    """Check every exhibit file (and translation) and the packet as a whole.

    ``required`` maps the checklist's required item ids to their labels; None means no
    checklist was available, which is reported as a note rather than silently skipped.
    """
    findings: list[Finding] = []
    sources: dict[Path, Source] = {}
    # What a folder holds but cannot file (links out of it, pipes, sub-folders...): named, so
    # nothing is dropped without a word (manifest.load_exhibits).
    for unused in getattr(exhibits, "unused", ()):
        findings.append(Finding(unused.severity, unused.name, unused.message))
    for exhibit in exhibits:
        findings.extend(_check_exhibit(exhibit, sources))
    findings.extend(_check_orientation(exhibits, sources))
    findings.extend(_check_required(exhibits, required))
    total = sum(s.size for s in sources.values())
    max_bytes = int(max_mb * 1024 * 1024)
    if total > max_bytes:
        advice = (
            "compression will be applied (--compress); the built size is checked again"
            if compress
            else "use --compress to downsample heavy scans, or --split to write it in parts"
        )
        findings.append(
            Finding(
                "warning",
                "packet",
                f"the exhibits alone are {_mb(total)}, over the {max_mb:g} MB limit ({MAX_MB_SOURCE}); {advice}",
            )
        )
    return Preflight(tuple(findings), sources, total, max_bytes)


def _check_exhibit(exhibit: Exhibit, sources: dict[Path, Source]) -> list[Finding]:
    label = f"Exhibit {exhibit.tab}"
    if exhibit.file is None:
        return [Finding("error", label, f"{exhibit.description!r} has no file")]
    findings = _check_file(exhibit.file, sources)
    if exhibit.translation is not None:
        findings += _check_file(exhibit.translation, sources)
    elif exhibit.needs_translation:
        findings.append(
            Finding(
                "warning",
                exhibit.file.name,
                f"{label} is in language {exhibit.language!r} and has no English translation: "
                f"{TRANSLATION_RULE}. Add it as translation: in exhibits.yaml",
            )
        )
    return findings


def _check_file(path: Path, sources: dict[Path, Source]) -> list[Finding]:
    try:
        source = inspect(path)
    except UnusableFile as exc:
        return [Finding("error", path.name, str(exc))]
    findings = []
    if source.repaired:
        blank = blank_pages(path)
        if blank:
            # qpdf "repaired" the file, but those pages lost what they showed: filing them would
            # file blank paper in place of the evidence.
            return [
                Finding(
                    "error",
                    path.name,
                    f"is damaged: qpdf's repair leaves {_pages(blank, source.pages)} of {source.pages} blank "
                    "(their content was lost); get a fresh copy of the document",
                )
            ]
        findings.append(
            Finding(
                "warning",
                path.name,
                f"was damaged (cut short or a broken cross-reference table) and has been repaired; all "
                f"{source.pages} page(s) still show content, but check that each is complete before filing",
            )
        )
    sources[path] = source
    if source.encrypted:
        findings.append(
            Finding(
                "warning",
                path.name,
                "is encrypted (it opens without a password); the packet holds an unencrypted copy, "
                "as e-filing expects",
            )
        )
    if source.active:
        findings.append(Finding("warning", path.name, active_content.describe_texts(source.active)))
    odd = [(n, shape) for n, shape in enumerate(source.sizes, 1) if not is_letter(shape)]
    if odd:
        sizes = sorted({paper_name(shape) for _, shape in odd})
        findings.append(
            Finding(
                "warning",
                path.name,
                f"{_pages([n for n, _ in odd], source.pages)} {'is' if len(odd) == 1 else 'are'} "
                f"{', '.join(sizes)}, not US Letter 8½ × 11 in (8 C.F.R. §1003.32); "
                "scaled to fit portrait Letter in the packet",
            )
        )
    return findings


def _check_orientation(exhibits: Sequence[Exhibit], sources: Mapping[Path, Source]) -> list[Finding]:
    """What the build turns, so nothing is changed without the practitioner seeing it."""
    findings = []
    for exhibit in exhibits:
        for path in (exhibit.file, exhibit.translation):
            source = sources.get(path) if path else None
            if source is None:
                continue
            name = source.path.name
            turn = exhibit.turn if path == exhibit.file else 0
            landscape = list(source.landscape)
            if turn in (90, 270):  # the practitioner's quarter turn swaps portrait and landscape
                landscape = [n for n in range(1, source.pages + 1) if n not in source.landscape]
            if turn:
                findings.append(
                    Finding("note", name, f"every page turned {turn}° clockwise, as the exhibit list asks")
                )
            if source.rotated:
                how = "its EXIF orientation" if source.is_image else "the page's /Rotate"
                findings.append(
                    Finding(
                        "note", name, f"{_pages(list(source.rotated), source.pages)}: turned upright by {how}"
                    )
                )
            if landscape:
                findings.append(
                    Finding(
                        "warning",
                        name,
                        f"{_pages(landscape, source.pages)} {'is' if len(landscape) == 1 else 'are'} "
                        "landscape: turned to portrait, upright and scaled to the page width (about 77%), "
                        "so the packet reads in a portrait binder; check that small print is still legible",
                    )
                )
    return findings


def _check_required(exhibits: Sequence[Exhibit], required: Mapping[str, str] | None) -> list[Finding]:
    if required is None:
        return [
            Finding(
                "note",
                "checklist",
                "no evidence checklist was available, so missing required exhibits were not checked",
            )
        ]
    proved = {item for exhibit in exhibits for item in exhibit.proves}
    return [
        Finding(
            "warning",
            "checklist",
            f"no exhibit proves required item {item_id!r} ({label}); add it, or list the item under "
            "proves: of the exhibit that covers it",
        )
        for item_id, label in required.items()
        if item_id not in proved
    ]


def required_from_checklist(checklist: Any) -> dict[str, str]:
    """The required items of an evidence checklist as {id: label}.

    Reads items duck-typed (``id``, ``label`` or ``title``, ``required``) so the packet does
    not depend on the checklist's classes, only on those three names.
    """
    items = getattr(checklist, "items", checklist)
    required = {}
    for item in items:
        if getattr(item, "required", False):
            label = getattr(item, "label", None) or getattr(item, "title", None) or item.id
            required[str(item.id)] = str(label)
    return required


def blank_pages(path: Path) -> list[int]:
    """The 1-based pages of ``path``, as qpdf reads it (repairs included), that show nothing.

    The repaired file is rendered (poppler's pdftoppm, at low resolution) and a page whose
    picture has no ink is blank. Without poppler, a page is blank when its content stream draws
    nothing (no text, image, path or shading operator)."""
    with scratch_dir("blank") as scratch:
        repaired = scratch / "repaired.pdf"
        try:
            with pikepdf.open(path) as pdf:
                pdf.save(repaired)
                drawn = [_draws(page) for page in pdf.pages]
        except pikepdf.PdfError:
            return []  # inspect() has already reported a file that cannot be read at all
        if shutil.which("pdftoppm") is None:
            return [n for n, ink in enumerate(drawn, 1) if not ink]
        try:
            subprocess.run(
                ["pdftoppm", "-r", "12", "-gray", "-png", str(repaired), str(Path(scratch) / "p")],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return [n for n, ink in enumerate(drawn, 1) if not ink]
        renders = sorted(scratch.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        blank = []
        for n, render in enumerate(renders, 1):
            with Image.open(render) as image:
                low = image.convert("L").getextrema()[0]
            if isinstance(low, (int, float)) and low >= 250:
                blank.append(n)
        return blank


_PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}


def _draws(page: pikepdf.Page) -> bool:
    try:
        return any(
            str(instruction.operator) in _PAINTING for instruction in pikepdf.parse_content_stream(page)
        )
    except pikepdf.PdfError:
        return False


def _pages(numbers: list[int], total: int) -> str:
    if len(numbers) == total:
        return "all pages" if total > 1 else "the page"
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}" if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(runs)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
