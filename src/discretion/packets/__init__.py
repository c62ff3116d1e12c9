"""Filing packets: exhibits folder in, one stamped, indexed, bookmarked PDF out.

    exhibits = load_exhibits(folder)                      # manifest.py
    check = run_preflight(exhibits, required=..., max_mb=25)   # preflight.py: findings, no writing
    report = build_packet(cover_pdf, exhibits, caption=..., bates_prefix="LOPEZ-",
                          out_path=Path("packet.pdf"), preflight=check)   # build.py

Pages are bound by one lazy qpdf job (``binding.py``), so memory stays flat at any size.
``cover.py`` holds the one place where the packet reaches for the letter and the evidence
checklist, which are optional: without them the packet is built from a given cover PDF and
the missing-exhibit check is reported as skipped.
"""

from discretion.packets.build import Bookmark, PacketReport, bates_prefix_of, build_packet, caption_of
from discretion.packets.compression import DEFAULT_DPI, Saving
from discretion.packets.manifest import load_exhibits, read_manifest, tab_letter
from discretion.packets.preflight import (
    DEFAULT_MAX_MB,
    MAX_MB_SOURCE,
    Finding,
    Preflight,
    required_from_checklist,
    run_preflight,
)
from discretion.packets.splitting import Part
from discretion.packets.typesetting import Caption

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_MAX_MB",
    "MAX_MB_SOURCE",
    "Bookmark",
    "Caption",
    "Finding",
    "PacketReport",
    "Part",
    "Preflight",
    "Saving",
    "bates_prefix_of",
    "build_packet",
    "caption_of",
    "load_exhibits",
    "read_manifest",
    "required_from_checklist",
    "run_preflight",
    "tab_letter",
]
