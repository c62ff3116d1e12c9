"""Proofs of presence typed as items: a line of text is split and each piece gets a kind.

"lease, 2019 tax return; school records" typed on one line, entered one by one, or written as
schema 1's list of words all give the same typed list, so how someone types can never change
a result. A piece that names no known kind becomes ``other`` with the words kept as its
description (never dropped). A four-digit year in the piece becomes its date.
"""

from __future__ import annotations

import re
from typing import Any

from discretion.facts import ProofKind

# Words (English and Spanish, lower case) that name each kind; first match wins.
_KIND_WORDS: tuple[tuple[ProofKind, tuple[str, ...]], ...] = (
    (ProofKind.TAX_RETURN, ("tax", "taxes", "w-2", "w2", "1040", "itin", "impuesto")),
    (ProofKind.LEASE, ("lease", "rent", "rental", "renta", "alquiler", "contrato de arrendamiento")),
    (ProofKind.SCHOOL_RECORD, ("school", "transcript", "report card", "diploma", "escuela", "escolar")),
    (ProofKind.MEDICAL_RECORD, ("medical", "hospital", "clinic", "doctor", "vaccin", "médic", "medic")),
    (ProofKind.PAY_STUB, ("pay stub", "paystub", "payslip", "pay slip", "talón", "talon de pago")),
    (
        ProofKind.EMPLOYMENT_LETTER,
        ("employer letter", "employment letter", "work letter", "carta de trabajo"),
    ),
    (ProofKind.AFFIDAVIT, ("affidavit", "sworn statement", "declaration", "declaración", "declaracion")),
    (ProofKind.PROPERTY_RECORD, ("mortgage", "deed", "property tax", "hipoteca")),
    (ProofKind.BANK_STATEMENT, ("bank", "banco", "statement")),
    (
        ProofKind.UTILITY_BILL,
        ("utility", "electric", "gas bill", "water bill", "phone bill", "bill", "factura"),
    ),
    (ProofKind.RELIGIOUS_RECORD, ("church", "baptism", "parish", "iglesia", "bautizo", "mosque", "temple")),
    (
        ProofKind.IMMIGRATION_RECORD,
        (
            "i-94",
            "i94",
            "nta",
            "receipt notice",
            "approval notice",
            "uscis",
            "eoir",
            "daca",
            "passport",
            "visa",
        ),
    ),
    (ProofKind.COURT_RECORD, ("court", "corte", "traffic ticket", "citation")),
    (ProofKind.BIRTH_CERTIFICATE_OF_CHILD, ("birth certificate", "acta de nacimiento")),
    (ProofKind.REMITTANCE_RECEIPT, ("remittance", "money transfer", "western union", "envío", "envio")),
    (ProofKind.PHOTO, ("photo", "picture", "foto")),
)
_SPLIT = re.compile(r"[,;\n]+")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")


def kind_of(text: str) -> ProofKind:
    """The proof kind a piece of text names (``other`` when it names none)."""
    lowered = text.strip().lower()
    for kind in ProofKind:
        if lowered in (kind.value, kind.value.replace("_", " ")):
            return kind
    for kind, words in _KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return ProofKind.OTHER


def split_line(text: str) -> list[str]:
    """A line of proofs as its pieces: commas, semicolons and line breaks separate them."""
    return [piece.strip() for piece in _SPLIT.split(text) if piece.strip()]


def item_from_text(text: str) -> dict[str, Any]:
    """One piece of text as a proof item (kind, the words as description, a year if named)."""
    kind = kind_of(text)
    item: dict[str, Any] = {"kind": kind.value}
    if text.strip().lower() not in (kind.value, kind.value.replace("_", " ")):
        item["description"] = text.strip()
    years = _YEAR.findall(text)
    if years:
        item["dated_from"] = min(years)
        if max(years) != min(years):
            item["dated_to"] = max(years)
    return item


def proof_items(value: object) -> object:
    """Normalise the ``presence.proofs`` input: a line of text or a list of strings to items."""
    if isinstance(value, str):
        return [item_from_text(piece) for piece in split_line(value)]
    if isinstance(value, list):
        out: list[object] = []
        for entry in value:
            if isinstance(entry, str):
                out += [item_from_text(piece) for piece in split_line(entry)]
            else:
                out.append(entry)
        return out
    return value
