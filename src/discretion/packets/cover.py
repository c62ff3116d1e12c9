"""The one place a packet reaches for the request letter and the evidence checklist.

Both are optional collaborators: the letter becomes the packet's cover and the checklist's
required items feed preflight's missing-exhibit check. When a module is not installed in
this build the functions return None, and callers say so (a cover PDF must then be given,
and preflight notes that the missing-exhibit check was skipped). Only a missing module is
tolerated: an error inside the letter or checklist code is raised as usual.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import date
from types import ModuleType
from typing import Any

from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.packets.preflight import required_from_checklist


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def letters_available() -> bool:
    module = _optional("discretion.letters")
    return module is not None and hasattr(module, "build_letter") and hasattr(module, "render_pdf")


def checklist_available() -> bool:
    module = _optional("discretion.evidence")
    return module is not None and hasattr(module, "build_checklist")


def letter_pdf(
    facts: CaseFacts,
    screening: Any,
    policy: Any,
    *,
    on: date,
    exhibits: Sequence[Exhibit],
    edits: Sequence[Any] = (),
    **options: Any,
) -> bytes | None:
    """The request letter as the packet's cover, PDF bytes, or None without the letter writer.

    Inside a packet the packet's index and page numbering replace the letter's own. ``options``
    go to ``build_letter`` (override, representative, letterhead, send_to); a refusal (a HIGH-risk
    request without an override, an incomplete representative block) is raised as it is. ``edits``
    are the practitioner's (``discretion.letters.edits.Edit``), applied on top."""
    if not letters_available():
        return None
    letters = importlib.import_module("discretion.letters")
    letter = letters.build_letter(
        facts, screening, policy, on=on, exhibits=list(exhibits), in_packet=True, **options
    )
    if edits:
        letter = importlib.import_module("discretion.letters.edits").apply_edits(letter, list(edits))
    pdf = letters.render_pdf(letter)
    assert isinstance(pdf, bytes)
    return pdf


def required_items(facts: CaseFacts, screening: Any, *, on: date) -> dict[str, str] | None:
    """{item id: label} of the checklist's required items, or None without a checklist.

    ``screening`` may be None (no policy in force): the checklist then follows the facts alone."""
    if not checklist_available():
        return None
    evidence = importlib.import_module("discretion.evidence")
    return required_from_checklist(evidence.build_checklist(facts, screening, on=on))
