"""The request letter as a typed structure of blocks, built once and rendered twice (DOCX, PDF).

Every renderer reads the same :meth:`Letter.to_context` dictionary, so the Word file and the PDF
say the same words. A :class:`Paragraph` records where its words came from (``source``: the
practitioner's narrative, a policy rule, the request data, or generated from facts) and which
exhibits it cites, so a reviewer can trace any sentence. :class:`Provenance` is the snapshot
record the house style asks for: policy id and hash, as-of date, facts digest, generator.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Literal

from discretion import prose
from discretion.letters.review import Review
from discretion.letters.transmittal import Transmittal

# Marks appear only in the --draft copy (Letter.as_draft); the filing copy has none, and a test
# reads every filing copy back to prove it. Both renderers highlight MARK_PATTERN.
MARK_PREFIXES = ("check", "verify", "fill in", "write", "UNVERIFIED", "partly confirmed")
MARK_PATTERN = r"\[(?:" + "|".join(MARK_PREFIXES) + r")[^\]]*\]"


# Review items about the request rather than the letter's words stay on the review sheet only:
# a draft is edited and may be sent by mistake, so it never carries the risks or the advice.
NOT_IN_DRAFT = frozenset({"risks", "advice", "override"})


def mark(text: str) -> str:
    """One review item as a draft mark: "[check: ...]" (inner brackets become parentheses, so
    the highlight covers the whole mark)."""
    inner = text.rstrip(".").replace("[", "(").replace("]", ")")
    return f"[check: {inner}]"


Style = Literal["body", "numbered", "item"]


def long_date(d: date) -> str:
    """The date as a U.S. letter writes it: "November 28, 2026"."""
    return prose.long_date(d)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: Style = "body"
    number: int | None = None  # set for numbered paragraphs; renderers print it, never recount
    source: str = "generated"  # generated | narrative.<part> | rule:<id> | request:<action>
    exhibits: tuple[str, ...] = ()  # tabs cited in the text
    anchor: str = ""  # "<section>.<index>", set when the section is built; review items point here


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    heading: str | None  # None: the paragraphs follow the salutation without a heading
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str | None  # None: not in the case file; left out of the filing copy, marked in the draft


@dataclass(frozen=True, slots=True)
class ExhibitRow:
    tab: str
    description: str
    pages: str  # "" when unknown; "4" or "12–15" when the packet knows


@dataclass(frozen=True, slots=True)
class Signature:
    closing: str
    name: str
    lines: tuple[str, ...]  # role, organisation, contact, bar and EOIR numbers, forms on file


@dataclass(frozen=True, slots=True)
class Provenance:
    policy_id: str
    policy_title: str
    policy_sha256: str
    as_of: date
    facts_digest: str
    generator: str
    case_id: str

    def line(self) -> str:
        """One line for document metadata: enough to find the exact inputs again."""
        return (
            f"{self.generator}; policy {self.policy_id} sha256:{self.policy_sha256}; "
            f"as of {self.as_of.isoformat()}; facts sha256:{self.facts_digest}; case {self.case_id}"
        )


@dataclass(frozen=True)
class Letter:
    """A complete request letter. Pure data: no file, template or renderer inside."""

    case_id: str
    action: str
    letterhead: tuple[str, ...]  # first line is the firm or representative name
    date: date
    date_text: str
    via: str | None  # None: no verified channel; the line is left out
    addressee: tuple[str, ...]
    addressee_verified: bool
    subject: str
    re: tuple[Field, ...]
    salutation: str
    sections: tuple[Section, ...]
    signature: Signature
    exhibits: tuple[ExhibitRow, ...]
    enclosures: str
    footer: str
    provenance: Provenance
    review: Review | None = None  # for the practitioner; never printed in the filing copy
    transmittal: Transmittal | None = None  # the e-mail that carries the letter
    draft: bool = False  # the marked-up copy for editing (as_draft), never the one filed
    in_packet: bool = False  # the packet's index and page numbers replace the letter's own
    language: str = "en-US"

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every review item as one line (what the CLI prints and the web app stores)."""
        return tuple(self.review.texts()) if self.review else ()

    @property
    def file_stem(self) -> str:
        """The case id made safe for a file name: ``LOPEZ-2026-014``."""
        return "".join(c if c.isalnum() or c in "-_." else "-" for c in self.case_id)

    @property
    def title(self) -> str:
        return f"{self.subject} — {self.re[0].value}" if self.re and self.re[0].value else self.subject

    def as_draft(self) -> Letter:
        """The same letter with every review item marked where it applies, for editing in Word.

        Items about a paragraph follow it; items about the via line, the addressee, a Re field or
        the signature follow those; the rest open the letter in one draft note."""
        review = self.review
        if review is None or self.draft:
            return replace(self, draft=True)

        def marked(text: str, anchor: str) -> str:
            marks = " ".join(mark(i.text) for i in review.at(anchor) if i.kind not in NOT_IN_DRAFT)
            return f"{text} {marks}".strip() if marks else text

        sections = tuple(
            replace(
                s,
                paragraphs=tuple(replace(p, text=marked(p.text, p.anchor)) for p in s.paragraphs),
            )
            for s in self.sections
        )
        re = tuple(Field(f.label, marked(f.value or "[fill in]", f"re.{f.label}")) for f in self.re)
        via = marked(self.via or "[fill in: sending channel]", "via")
        addressee = (*self.addressee[:-1], marked(self.addressee[-1], "addressee")) if self.addressee else ()
        placed = {p.anchor for s in self.sections for p in s.paragraphs}
        placed |= {"via", "addressee", "signature", "transmittal", *(f"re.{f.label}" for f in self.re)}
        loose = [i for i in review.items if i.anchor not in placed and i.kind not in NOT_IN_DRAFT]
        if loose:
            note = Paragraph(
                "DRAFT FOR REVIEW — not for filing; the risks and the advice record are on the review sheet only. "
                + " ".join(mark(i.text) for i in loose),
                anchor="draft.0",
            )
            first = sections[0] if sections else Section("request", None, ())
            sections = (replace(first, paragraphs=(note, *first.paragraphs)), *sections[1:])
        signature = replace(
            self.signature,
            lines=(*self.signature.lines, *(mark(i.text) for i in review.at("signature"))),
        )
        return replace(
            self, sections=sections, re=re, via=via, addressee=addressee, signature=signature, draft=True
        )

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_context(self) -> dict[str, Any]:
        """The template context shared by the DOCX and PDF templates (documented in docs/letter-template.md)."""
        sections = []
        last = len(self.sections) - 1
        for i, s in enumerate(self.sections):
            paragraphs = [
                {
                    "text": p.text,
                    "style": p.style,
                    "numbered": p.style == "numbered",
                    "item": p.style == "item",
                    "number": p.number,
                    # The last paragraph stays on the page with the signature, so the last
                    # page never holds a signature alone.
                    "keep": i == last and j == len(s.paragraphs) - 1,
                }
                for j, p in enumerate(s.paragraphs)
            ]
            sections.append(
                {"key": s.key, "heading": s.heading or "", "paragraphs": paragraphs, "keep": i == last}
            )
        prov = asdict(self.provenance)
        prov["as_of"] = self.provenance.as_of.isoformat()
        prov["line"] = self.provenance.line()
        return {
            "letterhead": {"name": self.letterhead[0], "lines": list(self.letterhead[1:])},
            "date": self.date_text,
            "date_parts": [self.date.year, self.date.month, self.date.day],
            "via": self.via or "",
            "addressee": list(self.addressee),
            "subject": self.subject,
            "re": [{"label": f.label, "value": f.value} for f in self.re if f.value],
            "salutation": self.salutation,
            "sections": sections,
            "signature": {
                "closing": self.signature.closing,
                "name": self.signature.name,
                "lines": list(self.signature.lines),
            },
            "exhibits": [
                {"tab": e.tab, "description": e.description, "pages": e.pages} for e in self.exhibits
            ],
            # Inside a packet the packet's own index follows the letter.
            "has_exhibits": bool(self.exhibits) and not self.in_packet,
            "enclosures": self.enclosures,
            "footer": self.footer,
            "page_numbers": not self.in_packet,
            "draft": self.draft,
            "title": self.title,
            "language": self.language,
            "mark_pattern": MARK_PATTERN,
            "provenance": prov,
        }

    def words(self) -> list[str]:
        """Every printed line of text, in reading order: what a rendered document must contain."""
        out = [
            *self.letterhead,
            self.date_text,
            *([self.via] if self.via else []),
            *self.addressee,
            self.subject,
        ]
        out += [f"{f.label}: {f.value}" for f in self.re if f.value]
        out.append(self.salutation)
        for s in self.sections:
            if s.heading:
                out.append(s.heading)
            out += [p.text for p in s.paragraphs]
        out += [self.signature.closing, self.signature.name, *self.signature.lines]
        if self.enclosures:
            out.append(self.enclosures)
        if not self.in_packet:
            out += [f"{e.tab} {e.description} {e.pages}".strip() for e in self.exhibits]
        return out
