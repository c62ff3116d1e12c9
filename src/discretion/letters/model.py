"""The request letter as a typed structure of blocks, built once and rendered twice (DOCX, PDF).

Every renderer reads the same :meth:`Letter.to_context` dictionary, so the Word file and the PDF
say the same words. A :class:`Paragraph` records where its words came from (``source``: the
practitioner's narrative, a policy rule, the request data, or generated from facts) and which
exhibits it cites, so a reviewer can trace any sentence. :class:`Provenance` is the snapshot
record the house style asks for: policy id and hash, as-of date, facts digest, generator.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from discretion import prose

VERIFY = "[verify before sending]"
# Every draft mark starts with one of these; both renderers highlight MARK_PATTERN.
MARK_PREFIXES = ("verify", "expand", "fill in", "UNVERIFIED", "partly confirmed")
MARK_PATTERN = r"\[(?:" + "|".join(MARK_PREFIXES) + r")[^\]]*\]"


def fill_in(what: str) -> str:
    """A placeholder for a missing fact the letter cannot do without."""
    return f"[fill in: {what}]"


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


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    heading: str | None  # None: the paragraphs follow the salutation without a heading
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


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
    via: str
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
    warnings: tuple[str, ...] = field(default=())  # for the practitioner; never printed in the letter

    @property
    def title(self) -> str:
        return f"{self.subject} — {self.re[0].value}" if self.re else self.subject

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_context(self) -> dict[str, Any]:
        """The template context shared by the DOCX and PDF templates (documented in docs/letter-template.md)."""
        sections = []
        last = (len(self.sections) - 1, len(self.sections[-1].paragraphs) - 1) if self.sections else (-1, -1)
        for i, s in enumerate(self.sections):
            paragraphs = [
                {
                    "text": p.text,
                    "style": p.style,
                    "numbered": p.style == "numbered",
                    "item": p.style == "item",
                    "number": p.number,
                    # The closing paragraph stays on the page with the signature.
                    "keep": (i, j) == last,
                }
                for j, p in enumerate(s.paragraphs)
            ]
            sections.append({"key": s.key, "heading": s.heading or "", "paragraphs": paragraphs})
        prov = asdict(self.provenance)
        prov["as_of"] = self.provenance.as_of.isoformat()
        prov["line"] = self.provenance.line()
        return {
            "letterhead": {"name": self.letterhead[0], "lines": list(self.letterhead[1:])},
            "date": self.date_text,
            "date_parts": [self.date.year, self.date.month, self.date.day],
            "via": self.via,
            "addressee": list(self.addressee),
            "subject": self.subject,
            "re": [{"label": f.label, "value": f.value} for f in self.re],
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
            "has_exhibits": bool(self.exhibits),
            "enclosures": self.enclosures,
            "footer": self.footer,
            "title": self.title,
            "mark_pattern": MARK_PATTERN,
            "provenance": prov,
        }

    def words(self) -> list[str]:
        """Every printed line of text, in reading order: what a rendered document must contain."""
        out = [*self.letterhead, self.date_text, self.via, *self.addressee, self.subject]
        out += [f"{f.label}: {f.value}" for f in self.re]
        out.append(self.salutation)
        for s in self.sections:
            if s.heading:
                out.append(s.heading)
            out += [p.text for p in s.paragraphs]
        out += [self.signature.closing, self.signature.name, *self.signature.lines]
        if self.enclosures:
            out.append(self.enclosures)
        out += [f"{e.tab} {e.description} {e.pages}".strip() for e in self.exhibits]
        return out
