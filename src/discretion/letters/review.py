"""The preparer's review sheet: every item to check before the letter goes to OPLA.

The filing copy carries no preparer marks; what the practitioner must check is collected here
instead, each item under its heading, with the source it rests on and the paragraph it is
about: statements resting on a partial or unverified source, quotations to compare with the
memo, unverified addresses, e-mail addresses and form numbers, facts left out for lack of data,
facts dated after the letter's date, relatives the letter does not name, the advice given and
the client's consent, the risks of the request, and any override of a HIGH risk. The same items
appear inline, highlighted, in the ``--draft`` copy (:meth:`Letter.as_draft`).

Rendered as Markdown (for the case folder or a ticket) and as a Letter-size PDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The headings, in the order the sheet lists them. Each item names one of these keys.
HEADINGS: dict[str, str] = {
    "block": "Before sending: must be resolved",
    "override": "HIGH-risk override recorded",
    "advice": "Advice given and the client's consent (never sent to ICE)",
    "risks": "Risks of this request (never sent to ICE)",
    "unsure": "Statements resting on a partial or unverified source",
    "quotes": "Quotations to compare with the source",
    "channel": "Addressee, sending channel and subject line",
    "forms": "Form numbers to verify",
    "missing": "Facts left out for lack of data",
    "later": "Facts dated after the letter's date (left out)",
    "withheld": "Relatives the letter does not name",
    "exhibits": "Exhibits",
    "write": "To write in your own words",
    "edits": "Your edits of the generated wording",
    "other": "Other checks",
}


@dataclass(frozen=True, slots=True)
class Item:
    kind: str  # a key of HEADINGS
    text: str
    anchor: str | None = None  # the letter block it is about: "request.0", "via", "re.Immigration Judge"
    source: str | None = None  # the source it rests on, with its confidence

    def line(self) -> str:
        return f"{self.text} — source: {self.source}" if self.source else self.text


@dataclass(frozen=True)
class Review:
    """What a practitioner checks before sending: the items, and what the sheet is about."""

    case_id: str
    title: str
    date: date
    policy: str
    generator: str
    items: tuple[Item, ...] = field(default=())

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    def at(self, anchor: str) -> list[Item]:
        return [i for i in self.items if i.anchor == anchor]

    @property
    def blocking(self) -> list[Item]:
        return self.of("block")

    def texts(self) -> list[str]:
        return [i.line() for i in self.items]

    def sections(self) -> list[tuple[str, list[Item]]]:
        return [(heading, self.of(key)) for key, heading in HEADINGS.items() if self.of(key)]

    def to_context(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "case_id": self.case_id,
            "date": self.date.isoformat(),
            "date_parts": [self.date.year, self.date.month, self.date.day],
            "policy": self.policy,
            "generator": self.generator,
            "count": len(self.items),
            "sections": [
                {"heading": heading, "items": [{"text": i.text, "source": i.source or ""} for i in items]}
                for heading, items in self.sections()
            ],
        }

    def markdown(self) -> str:
        out = [
            f"# Review sheet: {self.title}",
            "",
            f"Case {self.case_id} · letter dated {self.date.isoformat()} · policy {self.policy} · {self.generator}",
            "",
            "Check every item below before the letter is sent. Nothing on this sheet is in the filing copy;",
            "the `--draft` copy shows the same items highlighted where they apply.",
        ]
        if not self.items:
            out += ["", "Nothing to check."]
        for heading, items in self.sections():
            out += ["", f"## {heading}", ""]
            out += [
                f"- [ ] {_md(i.text)}" + (f" *(source: {_md(i.source)})*" if i.source else "") for i in items
            ]
        return "\n".join(out) + "\n"


def _md(text: str) -> str:
    # Names and free text go into Markdown list items: keep them from becoming markup.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


def dedupe(items: Iterable[Item]) -> tuple[Item, ...]:
    seen: dict[tuple[str, str, str | None], Item] = {}
    for item in items:
        seen.setdefault((item.kind, item.text, item.anchor), item)
    return tuple(seen.values())


def render_review_pdf(review: Review) -> bytes:
    # Imported here: the Markdown sheet needs no Typst.
    from discretion.letters.pdf import TEMPLATES, compile_pdf

    return compile_pdf(TEMPLATES / "review.typ", review.to_context(), on=review.date)
