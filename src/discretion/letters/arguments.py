"""Word each factor from the person's own facts, and answer each unfavourable one.

The words are data: ``data/factors-en.yaml`` holds one template per factor kind (the rule's
``test:``), shared by every policy; a rule's own ``letter:`` in its policy file overrides it;
``data/policies-en.yaml`` holds, per policy, how an unfavourable factor or a priority is answered
(the policy's own exception or test) and the verbatim memo text a letter may quote. This module
loads and checks both files, computes the values (:mod:`discretion.letters.particulars`) and
renders the templates with :mod:`discretion.prose`; it writes no sentence itself.

Each worded factor reports what it left out for lack of data (the template's ``pieces``) and
what the practitioner must add (``review``), for the review sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion import prose
from discretion.datafiles import DataFileError, line_of, load_file
from discretion.errors import DocumentError
from discretion.facts import CaseFacts
from discretion.letters.particulars import Particulars, matching_relatives, particulars
from discretion.policies import Policy
from discretion.rules import Finding, Rule

DATA = Path(__file__).parent / "data"
FACTORS_FILE = DATA / "factors-en.yaml"
POLICIES_FILE = DATA / "policies-en.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactorWording(_Strict):
    text: str | None = None
    pieces: dict[str, str] = Field(default_factory=dict)
    review: list[str] = Field(default_factory=list)
    empty: str | None = Field(None, description="What to say when the template has nothing to say.")
    empty_ok: bool = Field(False, description="Saying nothing is right (another paragraph says it).")
    own_words: bool = Field(False, description="The tool does not argue this factor; counsel writes it.")
    record: bool = Field(False, description="Rests on the criminal record: answered with the record.")
    cites: list[str] | None = Field(
        None,
        description="The evidence-checklist items (ids before any '.') whose exhibits this paragraph cites; "
        "unset: every exhibit that proves the rule.",
    )


class FactorFile(_Strict):
    words: dict[str, dict[str, str]]
    phrases: dict[str, str]
    favourable: dict[str, FactorWording]
    unfavourable: dict[str, FactorWording]


class Quote(_Strict):
    text: str
    source: str = Field(description="The id of the policy source the text is quoted from.")


class PolicyWording(_Strict):
    priority_answer: str | None = None
    record_answer: str | None = None
    factor_answer: str | None = None
    not_priority_partial: str | None = None
    quotes: dict[str, Quote] = Field(default_factory=dict)


@dataclass(frozen=True)
class Worded:
    """A factor as the letter says it, and what the review sheet must say about it."""

    text: str | None  # None: nothing the letter can say (the review sheet says why)
    left_out: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    own_words: bool = False
    record: bool = False
    covered: bool = False  # said elsewhere in the letter: nothing to add, nothing to review


@dataclass(frozen=True)
class Answer:
    text: str
    quotes: tuple[tuple[str, str], ...] = field(default=())  # (quoted text, source id)


def _load(path: Path, model: type[BaseModel]) -> Any:
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}") from None
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        where = f"{path.name}:{line}" if line else path.name
        raise DocumentError(f"{where}: {'.'.join(str(p) for p in loc)}: {err['msg']}") from None


def _check_templates(path: Path, templates: Mapping[str, str | None]) -> None:
    for where, source in templates.items():
        if source is None:
            continue
        try:
            prose.slots(source)
        except prose.ProseError as exc:
            raise DocumentError(f"{path.name}: {where}: {exc}") from None


@cache
def factor_wording(path: Path = FACTORS_FILE) -> FactorFile:
    """The factor templates, loaded and parsed once (a bad template names its entry)."""
    words, _ = _load(path, FactorFile)
    templates: dict[str, str | None] = {f"phrases.{k}": v for k, v in words.phrases.items()}
    for side in ("favourable", "unfavourable"):
        for test, entry in getattr(words, side).items():
            templates[f"{side}.{test}.text"] = entry.text
            templates[f"{side}.{test}.empty"] = entry.empty
    _check_templates(path, templates)
    for key in ("member", "group"):
        if key not in words.phrases:
            raise DocumentError(f"{path.name}: phrases: {key}: missing")
    return words


class _PolicyFile(_Strict):
    model_config = ConfigDict(extra="allow", frozen=True)
    default: PolicyWording


@cache
def policy_wording(path: Path = POLICIES_FILE) -> dict[str, PolicyWording]:
    """Per policy id, how the letter answers unfavourable factors; ``default`` for any other."""
    try:
        data, lines, _ = load_file(path)
    except DataFileError as exc:
        raise DocumentError(f"{path.name}:{exc.line or ''}: {exc}") from None
    if not isinstance(data, dict) or "default" not in data:
        raise DocumentError(f"{path.name}: needs a `default:` entry")
    out: dict[str, PolicyWording] = {}
    for policy_id, entry in data.items():
        try:
            out[policy_id] = PolicyWording.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = (policy_id, *err["loc"])
            line = line_of(lines, loc)
            where = f"{path.name}:{line}" if line else path.name
            raise DocumentError(f"{where}: {'.'.join(str(p) for p in loc)}: {err['msg']}") from None
        _check_templates(
            path,
            {
                f"{policy_id}.{k}": getattr(out[policy_id], k)
                for k in ("priority_answer", "record_answer", "factor_answer", "not_priority_partial")
            },
        )
    return out


class Writer:
    """Words the factors of one case, as of one date, under one policy."""

    def __init__(self, facts: CaseFacts, on: date, policy: Policy) -> None:
        self.facts = facts
        self.on = on
        self.policy = policy
        self.words = factor_wording()
        wording = policy_wording()
        self.policy_words = wording.get(policy.id, wording["default"])
        self.default_words = wording["default"]
        self.found: Particulars = particulars(facts, on, self._member)
        self._rules = {r.id: r for r in policy.rules}

    # --- phrases -----------------------------------------------------------------------

    def _render(self, source: str, values: Mapping[str, Any], where: str) -> str:
        try:
            return prose.render(source, values)
        except prose.ProseError as exc:
            raise DocumentError(f"{where}: {exc}") from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            raise DocumentError(f"{where}: the template could not be filled ({exc})") from None

    def _member(self, relative: dict[str, Any]) -> str:
        text = self._render(
            self.words.phrases["member"],
            {"r": relative, "words": self.words.words},
            "factors-en.yaml: phrases.member",
        )
        relative["member"] = text
        return text

    def groups(self, relatives: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Relatives grouped by relationship and status, in order, each group with its phrase."""
        grouped: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
        for r in relatives:
            grouped.setdefault((r["relationship"], r["status"]), []).append(r)
        out = []
        for (relationship, status), members in grouped.items():
            group: dict[str, Any] = {
                "relationship": relationship,
                "status": status,
                "members": members,
                "names": [m.get("member") or m.get("name") or relationship for m in members],
            }
            group["phrase"] = self._render(
                self.words.phrases["group"],
                {**self._helpers(), "g": group, "words": self.words.words},
                "factors-en.yaml: phrases.group",
            )
            out.append(group)
        return out

    def _helpers(self) -> dict[str, Any]:
        relatives = self.found.values["relatives"]

        def matching(
            relationships: Sequence[str] | None = None,
            statuses: Sequence[str] | None = None,
            under: int | None = None,
        ) -> list[Mapping[str, Any]]:
            return matching_relatives(relatives, relationships=relationships, statuses=statuses, under=under)

        return {"matching": matching, "groups": self.groups}

    def values(self, rule: Rule | None = None, **extra: Any) -> dict[str, Any]:
        return {
            **self.found.values,
            **self._helpers(),
            "words": self.words.words,
            "params": dict(rule.params) if rule else {},
            "applications": self._application_labels(),
            **extra,
        }

    def _application_labels(self) -> list[dict[str, Any]]:
        # Imported here: wording.py is the letter's own file; this keeps the dependency one-way.
        from discretion.letters.wording import wording

        labels = wording().applications
        out = []
        for app in self.found.values["applications"]:
            words = labels.get(app["kind"]) or labels["other"]
            out.append({**app, "label": words.label})
        return out

    # --- factors -----------------------------------------------------------------------

    def rule(self, finding: Finding) -> Rule | None:
        return self._rules.get(finding.id)

    def cites(self, finding: Finding, *, favourable: bool) -> frozenset[str] | None:
        """The checklist items whose exhibits the paragraph for ``finding`` may cite. A rule such as
        family-or-community ties is proved by birth certificates and support letters alike, but
        its paragraph may speak only of the community: it must not cite the birth certificates."""
        rule = self.rule(finding)
        table = self.words.favourable if favourable else self.words.unfavourable
        entry = table.get(rule.test) if rule else None
        if rule is None or rule.letter or entry is None or entry.cites is None:
            return None
        return frozenset(entry.cites)

    def factor(
        self,
        finding: Finding,
        *,
        favourable: bool,
        tabs: Sequence[str] = (),
        met_tests: Sequence[str] = (),
    ) -> Worded:
        """The paragraph for one met finding (favourable, or the statement of an unfavourable one).

        ``tabs`` are the exhibits that prove it (a template may then name the kinds of proof);
        ``met_tests`` are the tests of the other factors argued, so a template can avoid saying
        twice what another paragraph says."""
        rule = self.rule(finding)
        test = rule.test if rule else ""
        table = self.words.favourable if favourable else self.words.unfavourable
        entry = table.get(test)
        override = rule.letter if rule and rule.letter else None
        if override is None and (
            entry is None or entry.own_words or (entry.text is None and not entry.empty)
        ):
            return Worded(
                None,
                review=tuple(entry.review) if entry else (),
                own_words=entry is None or entry.own_words,
                record=bool(entry and entry.record),
            )
        values = self.values(rule, tabs=list(tabs), met_tests=list(met_tests))
        where = (
            f"{self.policy.path.name}: rule {finding.id}: letter"
            if override
            else f"factors-en.yaml: {'favourable' if favourable else 'unfavourable'}.{test}"
        )
        text = self._render(override or (entry.text if entry else "") or "", values, where)
        if not text and entry and entry.empty:
            text = self._render(entry.empty, values, where + ".empty")
        if not text and entry and entry.empty_ok:
            return Worded(None, covered=True)
        left_out = tuple(
            about for slot, about in (entry.pieces if entry else {}).items() if _empty(_lookup(values, slot))
        )
        return Worded(
            text or None,
            left_out=left_out if not override else (),
            review=tuple(entry.review) if entry else (),
            record=bool(entry and entry.record),
        )

    # --- answers -----------------------------------------------------------------------

    def answer(self, which: str, **extra: Any) -> Answer | None:
        """The policy's answer (``priority_answer``, ``record_answer``, ``factor_answer``) or None."""
        source = getattr(self.policy_words, which) or getattr(self.default_words, which)
        if not source:
            return None
        quotes = {
            qid: f"“{q.text}”" for qid, q in {**self.default_words.quotes, **self.policy_words.quotes}.items()
        }
        short = self.policy.meta.short_title or self.policy.title
        text = self._render(
            source,
            self.values(quote=quotes, short=short, **extra),
            f"policies-en.yaml: {self.policy.id if self.policy.id in policy_wording() else 'default'}.{which}",
        )
        used = tuple(
            (q.text, q.source)
            for q in {**self.default_words.quotes, **self.policy_words.quotes}.values()
            if q.text in text
        )
        return Answer(text, used) if text else None


def _lookup(values: Mapping[str, Any], dotted: str) -> Any:
    value: Any = values
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False
