"""The practitioner's own edits of a generated letter, applied on top of it.

A letter is generated from the facts every time; an edit is kept beside it, not instead of it:
which paragraph (its anchor and its source, so an edit follows its factor when another factor
is added above it), the wording it replaced, and the new words. Applying the edits to a freshly
generated letter gives the edited letter, and every edit the review sheet must know about is
listed there: a paragraph whose generated wording has changed since it was edited (the facts
moved), an edit that no longer has a paragraph to go to, and edited words that tell ICE about
the client's exposure or counsel's advice — the filing copy must never do that (issue 7), and
the tool cannot know what a practitioner types, so it says so where the practitioner looks.

Edits are plain data (:meth:`Edit.to_dict`), stored by the web app as numbered versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from discretion.errors import DocumentError
from discretion.letters.model import MARK_PATTERN, Letter, Paragraph, Section
from discretion.letters.review import Item

# Longest paragraph an edit may hold: a page of text. Longer is a paste gone wrong.
MAX_EDIT_CHARS = 6000


@dataclass(frozen=True, slots=True)
class Edit:
    anchor: str  # "equities.2": the section key and the paragraph's place in it
    source: str  # the paragraph's source ("rule:t25.primary_caretaker", "generated", ...)
    base: str  # the generated wording the practitioner edited
    text: str  # the practitioner's words; "" leaves the paragraph out

    def to_dict(self) -> dict[str, str]:
        return {"anchor": self.anchor, "source": self.source, "base": self.base, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Edit:
        return cls(
            str(data["anchor"]), str(data.get("source", "")), str(data.get("base", "")), str(data["text"])
        )


@dataclass(frozen=True, slots=True)
class Editable:
    """One paragraph as the editor shows it."""

    anchor: str
    section: str
    heading: str | None
    style: str
    number: int | None
    source: str
    text: str  # as generated


def editable(letter: Letter) -> list[Editable]:
    """Every paragraph of the letter's body that a practitioner may rewrite, in order."""
    return [
        Editable(p.anchor, s.key, s.heading, p.style, p.number, p.source, p.text)
        for s in letter.sections
        for p in s.paragraphs
    ]


def clean_text(text: str, *, where: str) -> str:
    """A practitioner's paragraph as the letter may hold it, or a DocumentError naming ``where``.

    Line breaks inside a paragraph become spaces; a blank line starts a new paragraph (kept as
    one blank line). A preparer mark ("[check: ...]") is refused: the filing copy never carries
    one, and the marked-up draft adds its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    bad = next((c for c in text if (ord(c) < 32 and c not in "\n\t") or ord(c) == 127), None)
    if bad is not None:
        raise DocumentError(f"{where}: contains a control character (U+{ord(bad):04X}); remove it")
    if len(text) > MAX_EDIT_CHARS:
        raise DocumentError(
            f"{where}: {len(text):,} characters; a paragraph may hold at most {MAX_EDIT_CHARS:,}"
        )
    if re.search(MARK_PATTERN, text, flags=re.IGNORECASE):
        raise DocumentError(
            f"{where}: contains a preparer mark such as “[check: …]”; the filing copy never carries one — "
            "remove it (the review sheet lists what to check)"
        )
    blocks = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join(b for b in blocks if b)


def changed(letter: Letter, texts: Mapping[str, str], previous: Iterable[Edit] = ()) -> list[Edit]:
    """The edits a form submission makes: ``texts`` maps anchors to what the editor holds now.

    A paragraph left as generated is no edit; one the practitioner edited before keeps its
    original base, so the review sheet can still tell when the facts moved under it."""
    before = {e.anchor: e for e in previous}
    out = []
    for para in editable(letter):
        if para.anchor not in texts:
            if para.anchor in before:
                out.append(before[para.anchor])
            continue
        text = clean_text(texts[para.anchor], where=_where(para))
        old = before.get(para.anchor)
        base = old.base if old is not None and old.source == para.source else para.text
        if text == " ".join(para.text.split()) and (old is None or old.base == para.text):
            continue
        out.append(Edit(para.anchor, para.source, base, text))
    return out


def apply_edits(letter: Letter, edits: Sequence[Edit], exposure_terms: Sequence[str] | None = None) -> Letter:
    """``letter`` with the practitioner's words in place and the review sheet told about them.
    ``exposure_terms`` default to the letter wording's (letter-en.yaml)."""
    if not edits:
        return letter
    if exposure_terms is None:
        from discretion.letters.wording import wording

        exposure_terms = wording().exposure_terms
    items: list[Item] = []
    placed: dict[str, Edit] = {}
    anchors = {p.anchor: p for s in letter.sections for p in s.paragraphs}
    by_source: dict[tuple[str, str], str] = {}
    for s in letter.sections:
        for p in s.paragraphs:
            if p.source.startswith("rule:"):
                by_source.setdefault((s.key, p.source), p.anchor)
    for edit in edits:
        target = None
        here = anchors.get(edit.anchor)
        if here is not None and here.source == edit.source:
            target = edit.anchor
        elif edit.source.startswith("rule:"):
            target = by_source.get((edit.anchor.split(".")[0], edit.source))
        if target is None or target in placed:
            items.append(
                Item(
                    "edits",
                    f"Your edit “{_start(edit.text or edit.base)}” no longer has a paragraph to replace "
                    "(the facts or the policy changed the letter): it was left out; add it again if it still applies.",
                )
            )
            continue
        placed[target] = edit
        para = anchors[target]
        if " ".join(para.text.split()) != " ".join(edit.base.split()):
            items.append(
                Item(
                    "edits",
                    f"{_label(para)}: the generated wording has changed since you edited it (the facts changed). "
                    f"Now generated: “{para.text}” Check your words against it.",
                    target,
                )
            )
        found = _exposure(edit.text, exposure_terms)
        if found:
            items.append(
                Item(
                    "block",
                    f"{_label(para)} as edited mentions {', '.join(f'“{t}”' for t in found)}. A letter to ICE never "
                    "states the client's exposure or counsel's advice: take it out unless you are sure it helps.",
                    target,
                )
            )
    sections = tuple(_edited(s, placed) for s in letter.sections)
    sections = tuple(s for s in sections if s.paragraphs or s.key == "request")
    review = letter.review
    if review is not None:
        review = replace(review, items=(*review.items, *items))
    return replace(letter, sections=sections, review=review)


def _edited(section: Section, placed: Mapping[str, Edit]) -> Section:
    out: list[Paragraph] = []
    for p in section.paragraphs:
        edit = placed.get(p.anchor)
        if edit is None:
            out.append(p)
            continue
        for i, block in enumerate(b for b in edit.text.split("\n\n") if b):
            if i == 0:
                out.append(replace(p, text=block, source=f"edited:{p.source}"))
            else:
                # A new paragraph the practitioner added under this one: plain body text.
                out.append(
                    Paragraph(block, "body", None, f"edited:{p.source}", p.exhibits, f"{p.anchor}+{i}")
                )
    return replace(section, paragraphs=tuple(out))


def _exposure(text: str, terms: Sequence[str]) -> list[str]:
    low = text.lower()
    return [t for t in terms if re.search(rf"\b{re.escape(t.lower())}", low)]


def _label(p: Paragraph) -> str:
    if p.number is not None:
        return f"Paragraph {p.number} ({p.anchor.split('.')[0]})"
    return f"The paragraph “{_start(p.text)}”"


def _where(p: Editable) -> str:
    return f"paragraph {p.number}" if p.number is not None else f"paragraph “{_start(p.text)}”"


def _start(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
