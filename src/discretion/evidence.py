"""The evidence checklist: which documents prove the facts a request relies on, and which are in hand.

Items are data (``data/evidence.yaml``): a title, the fact it proves, citations and a
confidence tag. Each names a trigger in :mod:`discretion.evidence_triggers` that decides from
the facts whether the item is needed and for whom. The screening decides how much each item
matters: an item is **required** when it proves identity or representation, answers a negative
fact that must be addressed candidly (criminal history, expedited-removal exposure), documents
pending relief, or proves a favourable factor that a *met* finding of the screening reads (the
letter will rely on it). Other items are **recommended**. A met finding whose facts no item
covers gets an item of its own built from the policy's evidence hints, so nothing the letter
argues goes unproven.

Exhibits (``Exhibit.proves`` holds item ids) mark items provided, missing, or provided but
still needing a certified English translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.evidence_triggers import TRIGGERS, Ask, Hit
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.predicates import Outcome
from discretion.rules import Citation, CitationView, Confidence, Finding, Kind, Source, resolve
from discretion.screening import Screening

EVIDENCE_FILE = Path(__file__).parent / "data" / "evidence.yaml"
PROVIDED, MISSING, NEEDS_TRANSLATION = "provided", "missing", "needs translation"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemData(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    when: str
    basis: str = Field(pattern=r"^(identity|representation|favourable|negative|relief)$")
    supporting: bool = False
    advocacy: bool = False
    title: str
    detail: str | None = None
    proves: str
    facts: list[str] = Field(min_length=1)
    issued: str = Field(pattern=r"^(abroad|us|any|declaration)$")
    cite: list[Citation] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None
    because: str | None = Field(
        None, description="Why the item is required, when the basis alone says too little."
    )


class TranslationRule(_Strict):
    text: str
    cite: list[Citation]
    confidence: Confidence


class EvidenceFile(_Strict):
    title: str
    sources: list[Source] = Field(min_length=1)
    interpretation: str
    translation: TranslationRule
    items: list[ItemData] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One document to gather. ``status`` is ``missing`` until exhibits are matched."""

    id: str
    title: str
    detail: str | None
    proves: str
    why: str
    basis: str
    required: bool
    requirement: str  # why required or recommended, in words
    fact_paths: tuple[str, ...]
    rule_ids: tuple[str, ...]
    citations: tuple[CitationView, ...]
    confidence: Confidence
    translation: str | None  # the note shown when the document may not be in English
    advocacy: bool = False
    note: str | None = None
    status: str = MISSING
    exhibits: tuple[str, ...] = ()  # tabs of the exhibits that prove it

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "detail": self.detail,
            "proves": self.proves,
            "why": self.why,
            "basis": self.basis,
            "required": self.required,
            "requirement": self.requirement,
            "facts": list(self.fact_paths),
            "rules": list(self.rule_ids),
            "citations": [c.to_dict() for c in self.citations],
            "confidence": self.confidence.value,
            "translation": self.translation,
            "advocacy": self.advocacy,
            "note": self.note,
            "status": self.status,
            "exhibits": list(self.exhibits),
        }


@dataclass(frozen=True, slots=True)
class Question:
    """A fact to ask about: until it is known, the checklist may be missing items."""

    path: str
    question: str
    for_items: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "question": self.question, "for_items": list(self.for_items)}


@dataclass(frozen=True)
class Checklist:
    """Documents to gather for one case, with the questions still open.

    >>> checklist = build_checklist(facts, screening).with_exhibits(exhibits)
    >>> [i.id for i in checklist.required if i.status != "provided"]
    """

    items: tuple[ChecklistItem, ...]
    questions: tuple[Question, ...]
    policy_id: str | None
    on: date | None
    translation_rule: str
    translation_citations: tuple[CitationView, ...]
    unmatched_exhibits: tuple[str, ...] = ()
    exhibits_checked: bool = False

    @property
    def required(self) -> list[ChecklistItem]:
        return [i for i in self.items if i.required]

    @property
    def recommended(self) -> list[ChecklistItem]:
        return [i for i in self.items if not i.required]

    def get(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"no checklist item {item_id!r}")

    def with_exhibits(self, exhibits: list[Exhibit] | tuple[Exhibit, ...]) -> Checklist:
        """Mark each item provided, missing or needing translation from ``exhibits``."""
        items = []
        claimed: set[str] = set()
        for item in self.items:
            keys = {item.id, *(r for r in item.rule_ids if item.id.startswith("factor."))}
            proving = [e for e in exhibits if keys & set(e.proves)]
            claimed |= {p for e in proving for p in e.proves if p in keys}
            if not proving:
                items.append(replace(item, status=MISSING, exhibits=()))
                continue
            untranslated = all(e.needs_translation and e.translation is None for e in proving)
            status = NEEDS_TRANSLATION if untranslated else PROVIDED
            items.append(replace(item, status=status, exhibits=tuple(e.tab for e in proving)))
        known = {i.id for i in self.items} | {r for i in self.items for r in i.rule_ids}
        unmatched = tuple(
            self._unmatched(e.tab, p)
            for e in exhibits
            for p in e.proves
            if p not in known and p not in claimed
        )
        return replace(self, items=tuple(items), unmatched_exhibits=unmatched, exhibits_checked=True)

    def _unmatched(self, tab: str, proved: str) -> str:
        # A per-person item id without its person is the commonest slip: name the choices.
        choices = [i.id for i in self.items if i.id.startswith(proved + ".")]
        if choices:
            return f"exhibit {tab}: proves {proved!r}; name which one: {', '.join(choices)}"
        return f"exhibit {tab}: proves {proved!r}, which is not on this checklist"

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract": "discretion.checklist/1",
            "policy": self.policy_id,
            "as_of": self.on.isoformat() if self.on else None,
            "translation_rule": {
                "text": self.translation_rule,
                "citations": [c.to_dict() for c in self.translation_citations],
            },
            "required": [i.to_dict() for i in self.required],
            "recommended": [i.to_dict() for i in self.recommended],
            "questions": [q.to_dict() for q in self.questions],
            "exhibits_checked": self.exhibits_checked,
            "unmatched_exhibits": list(self.unmatched_exhibits),
        }


def load_evidence(path: Path = EVIDENCE_FILE) -> tuple[EvidenceFile, dict[str, Source]]:
    """Read and check an evidence data file; errors name the file, line and item."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or '?'}: {exc}") from None
    try:
        parsed = EvidenceFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the real key "missing"; the typo is the useful report.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        msg = "unexpected key" if err["type"] == "extra_forbidden" else err["msg"]
        raise DocumentError(f"{path.name}:{line or '?'}: {'.'.join(map(str, loc))}: {msg}") from None
    sources = {s.id: s for s in parsed.sources}
    seen: set[str] = set()
    for item in parsed.items:
        if item.id in seen:
            raise DocumentError(f"{path.name}: item {item.id!r}: duplicate id")
        seen.add(item.id)
        if item.when not in TRIGGERS:
            raise DocumentError(f"{path.name}: item {item.id!r}: no trigger named {item.when!r}")
        for c in [*item.cite, *parsed.translation.cite]:
            if c.source not in sources:
                raise DocumentError(f"{path.name}: item {item.id!r}: cites unknown source {c.source!r}")
    return parsed, sources


@cache
def _shipped() -> tuple[EvidenceFile, dict[str, Source]]:
    return load_evidence()


_INDEX = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class _Read:
    """The facts one finding reads, grouped by field with the list indices stripped:
    ``family[12].status`` is field ``family.status`` at index 12 of list ``family``."""

    unindexed: frozenset[str]
    indexed: dict[str, dict[str, frozenset[str]]]  # field -> list prefix -> indices

    @classmethod
    def of(cls, finding: Finding) -> _Read:
        unindexed: set[str] = set()
        indexed: dict[str, dict[str, set[str]]] = {}
        for path in (*finding.facts_used, *finding.missing):
            index = _INDEX.search(path)
            field = _INDEX.sub("", path)
            if index is None:
                unindexed.add(field)
            else:
                indexed.setdefault(field, {}).setdefault(path[: index.start()], set()).add(index[1])
        return cls(
            frozenset(unindexed),
            {f: {p: frozenset(i) for p, i in by.items()} for f, by in indexed.items()},
        )


def _reads(finding: Finding, patterns: list[str], hit_path: str, read: _Read | None = None) -> bool:
    """Does ``finding`` read a fact this item proves, for the same person or event?

    A pattern names a fact field (``family.status``); ``x.*`` also covers every field under
    ``x``. A finding that reads a whole list (``family``) reads each field in it. A finding
    about ``family[2]`` never supports an item for ``family[0]``.

    ``read`` is the finding's paths grouped once (``_Read.of``): a finding about every relative
    names each of them, so testing its paths one by one for each relative's item made the
    checklist quadratic in the size of the family (4,000 relatives took 46 s).
    """
    read = read or _Read.of(finding)
    own = _INDEX.search(hit_path)
    for field in (*read.unindexed, *read.indexed):
        if not _field_matches(field, patterns):
            continue
        if field in read.unindexed or own is None:
            return True
        # Indexed reads count unless every one is about another item of the hit's own list.
        prefix = hit_path[: own.start()]
        for list_prefix, indices in read.indexed[field].items():
            if list_prefix != prefix or own[1] in indices:
                return True
    return False


def _field_matches(field: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        base = pattern.removesuffix(".*")
        if (
            field == base
            or pattern.startswith(field + ".")
            or (pattern.endswith(".*") and field.startswith(base + "."))
        ):
            return True
    return False


def _fill(text: str, values: dict[str, str]) -> str:
    try:
        return text.format(**values)
    except (KeyError, IndexError) as exc:
        raise DocumentError(f"evidence.yaml: {text!r} uses {exc} which its trigger does not give") from None


def _weight(item: ItemData, supports: list[Finding], screened: bool) -> tuple[bool, str]:
    if item.supporting:
        return False, "corroboration or advocacy: helps, but proves no factor by itself"
    if item.because and item.basis != "favourable":
        return True, item.because
    if item.basis == "identity":
        return True, "identity: every request must prove who the respondent is"
    if item.basis == "representation":
        # Asked for only when the person is represented: OPLA also takes requests from
        # unrepresented people (digest §1.7), but a representative needs the notice of appearance
        # on file to advocate for the person (G-28 for DHS; EOIR-28 in court; digest §2.2).
        return (
            True,
            "representation: the person is represented, and the representative needs this notice of appearance on file to act for them",
        )
    if item.basis == "negative":
        return True, "a negative fact must be addressed candidly, with proof"
    if item.basis == "relief":
        return True, "the letter's relief posture relies on it"
    met = [f for f in supports if f.outcome is Outcome.MET and f.kind in (Kind.MITIGATING, Kind.RELIEF)]
    if met:
        return True, "proves a favourable factor met in the screening: " + ", ".join(f.id for f in met)
    if not screened:
        return False, "favourable fact; no policy screening to weigh it against"
    return False, "favourable fact; no met factor of the policy in force relies on it"


def _translation(item: ItemData, facts: CaseFacts, interpretation: str) -> str | None:
    if item.issued == "us":
        return None
    if item.issued == "declaration":
        identity = facts.identity
        english = any(lang.lower().startswith("english") for lang in identity.languages or [])
        if identity.needs_interpreter or (identity.languages and not english):
            return interpretation
        return "if written in another language, file a certified English translation"
    if item.issued == "abroad":
        return "usually issued abroad: file a certified English translation unless it is in English"
    return "if not in English, file a certified English translation"


def build_checklist(facts: CaseFacts, screening: Screening | None, *, on: date | None = None) -> Checklist:
    """Derive the evidence checklist for ``facts``, weighted by ``screening`` (None: facts only)."""
    data, sources = _shipped()
    findings = (*screening.findings, *screening.risks, *screening.relief) if screening else ()
    on = screening.on if screening else on
    rule_text = data.translation.text
    reads = {id(f): _Read.of(f) for f in findings}
    items: list[ChecklistItem] = []
    asks: dict[str, tuple[Ask, list[str]]] = {}
    for item in data.items:
        occasions = TRIGGERS[item.when](facts, on)
        for ask in occasions.asks:
            asks.setdefault(ask.path, (ask, []))[1].append(item.id)
        for hit in occasions.hits:
            items.append(
                _item(
                    item,
                    hit,
                    findings,
                    sources,
                    screened=screening is not None,
                    facts=facts,
                    note=data.interpretation,
                    reads=reads,
                )
            )
    covered = {r for i in items for r in i.rule_ids}
    # Relief flags and risks are for review, not arguments of the letter: no items of their own.
    weighed = (Kind.PRIORITY, Kind.AGGRAVATING, Kind.MITIGATING)
    for finding in findings:
        if finding.outcome is Outcome.MET and finding.kind in weighed and finding.id not in covered:
            items.append(_factor_item(finding))
    if screening is not None:
        items += _records_to_request(screening, {i.id for i in items})
    questions = tuple(Question(a.path, a.question, tuple(ids)) for a, ids in asks.values())
    return Checklist(
        items=tuple(items),
        questions=questions,
        policy_id=screening.policy_id if screening else None,
        on=on,
        translation_rule=rule_text,
        translation_citations=tuple(resolve(c, sources) for c in data.translation.cite),
        exhibits_checked=False,
    )


def _item(
    item: ItemData,
    hit: Hit,
    findings: tuple[Finding, ...],
    sources: dict[str, Source],
    *,
    screened: bool,
    facts: CaseFacts,
    note: str,
    reads: dict[int, _Read] | None = None,
) -> ChecklistItem:
    supports = [f for f in findings if _reads(f, item.facts, hit.path, (reads or {}).get(id(f)))]
    required, requirement = _weight(item, supports, screened)
    proves = _fill(item.proves, hit.values)
    relevant = [f for f in supports if f.outcome is not Outcome.NOT_MET]
    why = f"Proves {proves} (fact: {hit.path})"
    if relevant:
        why += "; supports " + ", ".join(f"{f.id} [{f.outcome.value}]" for f in relevant)
    return ChecklistItem(
        id=f"{item.id}.{hit.key}" if hit.key else item.id,
        title=_fill(item.title, hit.values),
        detail=_fill(item.detail, hit.values) if item.detail else None,
        proves=proves,
        why=why + ".",
        basis=item.basis,
        required=required,
        requirement=requirement,
        fact_paths=(hit.path,),
        rule_ids=tuple(f.id for f in relevant),
        citations=tuple(resolve(c, sources) for c in item.cite),
        confidence=item.confidence,
        translation=_translation(item, facts, note),
        advocacy=item.advocacy,
        note=item.note,
    )


def _words(path: str) -> str:
    """``entry.paroles[0].ends_on`` -> "entry › paroles #1 › ends on"."""
    parts = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        index = index.rstrip("]")
        parts.append(name.replace("_", " ") + (f" #{int(index) + 1}" if index.isdigit() else ""))
    return " › ".join(parts)


def _records_to_request(screening: Screening, taken: set[str]) -> list[ChecklistItem]:
    """Items for the records that settle the facts the screening is missing (data/records.yaml):
    the same documents its "Ask" lines name, so the checklist and the screen agree."""
    from discretion.records import records

    table = records()
    wanted: dict[str, tuple[list[str], list[str]]] = {}
    for missing in screening.missing_facts:
        for record in table.for_fact(missing["path"]):
            paths, rules = wanted.setdefault(record.id, ([], []))
            paths.append(missing["path"])
            rules.extend(r for r in missing["needed_by"] if r not in rules)
    out = []
    sources = table.sources
    for record in table.meta.records:
        if record.id not in wanted or f"record.{record.id}" in taken:
            continue
        paths, rules = wanted[record.id]
        # In words, not field paths: the page is read on a phone, and by people, not programs.
        settles = "; ".join(_words(p) for p in paths)
        out.append(
            ChecklistItem(
                id=f"record.{record.id}",
                title=record.title,
                detail=record.detail,
                proves=f"facts the screening is missing: {settles}",
                why=f"Settles what the screening could not decide: {settles} ({len(rules)} rule{'s' if len(rules) != 1 else ''}).",
                basis="record",
                required=False,
                requirement="a record to request: it settles a fact the screening could not decide",
                fact_paths=tuple(paths),
                rule_ids=tuple(rules),
                citations=tuple(resolve(c, sources) for c in record.cite),
                confidence=record.confidence,
                translation=None,
            )
        )
    return out


def _factor_item(finding: Finding) -> ChecklistItem:
    """An item for a met finding no data item covers, from the policy's own evidence hints."""
    hints = "; ".join(finding.evidence) if finding.evidence else None
    favourable = finding.kind is Kind.MITIGATING
    return ChecklistItem(
        id=f"factor.{finding.id}",
        title=f"Evidence for: {finding.label}",
        detail=hints or "The policy data suggests no specific document; choose what proves this factor.",
        proves=finding.label,
        why=f"Proves the {finding.kind.value} factor {finding.id} [met]: {finding.reason}",
        basis="favourable" if favourable else "negative",
        required=True,
        requirement="proves a factor met in the screening"
        if favourable
        else "a negative factor must be addressed candidly",
        fact_paths=finding.facts_used,
        rule_ids=(finding.id,),
        citations=finding.citations,
        confidence=finding.confidence,
        translation="if not in English, file a certified English translation",
    )
